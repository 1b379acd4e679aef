"""What each provider event changes, applied on the store's thread in one go (one hop per pass).

An inbound text joins its conversation, opt-ins and opt-outs move the contact mirror and the
STOP badge, delivery reports and rejections update our texts, Opt It send results that say
"stopped" opt the number out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from tui.api.codes import DELIVERY_CODES
from tui.events.codes import OPTIT_BLOCKED_CODE, OPTIT_OPTED_OUT_CODES
from tui.sms.compliance import classify_keyword
from tui.store import ReceivedEvent, Store

log = logging.getLogger("smsdesk.events")

BATCH: Final = 200
REJECTION_WINDOW: Final = timedelta(hours=24)
STATUS_BADGES: Final = {"deactivated": "DEACTIVATED", "suspended": "SUSPENDED"}


@dataclass(frozen=True)
class EventsApplied:
    """What one batch of new events changed."""

    events: tuple[ReceivedEvent, ...]
    changed_phones: frozenset[str] = frozenset()
    new_inbound: tuple[tuple[str, str, datetime], ...] = ()   # (phone, text, sent at)
    outbox_keys: tuple[str, ...] = ()               # outbox items that learnt something

    @property
    def more_waiting(self) -> bool:
        return len(self.events) == BATCH


@dataclass
class _Changes:
    phones: set[str] = field(default_factory=set)
    inbound: list[tuple[str, str, datetime]] = field(default_factory=list)
    outbox: list[str] = field(default_factory=list)


def apply_new_events(store: Store, now: datetime) -> EventsApplied | None:
    """Apply every event not applied yet (up to ``BATCH``), oldest first, and mark them."""
    events = store.unapplied_events(BATCH)
    if not events:
        return None
    changes = _Changes()
    for event in events:
        try:
            _apply(store, event, changes, now)
        except Exception:  # one odd event must not hold back the others
            log.exception("events: effect of event %d failed", event.id)
    store.mark_events_applied([e.id for e in events])
    return EventsApplied(tuple(events), frozenset(changes.phones), tuple(changes.inbound),
                         tuple(changes.outbox))


def _opted(store: Store, phone: str, opted_out: bool, at: datetime, changes: _Changes) -> None:
    store.set_contact_subscribed(phone, not opted_out, at=at)
    # A campaign's opt-ins are not conversations: only a number we talk to gets the badge.
    if store.conversation(phone) is not None:
        store.set_opted_out(phone, opted_out, at=at)
        changes.phones.add(phone)


def _badge(store: Store, phone: str, badge: str, changes: _Changes) -> None:
    if store.conversation(phone) is not None:
        store.add_badge(phone, badge)
        changes.phones.add(phone)


def _apply(store: Store, event: ReceivedEvent, changes: _Changes, now: datetime) -> None:
    at = event.occurred_at or event.received_at
    phone = event.phone
    if event.kind == "inbound_message" and phone:
        _inbound(store, event, phone, at, changes)
    elif event.kind in ("subscribe", "unsubscribe") and phone:
        _opted(store, phone, event.kind == "unsubscribe", at, changes)
    elif event.kind == "delivery_report" and event.status_code in DELIVERY_CODES:
        changed = store.set_delivery(code=event.status_code,
                                     message_id=event.ids.get("message_id"),
                                     outbox_key=event.ids.get("outbox_key"), at=at)
        if changed:
            changes.phones.add(changed)
    elif event.kind == "rejected" and event.text:
        found = store.mark_rejected(
            body=event.text,
            reason=f"Rejected by {event.provider}: {event.meaning or event.status_code}",
            since=now - REJECTION_WINDOW, at=at)
        if found:
            changes.phones.add(found[0])
            if found[1]:
                changes.outbox.append(found[1])
    elif event.kind == "send_result" and phone:
        if event.status_code in OPTIT_OPTED_OUT_CODES:
            _opted(store, phone, True, at, changes)
        elif event.status_code == OPTIT_BLOCKED_CODE:
            _badge(store, phone, "BLOCKED", changes)
    elif event.kind == "contact_status" and phone and event.status_code in STATUS_BADGES:
        _badge(store, phone, STATUS_BADGES[event.status_code], changes)


def _inbound(store: Store, event: ReceivedEvent, phone: str, at: datetime,
             changes: _Changes) -> None:
    text = event.text or ""
    added = store.add_webhook_text(event_id=event.id, phone=phone, body=text, at=at,
                                   contact_id=event.ids.get("contact_id"))
    if not added:
        return  # the poller was first
    changes.phones.add(phone)
    changes.inbound.append((phone, text, at))
    kind = classify_keyword(text)
    if kind in ("opt_out", "opt_in"):
        store.set_opted_out(phone, kind == "opt_out", at=at)
    elif kind == "help":
        store.add_badge(phone, "HELP")
