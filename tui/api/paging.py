"""Following ``meta.pagination`` of a list endpoint to its last page."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from tui.api.models import Page

log = logging.getLogger("smsdesk.api")

T = TypeVar("T")

# A server that keeps saying "there is more" must not keep us reading for ever.
MAX_PAGES = 100_000


def has_next(page: Page[Any], number: int) -> bool:
    """Whether the seed's pagination says another page follows page ``number``."""
    pagination = page.meta.pagination
    if pagination is None:
        return False
    if pagination.links.next:
        return True
    return pagination.current_page < pagination.total_pages


async def iterate_pages(
    list_method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
) -> AsyncIterator[Page[T]]:
    """Every page from ``page=`` (default 1) to the last, one request at a time."""
    number = int(kwargs.pop("page", 1))
    for _ in range(MAX_PAGES):
        page = await list_method(*args, page=number, **kwargs)
        pagination = page.meta.pagination
        if pagination is not None and pagination.current_page < number:
            # The server ignored ``page``: following "next" would read the same page for ever.
            log.warning("paginate: asked for page %d, got %d; stopping", number,
                        pagination.current_page)
            return
        yield page
        if not page.data or not has_next(page, number):
            return
        number = max(number, pagination.current_page if pagination else number) + 1
    log.warning("paginate: stopped after %d pages", MAX_PAGES)


async def paginate(
    list_method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
) -> AsyncIterator[T]:
    """Every item of every page, in order."""
    async for page in iterate_pages(list_method, *args, **kwargs):
        for item in page.data:
            yield item
