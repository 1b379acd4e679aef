"""The plain frozen records the store hands to services and screens (no sqlite, no pydantic)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import UTC, datetime
from typing import Final, Literal

from tui.frozen_record import frozen_record

Direction = Literal["incoming", "outgoing"]
OutboxState = Literal["queued", "sending", "sent", "failed", "unclear", "cancelled"]
OutboxKind = Literal["single", "batch"]
RecipientState = Literal["sent", "refused", "missing"]
ConversationView = Literal["all", "unread", "needs_reply", "done", "opted_out"]
Triage = Literal["done", "needs_reply"]

OUTBOX_STATES: Final[tuple[str, ...]] = (
    "queued", "sending", "sent", "failed", "unclear", "cancelled")
CONVERSATION_VIEWS: Final[tuple[str, ...]] = ("all", "unread", "needs_reply", "done", "opted_out")
TRIAGE_FLAGS: Final[tuple[str, ...]] = ("done", "needs_reply")
# A message the outbox has not got back from the server yet has this id prefix.
LOCAL_ID_PREFIX: Final = "local:"


@frozen_record
class Conversation:
    """One row of the inbox list: everything about one phone number, kept up to date on write."""

    phone: str
    display_name: str | None = None
    contact_id: str | None = None
    last_message_at: datetime | None = None
    preview: str = ""
    last_direction: Direction | None = None
    unread_count: int = 0
    opted_out: bool = False
    badges: tuple[str, ...] = ()  # keyword badges such as "STOP", "HELP"
    triage: Triage | None = None  # what the person flagged it as
    waiting_since: datetime | None = None  # their oldest text we have not answered yet
    has_draft: bool = False  # a reply typed and not sent

    @property
    def title(self) -> str:
        """The contact's name when we know it, else the number."""
        return self.display_name or self.phone

    @property
    def has_unread(self) -> bool:
        return self.unread_count > 0


@frozen_record
class StoredMessage:
    """A text in a conversation: from the server, or a reply still in the outbox (id local:…)."""

    id: str
    phone: str
    body: str
    direction: Direction
    read: bool
    created_at: datetime
    delivery_code: str | None = None  # the seed's delivery code (136 queued, 100 delivered, …)
    delivery_state: str | None = None  # queued | sent | delivered | failed (from the code)
    contact_id: str | None = None
    message_type: str | None = None
    outbox_key: str | None = None
    outbox_state: OutboxState | None = None  # set when this text went out through our outbox
    last_error: str | None = None  # the outbox's reason when outbox_state is "failed"
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_local(self) -> bool:
        """Not on the server (yet): queued, sending, failed or cancelled in the outbox."""
        return self.id.startswith(LOCAL_ID_PREFIX)


@frozen_record
class SaveResult:
    """What saving a batch of server messages changed."""

    new: tuple[StoredMessage, ...] = ()
    changed_phones: frozenset[str] = frozenset()


@frozen_record
class StoredContact:
    id: str
    phone: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    subscribed: bool = True
    unsubscribed_at: datetime | None = None
    groups: tuple[str, ...] = ()  # group names, for showing
    group_ids: tuple[str, ...] = ()
    fields: Mapping[str, str] = field(default_factory=dict)  # custom fields
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def display_name(self) -> str:
        return self.name or self.phone


# The seed's yes/no settings of a group, in the order the form shows them.
GROUP_FLAGS: Final[tuple[str, ...]] = (
    "one_time_message", "always_send_join", "social_profiling", "email_new_contact")


@frozen_record
class StoredLookup:
    """The latest carrier lookup of a number (``POST /phone-numbers/lookup``)."""

    phone: str
    valid: bool
    line_type: str
    carrier: str | None
    looked_up_at: datetime


@frozen_record
class StoredGroup:
    id: str
    name: str
    contacts_count: int | None = None
    keyword: str | None = None
    updated_at: datetime | None = None
    join_message: str | None = None
    flags: Mapping[str, bool] = field(default_factory=dict)
    optin: str | None = None  # the opt-in's name ("… (paused)" when disabled)

    @property
    def status(self) -> str:
        """One word for the list: how people join (keyword, opt-in) or "manual"."""
        if self.keyword:
            return "keyword"
        return "opt-in" if self.optin else "manual"


@frozen_record
class Recipient:
    """What became of one number of a batch: sent (with the server's id), refused, or missing."""

    state: RecipientState
    message_id: str | None = None
    reason: str | None = None


@frozen_record
class OutboxItem:
    """One text the person asked to send, from the moment they pressed Enter.

    A ``batch`` item is one text to up to 100 numbers (``phones``; ``phone`` is ""), sent as
    one ``POST /message/batch``; ``recipients`` says what became of each number.
    """

    key: str  # our client key (uuid4), sent as metadata.smsdesk_key
    phone: str
    body: str
    state: OutboxState
    created_at: datetime
    updated_at: datetime
    contact_id: str | None = None
    attempts: int = 0  # POSTs that may have reached the server
    last_error: str | None = None
    message_id: str | None = None  # the server's id once sent
    next_attempt_at: datetime | None = None
    kind: OutboxKind = "single"
    phones: tuple[str, ...] = ()
    recipients: Mapping[str, Recipient] = field(default_factory=dict)
    campaign_ref: str | None = None
    posted_at: datetime | None = None  # local time of the first POST
    server_offset: float | None = None  # server clock minus ours then (seconds), if known
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every number this item texts."""
        return self.phones if self.kind == "batch" else (self.phone,)

    @property
    def is_final(self) -> bool:
        return self.state in ("sent", "cancelled")

    @property
    def is_unclear(self) -> bool:
        """The server may or may not have it: only the person can decide (never auto-resent)."""
        return self.state == "unclear"

    @property
    def can_retry(self) -> bool:
        return self.state == "failed"

    @property
    def can_discard(self) -> bool:
        return self.state in ("queued", "failed")


@frozen_record
class SavedReply:
    id: int
    title: str
    body: str  # may hold merge fields such as {first_name}
    position: int = 0
    updated_at: datetime | None = None


@frozen_record
class ReceivedEvent:
    """A provider event as stored (webhooks, postbacks)."""

    id: int
    provider: str
    kind: str
    received_at: datetime
    phone: str | None = None
    occurred_at: datetime | None = None
    text: str | None = None
    status_code: str | None = None
    raw: str = ""
    meaning: str | None = None
    ids: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)
    applied: bool = False


def to_db_time(value: datetime) -> str:
    """A fixed-width UTC text that sorts like the time it stands for."""
    utc = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def phone_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# Enough digits to tell two numbers apart whatever country prefix a server left out.
SAME_NUMBER_DIGITS: Final = 10


def same_number(a: str, b: str) -> bool:
    """The same phone number however each side wrote it (+1…, 11 or 10 digits)."""
    left, right = phone_digits(a), phone_digits(b)
    if not left or not right:
        return False
    if left == right:
        return True
    shorter = min(len(left), len(right), SAME_NUMBER_DIGITS)
    return shorter >= 7 and left[-shorter:] == right[-shorter:]


def is_same_text(phone: str, body: str, other_phone: str, other_body: str) -> bool:
    """One text to one number: the same number (any form) and exactly the same words."""
    return body == other_body and same_number(phone, other_phone)
