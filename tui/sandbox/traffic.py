"""Life in the account: delivery receipts, due scheduled texts and campaigns, keywords, and
subscribers who text in and answer on their own (seeded, and steppable by tests)."""

from __future__ import annotations

import heapq
import itertools
import random
from datetime import datetime, timedelta
from typing import Any

from tui.api import codes
from tui.sandbox import demo_text as words
from tui.sandbox.config import SandboxConfig
from tui.sandbox.phones import normalize
from tui.sandbox.records import ContactRecord, MessageRecord, ScheduledRecord
from tui.sandbox.sending import unready_reason
from tui.sandbox.state import (
    BOUNCED,
    CONTACT_STATUS,
    INCOMING,
    OUTGOING,
    REJECTED,
    SandboxState,
)
from tui.sandbox.views import BOUNCE_CODES

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_WORDS = frozenset({"HELP", "INFO"})
# The receipt of a text accepted for a pending or unsubscribed number (seed: "Rejection due to
# failed authentication or filtering"); the rejected-message webhook says why.
REJECTED_CODE = "105"
_FAILURES = tuple(c for c in codes.DELIVERY_CODES if c not in ("100", "136", "137"))


class Traffic:
    """Reacts to what happens in ``state`` and moves time forward when ``step`` is called."""

    def __init__(self, state: SandboxState, config: SandboxConfig) -> None:
        self.state = state
        self.config = config
        self.rng = random.Random(f"traffic-{config.seed}")
        self._order = itertools.count()
        self._receipts: list[tuple[datetime, int, str, str]] = []   # (due, n, message id, code)
        self._replies: list[tuple[datetime, int, str, str]] = []    # (due, n, phone, text)
        self._auto_replies: set[str] = set()
        self._next_inbound: datetime | None = None
        self._contact_ids: list[str] = []
        state.listeners.append(self._on_event)

    # --- reactions ---------------------------------------------------------------------

    def _on_event(self, event: str, payload: dict[str, Any]) -> None:
        if event == OUTGOING:
            record: MessageRecord = payload["message"]
            now = self.state.now()
            delay = timedelta(seconds=self.config.delivery_delay)
            heapq.heappush(self._receipts, (now + delay / 2, next(self._order), record.id,
                                            codes.DISPATCHED))
            final = (self.rng.choice(_FAILURES) if self.rng.random() < self.config.failure_rate
                     else codes.DELIVERED)
            if (record.type_name == "OUTGOING_API" and not self.state.refuse_unready
                    and unready_reason(self.state.contact_by_phone(record.phone_number))):
                final = REJECTED_CODE  # accepted, then refused: pending or unsubscribed
            heapq.heappush(self._receipts, (now + delay, next(self._order), record.id, final))
        elif event == INCOMING:
            self._keywords(payload["message"], payload["contact"])

    def _keywords(self, record: MessageRecord, contact: ContactRecord | None) -> None:
        word = record.message.strip().upper()
        if contact is None:
            return
        if word in STOP_WORDS:
            record.type_name = "INCOMING_KEYWORD"
            if self.state.unsubscribe(contact):
                self._auto_reply(contact.phone_number, words.STOP_REPLY)
        elif word in START_WORDS and not contact.can_be_texted:
            record.type_name = "INCOMING_KEYWORD"
            contact.pending = False  # the answer to the opt-in text
            self.state.resubscribe(contact)
            self._auto_reply(contact.phone_number, words.START_REPLY)
        elif word in HELP_WORDS:
            record.type_name = "INCOMING_KEYWORD"
            self._auto_reply(contact.phone_number, words.HELP_REPLY)
        elif (group := self.state.group_by_keyword(word)) is not None and contact.subscribed:
            record.type_name = "INCOMING_KEYWORD"
            self.state.join_group(contact, group.id)
            if group.join_message:
                self._auto_reply(contact.phone_number, group.join_message)

    def _auto_reply(self, phone: str, text: str) -> None:
        sent = self.state.record_outgoing(phone, text, type_name="OUTGOING_REPLY")
        self._auto_replies.add(sent.id)

    # --- steps (the background loop calls these; tests call them directly) --------------

    def step(self, now: datetime | None = None) -> None:
        now = now or self.state.now()
        self.deliver_pending(now)
        self.run_due_scheduled(now)
        self.run_due_campaigns(now)
        self.run_due_replies(now)
        self.run_inbound(now)

    def deliver_pending(self, now: datetime | None = None) -> list[MessageRecord]:
        """Apply every receipt that is due (all of them with ``now=None``... of the clock)."""
        now = now or self.state.now()
        finished: list[MessageRecord] = []
        while self._receipts and self._receipts[0][0] <= now:
            _, _, message_id, code = heapq.heappop(self._receipts)
            record = self.state.messages_by_id.get(message_id)
            if record is None:
                continue
            self.state.set_receipt(record, code)
            if code not in codes.PENDING_CODES:
                finished.append(record)
                self._after_final(record, code, now)
        return finished

    def _after_final(self, record: MessageRecord, code: str, now: datetime) -> None:
        contact = self.state.contact_by_phone(record.phone_number)
        if code != codes.DELIVERED:
            why = unready_reason(contact) if code == REJECTED_CODE else None
            self.state.announce(REJECTED, code=code, text=record.message,
                                description=why or codes.delivery_meaning(code))
            if code in BOUNCE_CODES and contact is not None:
                contact.bounces += 1
                contact.updated_at = self.state.now()
                self.state.announce(BOUNCED, contact=contact, message=record)
            return
        if (contact is not None and contact.subscribed and record.id not in self._auto_replies
                and self.rng.random() < self.config.reply_probability):
            low, high = self.config.reply_delay
            due = now + timedelta(seconds=self.rng.uniform(low, high))
            text = (self.rng.choice(words.THANKS + words.QUESTIONS)
                    if self.rng.random() > 0.03 else "STOP")
            heapq.heappush(self._replies, (due, next(self._order), contact.phone_number, text))

    def run_due_scheduled(self, now: datetime | None = None) -> list[ScheduledRecord]:
        now = now or self.state.now()
        done: list[ScheduledRecord] = []
        due = sorted((r for r in self.state.scheduled.values()
                      if r.status == "pending" and r.send_at <= now), key=lambda r: r.send_at)
        for record in due:
            contact = self.state.contact_by_phone(record.phone_number)
            if contact is not None and not contact.subscribed:
                record.status = "failed"
            else:
                sent = self.state.record_outgoing(record.phone_number, record.message)
                record.status, record.message_id = "sent", sent.id
            record.updated_at = self.state.now()
            done.append(record)
        return done

    def run_due_campaigns(self, now: datetime | None = None) -> list[str]:
        now = now or self.state.now()
        sent_ids = []
        for campaign in list(self.state.campaigns.values()):
            if campaign.status != "scheduled" or campaign.send_at is None or campaign.send_at > now:
                continue
            members: dict[str, None] = {}
            for group_id in campaign.group_ids:
                group = self.state.groups.get(group_id)
                if group is not None:
                    members.update(group.members)
            for contact_id in members:
                contact = self.state.contacts.get(contact_id)
                if contact is not None and contact.subscribed:
                    text = campaign.message.replace("{first}", contact.first_name or "")
                    self.state.record_outgoing(contact.phone_number, text,
                                               type_name="OUTGOING_CAMPAIGN")
            stamp = self.state.now()
            self.state.campaigns[campaign.id] = campaign.model_copy(
                update={"status": "sent", "sent_at": stamp, "updated_at": stamp})
            sent_ids.append(campaign.id)
        return sent_ids

    def run_due_replies(self, now: datetime | None = None) -> list[MessageRecord]:
        now = now or self.state.now()
        replies = []
        while self._replies and self._replies[0][0] <= now:
            _, _, phone, text = heapq.heappop(self._replies)
            replies.append(self.state.record_incoming(phone, text))
        return replies

    def run_inbound(self, now: datetime) -> list[MessageRecord]:
        rate = self.config.inbound_rate
        if rate <= 0:
            return []
        if self._next_inbound is None:
            self._next_inbound = now + self._gap(rate)
        texts: list[MessageRecord] = []
        while self._next_inbound <= now and len(texts) < 50:
            texts.append(self.simulate_inbound())
            self._next_inbound += self._gap(rate)
        if self._next_inbound <= now:   # far behind (a paused laptop): don't flood, catch up
            self._next_inbound = now + self._gap(rate)
        return texts

    def _gap(self, per_minute: float) -> timedelta:
        return timedelta(seconds=self.rng.expovariate(per_minute / 60.0))

    # --- simulations -------------------------------------------------------------------

    def simulate_inbound(self, phone: str | None = None, text: str | None = None
                         ) -> MessageRecord:
        """A subscriber texts in. Keywords (STOP, START, HELP, a group's) act as on the real one."""
        if phone is not None:
            phone = normalize(phone) or phone
        contact = self.state.contact_by_phone(phone) if phone else self._pick_contact()
        number = phone or (contact.phone_number if contact else "+12126648830")
        if text is None:
            text = self._pick_text(contact)
        return self.state.record_incoming(number, text)

    def simulate_contact_status(self, contact_id: str | None = None, status: str | None = None
                                ) -> ContactRecord | None:
        """A carrier tells us a number was suspended, deactivated, resumed or transferred."""
        contact = self.state.contacts.get(contact_id) if contact_id else self._pick_contact()
        if contact is None:
            return None
        status = status or self.rng.choice(("suspended", "deactivated", "resumed"))
        previous = contact.phone_number if status == "transferred" else None
        contact.carrier_status = "active" if status == "resumed" else status  # type: ignore[assignment]
        contact.updated_at = self.state.now()
        self.state.announce(CONTACT_STATUS, contact=contact, status=status, previous=previous)
        return contact

    def _pick_contact(self) -> ContactRecord | None:
        if len(self._contact_ids) != len(self.state.contacts):
            self._contact_ids = list(self.state.contacts)
        for _ in range(20):
            if not self._contact_ids:
                return None
            contact = self.state.contacts.get(self.rng.choice(self._contact_ids))
            if contact is not None and (contact.subscribed or self.rng.random() < 0.2):
                return contact
        return None

    def _pick_text(self, contact: ContactRecord | None) -> str:
        if contact is not None and not contact.subscribed:
            return "START"
        roll = self.rng.random()
        if roll < 0.4:
            return self.rng.choice(words.QUESTIONS)
        if roll < 0.65:
            return self.rng.choice(words.THANKS)
        if roll < 0.75:
            return self.rng.choice(words.LONG_TEXTS)
        if roll < 0.82:
            return "STOP"
        if roll < 0.87:
            return "HELP"
        if roll < 0.92:
            return self.rng.choice(words.KEYWORD_TEXTS)
        return self.rng.choice(("🍕🍕?", "😂😂😂", "Is this Demo Shop? 🤔", "👋"))
