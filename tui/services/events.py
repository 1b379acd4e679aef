"""Provider events into the app: watch the store for new events and apply their effects.

The receiver (in this process for the demo, or its own process) only inserts event rows. This
service notices them cheaply (``PRAGMA data_version`` changes when another connection commits)
and applies each event once: an inbound text joins its conversation, opt-ins and opt-outs move
the contact mirror and the STOP badge, delivery reports and rejections update our texts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from tui.api.codes import DELIVERY_CODES
from tui.events.codes import OPTIT_BLOCKED_CODE, OPTIT_OPTED_OUT_CODES
from tui.events.model import KIND_LABELS, KINDS, PROVIDERS
from tui.sms.compliance import classify_keyword
from tui.store import AsyncStore, ReceivedEvent
from tui.store.events import EventFilter
from tui.store.webhook_texts import HOOK_ID_PREFIX

log = logging.getLogger("smsdesk.events")

WATCH_EVERY: Final = 0.05   # seconds between looks at the store (one cheap PRAGMA)
REJECTION_WINDOW: Final = timedelta(hours=24)
STATUS_BADGES: Final = {"deactivated": "DEACTIVATED", "suspended": "SUSPENDED"}


@dataclass(frozen=True)
class EventsApplied:
    """What one batch of new events changed."""

    events: tuple[ReceivedEvent, ...]
    changed_phones: frozenset[str] = frozenset()
    new_inbound: tuple[tuple[str, str, datetime], ...] = ()   # (phone, text, sent at)
    outbox_keys: tuple[str, ...] = ()               # outbox items that learnt something


@dataclass
class _Batch:
    phones: set[str] = field(default_factory=set)
    inbound: list[tuple[str, str, datetime]] = field(default_factory=list)
    outbox: list[str] = field(default_factory=list)


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
        events = await self.store.call(self.store.sync.unapplied_events)
        if not events:
            return None
        batch = _Batch()
        for event in events:
            try:
                await self._apply(event, batch)
            except Exception:
                log.exception("events: effect of event %d failed", event.id)
        await self.store.call(self.store.sync.mark_events_applied, [e.id for e in events])
        applied = EventsApplied(tuple(events), frozenset(batch.phones), tuple(batch.inbound),
                                tuple(batch.outbox))
        try:
            self.on_applied(applied)
        except Exception:
            log.exception("events: on_applied callback failed")
        if len(events) == 200:  # more are waiting
            self.wake()
        return applied

    async def _has_conversation(self, phone: str) -> bool:
        return await self.store.conversation(phone) is not None

    async def _opted(self, phone: str, opted_out: bool, at: datetime, batch: _Batch) -> None:
        await self.store.call(self.store.sync.set_contact_subscribed, phone, not opted_out,
                              at=at)
        # A campaign's opt-ins are not conversations: only a number we talk to gets the badge.
        if await self._has_conversation(phone):
            await self.store.set_opted_out(phone, opted_out, at=at)
            batch.phones.add(phone)

    async def _apply(self, event: ReceivedEvent, batch: _Batch) -> None:
        at = event.occurred_at or event.received_at
        phone = event.phone
        if event.kind == "inbound_message" and phone:
            await self._inbound(event, phone, at, batch)
        elif event.kind in ("subscribe", "unsubscribe") and phone:
            await self._opted(phone, event.kind == "unsubscribe", at, batch)
        elif event.kind == "delivery_report" and event.status_code in DELIVERY_CODES:
            changed = await self.store.call(
                self.store.sync.set_delivery, code=event.status_code,
                message_id=event.ids.get("message_id"), outbox_key=event.ids.get("outbox_key"),
                at=at)
            if changed:
                batch.phones.add(changed)
        elif event.kind == "rejected" and event.text:
            found = await self.store.call(
                self.store.sync.mark_rejected, body=event.text,
                reason=f"Rejected by {event.provider}: {event.meaning or event.status_code}",
                since=self.now() - REJECTION_WINDOW, at=at)
            if found:
                batch.phones.add(found[0])
                if found[1]:
                    batch.outbox.append(found[1])
        elif event.kind == "send_result" and phone:
            if event.status_code in OPTIT_OPTED_OUT_CODES:
                await self._opted(phone, True, at, batch)
            elif event.status_code == OPTIT_BLOCKED_CODE and await self._has_conversation(phone):
                await self.store.add_badge(phone, "BLOCKED")
                batch.phones.add(phone)
        elif (event.kind == "contact_status" and phone and event.status_code in STATUS_BADGES
              and await self._has_conversation(phone)):
            await self.store.add_badge(phone, STATUS_BADGES[event.status_code])
            batch.phones.add(phone)

    async def _inbound(self, event: ReceivedEvent, phone: str, at: datetime,
                       batch: _Batch) -> None:
        text = event.text or ""
        added = await self.store.call(
            self.store.sync.add_webhook_text, stand_in_id=f"{HOOK_ID_PREFIX}{event.id}",
            phone=phone, body=text, at=at, contact_id=event.ids.get("contact_id"))
        if not added:
            return  # the poller was first
        batch.phones.add(phone)
        batch.inbound.append((phone, text, at))
        kind = classify_keyword(text)
        if kind in ("opt_out", "opt_in"):
            await self.store.set_opted_out(phone, kind == "opt_out", at=at)
        elif kind == "help":
            await self.store.add_badge(phone, "HELP")

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
