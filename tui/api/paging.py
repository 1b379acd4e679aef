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
        yield page
        if not page.data or not has_next(page, number):
            return
        pagination = page.meta.pagination
        following = number + 1
        if pagination is not None and pagination.current_page >= following:
            # The server answered a later page than asked; continue after it, never repeat.
            following = pagination.current_page + 1
        number = following
    log.warning("paginate: stopped after %d pages", MAX_PAGES)


async def paginate(
    list_method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
) -> AsyncIterator[T]:
    """Every item of every page, in order."""
    async for page in iterate_pages(list_method, *args, **kwargs):
        for item in page.data:
            yield item
