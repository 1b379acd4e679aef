"""The typed async Mobiniti v1 client: one method per row of ``tui.api.routes.ENDPOINTS``.

One ``httpx.AsyncClient`` per profile with Bearer auth and timeouts, a per-route rate
scheduler (interactive before background) and safe retries (``tui.api.transport``).
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

import httpx

from tui.api.contact_calls import ContactCalls
from tui.api.limits import DEFAULT_BASE_URL
from tui.api.message_calls import MessageCalls
from tui.api.models import Page
from tui.api.paging import iterate_pages
from tui.api.paging import paginate as _paginate
from tui.api.rate import Clock, Priority, RateScheduler
from tui.api.reading import BACKGROUND_DEADLINE, INTERACTIVE_DEADLINE
from tui.api.server_clock import ServerClock
from tui.api.transport import ConnectionState, Transport

__all__ = ["DEFAULT_BASE_URL", "ConnectionState", "MobinitiClient", "Priority"]

T = TypeVar("T")


class MobinitiClient(ContactCalls, MessageCalls):
    """Use as ``async with MobinitiClient(token) as client:`` or call ``aclose()``."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        scheduler: RateScheduler | None = None,
        timeout: float = 15.0,
        max_retries: int = 3,
        clock: Clock | None = None,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        rng: random.Random | None = None,
        deadline: float = INTERACTIVE_DEADLINE,
        background_deadline: float = BACKGROUND_DEADLINE,
    ) -> None:
        self.scheduler = scheduler or RateScheduler(clock=clock)
        self.on_status: Callable[[ConnectionState], None] | None = None
        self._transport = Transport(
            token,
            base_url,
            transport=transport,
            scheduler=self.scheduler,
            timeout=timeout,
            max_retries=max_retries,
            clock=clock or self.scheduler.clock,
            on_status=self._emit_status,
            backoff_base=backoff_base,
            backoff_cap=backoff_cap,
            rng=rng,
            deadline=deadline,
            background_deadline=background_deadline,
        )
        self.connection: ConnectionState | None = None

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def server_clock(self) -> ServerClock:
        """The server's time as its answers tell it (for reconciliation windows)."""
        return self._transport.server_clock

    def _emit_status(self, state: ConnectionState) -> None:
        self.connection = state
        if self.on_status is not None:
            self.on_status(state)

    def __repr__(self) -> str:
        return f"MobinitiClient(base_url={self.base_url!r}, token=***)"

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> MobinitiClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def paginate(
        self, list_method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
    ) -> AsyncIterator[T]:
        """Every item of a list method, following ``meta.pagination`` to the last page.

        ``async for c in client.paginate(client.list_contacts, priority=Priority.BACKGROUND)``
        """
        return _paginate(list_method, *args, **kwargs)

    def pages(
        self, list_method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
    ) -> AsyncIterator[Page[T]]:
        """Like ``paginate`` but page by page (for progress: ``meta.pagination.total``)."""
        return iterate_pages(list_method, *args, **kwargs)
