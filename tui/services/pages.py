"""Reading a list endpoint page by page, closing the pager even when the reader stops early."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from tui.api.models import Page
from tui.api.paging import iterate_pages

T = TypeVar("T")


@contextlib.asynccontextmanager
async def pages_of(
    list_method: Callable[..., Awaitable[Page[T]]], **kwargs: Any
) -> AsyncIterator[AsyncIterator[Page[T]]]:
    """``async with pages_of(client.list_messages, ...) as pages: async for page in pages:``"""
    pages = iterate_pages(list_method, **kwargs)
    try:
        yield pages
    finally:
        aclose = getattr(pages, "aclose", None)
        if aclose is not None:
            await aclose()
