"""What the status bar shows, kept by the desk: connection state and why, rate-limit headroom,
unread texts, the outbox's sending and waiting counts (no Textual)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from tui.desk_events import StatusChanged
from tui.store import AsyncStore, StoreError

if TYPE_CHECKING:
    from tui.api.client import MobinitiClient
    from tui.api.transport import ConnectionState


class StatusFeed:
    """``client`` is None until the desk is connected; ``emit`` reaches the status bar."""

    def __init__(self, store: AsyncStore, emit: Callable[[StatusChanged], None],
                 client: Callable[[], MobinitiClient | None]) -> None:
        self.store = store
        self._emit = emit
        self._client = client

    def headroom(self) -> str:
        """Rate-limit headroom ("" until connected)."""
        client = self._client()
        return "" if client is None else str(client.scheduler.headroom())

    def client_status(self, state: ConnectionState) -> None:
        self.connection_changed(state.kind, state.retry_in, state.detail)

    def connection_changed(
        self, state: str, retry_in: float | None = None, reason: str | None = None
    ) -> None:
        client = self._client()
        if state == "online":
            reason = ""
        elif reason is None and client is not None:
            # The poller says "offline"; the client knows why (its last failure).
            known = client.connection
            reason = known.detail if known is not None and known.kind != "online" else ""
        # A moment, not a duration: two reports of "16 s" are two countdowns (status bar).
        retry_at = time.monotonic() + retry_in if retry_in else None
        self._emit(StatusChanged({"connection": state, "retry_at": retry_at,
                                  "reason": reason or "", "headroom": self.headroom()}))

    def polled(self, at: datetime) -> None:
        self._emit(StatusChanged({"last_poll": at}))

    async def refresh_unread(self) -> None:
        try:  # a failing store was already reported (on_trouble); the counts just stay
            unread = await self.store.count_unread()
        except StoreError:
            return
        self._emit(StatusChanged({"unread": unread}))

    async def refresh_outbox_counts(self) -> None:
        try:
            pending = await self.store.list_pending_outbox()
            failed = [*await self.store.list_failed_outbox(),
                      *await self.store.list_unclear_outbox()]  # both wait for the person
        except StoreError:
            return
        self._emit(StatusChanged({"outbox_sending": len(pending), "outbox_failed": len(failed)}))
