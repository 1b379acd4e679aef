"""Provider events into the app: watch the store for new events and apply their effects.

The receiver (in this process for the demo, or its own process) only inserts event rows. This
service notices them cheaply (``PRAGMA data_version`` changes when another connection commits)
and applies each event once (``tui.services.event_effects``), then tells the desk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final

from tui.events.model import KIND_LABELS, KINDS, PROVIDERS
from tui.services.event_effects import EventsApplied, apply_new_events
from tui.store import AsyncStore, ReceivedEvent
from tui.store.events import EventFilter

log = logging.getLogger("smsdesk.events")

WATCH_EVERY: Final = 0.025  # seconds between looks at the store (one cheap PRAGMA)

__all__ = ["EventFeed", "EventsApplied", "parse_filter"]


class EventFeed:
    """``await watch()`` until cancelled; ``apply_pending()`` is one pass (tests, demo)."""

    def __init__(self, store: AsyncStore, *, on_applied: Callable[[EventsApplied], None],
                 watch_every: float = WATCH_EVERY,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.on_applied = on_applied
        self.watch_every = watch_every
        self.now = now
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        """Look now (an in-process receiver wrote through another connection)."""
        self._wakeup.set()

    async def watch(self) -> None:
        seen = -1
        while True:
            version = await self.store.call(self.store.sync.data_version)
            if version != seen or self._wakeup.is_set():
                self._wakeup.clear()
                seen = version
                try:
                    await self.apply_pending()
                except Exception:  # one bad pass must not stop the stream
                    log.exception("events: applying effects failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self.watch_every)

    async def apply_pending(self) -> EventsApplied | None:
        """Apply every event not applied yet, oldest first; report them in one batch."""
        applied = await self.store.call(apply_new_events, self.store.sync, self.now())
        if applied is None:
            return None
        try:
            self.on_applied(applied)
        except Exception:
            log.exception("events: on_applied callback failed")
        if applied.more_waiting:
            self.wake()
        return applied

    # --- what the Activity screen reads ----------------------------------------------------

    async def recent(self, where: EventFilter | None = None, limit: int = 200
                     ) -> list[ReceivedEvent]:
        return await self.store.call(self.store.sync.list_received_events, where=where,
                                     limit=limit)

    async def counts_today(self) -> dict[str, int]:
        midnight = self.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        return await self.store.call(self.store.sync.count_events_by_kind, midnight)

    async def per_hour(self, kinds: tuple[str, ...]) -> dict[str, list[int]]:
        return await self.store.call(self.store.sync.events_per_hour, kinds, until=self.now())


# What a person may type in the Activity filter for each kind ("optout", "stop", "dlr" …).
KIND_WORDS: Final[dict[str, str]] = {
    **{kind: kind for kind in KINDS}, **{label.replace(" ", ""): kind
                                         for kind, label in KIND_LABELS.items()},
    "inbound": "inbound_message", "text": "inbound_message", "texts": "inbound_message",
    "optin": "subscribe", "optins": "subscribe", "sub": "subscribe",
    "optout": "unsubscribe", "optouts": "unsubscribe", "unsub": "unsubscribe",
    "stop": "unsubscribe", "dlr": "delivery_report", "receipt": "delivery_report",
    "reject": "rejected", "rejection": "rejected", "bounce": "bounced",
}


def parse_filter(text: str) -> EventFilter:
    """``optout skycore 650`` → kind unsubscribe, provider skycore, number containing 650.

    Words name kinds or providers; anything with digits is part of a number.
    """
    kinds: set[str] = set()
    providers: set[str] = set()
    digits = ""
    for word in text.lower().replace(",", " ").split():
        bare = word.replace("-", "").replace("_", "")
        if any(ch.isdigit() for ch in word):
            digits += "".join(ch for ch in word if ch.isdigit())
        elif word in PROVIDERS:
            providers.add(word)
        elif word in KIND_WORDS or bare in KIND_WORDS:
            kinds.add(KIND_WORDS.get(word) or KIND_WORDS[bare])
    return EventFilter(frozenset(kinds), frozenset(providers), digits)
