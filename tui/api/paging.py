"""Following ``meta.pagination`` of a list endpoint to its last page."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from tui.api.models import Page

log = logging.getLogger("smsdesk.api")

T = TypeVar("T")

# A server that keeps saying "there is more" must not keep us reading for ever.
MAX_PAGES = 10_000  # 1,000,000 items at 100 a page


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
    """Every page from ``page=`` (default 1) to the last, one request at a time.

    A server that loops (``links.next`` pointing back, or the same items again) or never ends
    is stopped, with a warning in the log, instead of being read for ever.
    """
    number = int(kwargs.pop("page", 1))
    previous: tuple[object, ...] | None = None
    for _ in range(MAX_PAGES):
        page = await list_method(*args, page=number, **kwargs)
        pagination = page.meta.pagination
        if pagination is not None and pagination.current_page < number:
            # The server ignored ``page``: following "next" would read the same page for ever.
            log.warning("paginate: asked for page %d, got %d; stopping", number,
                        pagination.current_page)
            return
        seen = _identity(page)
        past_the_end = pagination is not None and pagination.current_page > max(
            1, pagination.total_pages)
        if past_the_end and seen and seen == previous:
            # Beyond the server's own last page, "next" is followed only while it brings news.
            log.warning("paginate: page %d repeats the page before; stopping", number)
            return
        previous = seen
        yield page
        if not page.data or not has_next(page, number):
            return
        pointed = _next_page_number(page)
        if pointed is not None and pointed <= number:
            log.warning("paginate: page %d links back to page %d; stopping", number, pointed)
            return
        number = max(number, pagination.current_page if pagination else number) + 1
    log.warning("paginate: stopped after %d pages", MAX_PAGES)


def _identity(page: Page[Any]) -> tuple[object, ...]:
    return tuple(getattr(item, "id", None) or repr(item)[:200] for item in page.data)


def _next_page_number(page: Page[Any]) -> int | None:
    """The ``page=`` of ``links.next``, when it has one."""
    pagination = page.meta.pagination
    link = pagination.links.next if pagination is not None else None
    if not link:
        return None
    values = parse_qs(urlsplit(str(link)).query).get("page")
    try:
        return int(values[-1]) if values else None
    except ValueError:
        return None


async def paginate(
    list_method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
) -> AsyncIterator[T]:
    """Every item of every page, in order."""
    async for page in iterate_pages(list_method, *args, **kwargs):
        for item in page.data:
            yield item
