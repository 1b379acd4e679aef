"""Pydantic models for every Mobiniti v1 resource and request body (shared by client and sandbox).

Where seed 002 shows a field we use its name; where it is silent the choice is written in
docs/api-contract.md. Unknown fields from the server are kept (``extra="allow"``), never fatal.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_timestamp(value: Any) -> Any:
    """Accept the seed's timestamp spellings and make them timezone-aware (UTC when naive).

    The seed shows both ``2014-07-10T00:01:01+0000`` and ``2016-07-01T15:11:09.553Z``.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        text = _COMPACT_OFFSET.sub(r"\1:\2", text.replace("Z", "+00:00"))
        text = text.replace(" ", "T", 1) if "T" not in text else text
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return value


def format_timestamp(value: datetime) -> str:
    """The seed's wire format: ``YYYY-MM-DDThh:mm:ss.SSSZ`` in UTC."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


Timestamp = Annotated[
    datetime,
    BeforeValidator(parse_timestamp),
    PlainSerializer(format_timestamp, return_type=str, when_used="json"),
]


class Resource(BaseModel):
    """Base for server resources: unknown fields are kept so a newer API never breaks us."""

    # defer_build: schemas are built on first use, not at import (start-up time).
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class RequestBody(BaseModel):
    """Base for request bodies: unknown keys are refused so typos fail before sending."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


# --- shared pieces -------------------------------------------------------------------------


class Carrier(Resource):
    id: str
    name: str
    country: str | None = None


class OptIn(Resource):
    id: str | None = None
    name: str
    description: str | None = None
    enabled: bool = True


class Keyword(Resource):
    id: str | None = None
    keyword: str
    short_code: str | None = None


class ContactStatus(Resource):
    """Included with ``include=status``: subscription state of a contact."""

    subscribed: bool
    unsubscribed_at: Timestamp | None = None
    carrier_status: Literal["active", "suspended", "deactivated", "transferred"] = "active"


class GroupRef(Resource):
    id: str
    name: str


class Contact(Resource):
    id: str
    phone_number: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    zip: str | None = None
    reward_points: int = 0
    unsubscribed_at: Timestamp | None = None
    bounces: int = 0
    created_at: Timestamp
    updated_at: Timestamp
    carrier: Carrier | None = None
    status: ContactStatus | None = None
    groups: list[GroupRef] | None = None
    fields: dict[str, str] | None = None

    @property
    def subscribed(self) -> bool:
        return self.unsubscribed_at is None

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.phone_number


class Group(Resource):
    id: str
    name: str
    join_message: str | None = None
    one_time_message: bool = False
    always_send_join: bool = False
    social_profiling: bool = False
    email_new_contact: bool = False
    contacts_count: int | None = None
    created_at: Timestamp
    updated_at: Timestamp
    optin: OptIn | None = None
    keyword: Keyword | None = None


class Campaign(Resource):
    id: str
    name: str
    message: str
    status: Literal["draft", "scheduled", "sending", "sent"] = "draft"
    group_ids: list[str] = Field(default_factory=list)
    coupon_id: str | None = None
    send_at: Timestamp | None = None
    sent_at: Timestamp | None = None
    created_at: Timestamp
    updated_at: Timestamp


class CampaignTemplate(Resource):
    id: str
    name: str
    message: str
    created_at: Timestamp
    updated_at: Timestamp


class CouponTemplate(Resource):
    id: str
    name: str
    background_color: str | None = None
    text_color: str | None = None
    created_at: Timestamp
    updated_at: Timestamp


class Coupon(Resource):
    id: str
    name: str
    title: str | None = None
    description: str | None = None
    code: str | None = None
    coupon_template_id: str | None = None
    expires_at: Timestamp | None = None
    redemptions: int = 0
    created_at: Timestamp
    updated_at: Timestamp


MessageDirection = Literal["incoming", "outgoing"]


class MessageType(Resource):
    """Included with ``include=type``. ``name`` is e.g. INCOMING_REPLY or OUTGOING_CAMPAIGN."""

    name: str
    direction: MessageDirection


class Receipt(Resource):
    """Delivery receipt (``include=receipt``). ``code`` is the seed's delivery code table."""

    code: str
    status: str
    success: bool
    bounce: bool = False
    updated_at: Timestamp


class Message(Resource):
    id: str
    phone_number: str
    message: str
    direction: MessageDirection
    read: bool = False
    contact_id: str | None = None
    short_code: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    created_at: Timestamp
    updated_at: Timestamp
    type: MessageType | None = None
    receipt: Receipt | None = None
    contact: Contact | None = None


class ScheduledMessage(Resource):
    id: str
    phone_number: str
    message: str
    send_at: Timestamp
    status: Literal["pending", "sent", "cancelled", "failed"] = "pending"
    message_id: str | None = None
    created_at: Timestamp
    updated_at: Timestamp


class PhoneLookup(Resource):
    phone_number: str
    valid: bool
    line_type: Literal["mobile", "landline", "voip", "unknown"] = "unknown"
    carrier: Carrier | None = None


class UnsubscribeResult(Resource):
    unsubscribed: list[str] = Field(default_factory=list)
    not_found: list[str] = Field(default_factory=list)


# --- envelopes -----------------------------------------------------------------------------


class PageLinks(Resource):
    next: str | None = None
    previous: str | None = None


class Pagination(Resource):
    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int
    links: PageLinks = Field(default_factory=PageLinks)


class Meta(Resource):
    pagination: Pagination | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list response: ``{"data": [...], "meta": {"pagination": {...}}}``."""

    model_config = ConfigDict(extra="allow")
    data: list[T]
    meta: Meta = Field(default_factory=Meta)


class Envelope(BaseModel, Generic[T]):
    """A single-resource response: ``{"data": {...}}``."""

    model_config = ConfigDict(extra="allow")
    data: T


class ApiErrorBody(BaseModel):
    """The seed's error shape: ``{"status": 422, "message": "...", "errors": {field: [..]}}``."""

    model_config = ConfigDict(extra="allow")
    status: int
    message: str
    errors: dict[str, list[str]] | list[Any] = Field(default_factory=dict)


# --- request bodies ------------------------------------------------------------------------


class ContactCreate(RequestBody):
    phone_number: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    zip: str | None = None
    groups: list[str] | None = None
    fields: dict[str, str] | None = None


class ContactUpdate(RequestBody):
    """The phone number of a contact cannot be changed (seed). ``groups=[]`` removes all."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    zip: str | None = None
    reward_points: int | None = None
    groups: list[str] | None = None
    fields: dict[str, str] | None = None


class UnsubscribeRequest(RequestBody):
    phone_numbers: list[str]


class ContactGroupAdd(RequestBody):
    group_id: str


class GroupCreate(RequestBody):
    name: str
    join_message: str | None = None
    one_time_message: bool | None = None
    always_send_join: bool | None = None
    social_profiling: bool | None = None
    email_new_contact: bool | None = None
    optin_id: str | None = None
    keyword: str | None = None


class GroupUpdate(RequestBody):
    name: str | None = None
    join_message: str | None = None
    one_time_message: bool | None = None
    always_send_join: bool | None = None
    social_profiling: bool | None = None
    email_new_contact: bool | None = None
    optin_id: str | None = None
    keyword: str | None = None


class CampaignCreate(RequestBody):
    name: str
    message: str
    group_ids: list[str] = Field(default_factory=list)
    coupon_id: str | None = None
    send_at: Timestamp | None = None


class CampaignUpdate(RequestBody):
    name: str | None = None
    message: str | None = None
    group_ids: list[str] | None = None
    coupon_id: str | None = None
    send_at: Timestamp | None = None


class CampaignTemplateCreate(RequestBody):
    name: str
    message: str


class CampaignTemplateUpdate(RequestBody):
    name: str | None = None
    message: str | None = None


class CouponCreate(RequestBody):
    name: str
    title: str | None = None
    description: str | None = None
    code: str | None = None
    coupon_template_id: str | None = None
    expires_at: Timestamp | None = None


class CouponUpdate(RequestBody):
    name: str | None = None
    title: str | None = None
    description: str | None = None
    code: str | None = None
    coupon_template_id: str | None = None
    expires_at: Timestamp | None = None


class MessageUpdate(RequestBody):
    """``PUT /messages/{id}``: how a message is marked read or unread (our choice)."""

    read: bool


class ContactMessageCreate(RequestBody):
    """``POST /messages``: one text to one existing contact."""

    contact_id: str
    message: str
    metadata: dict[str, str] | None = None


class MessageCreate(RequestBody):
    """``POST /message``: one text to one phone number."""

    phone_number: str
    message: str
    metadata: dict[str, str] | None = None


class BatchItem(RequestBody):
    phone_number: str
    message: str
    metadata: dict[str, str] | None = None


class MessageBatchCreate(RequestBody):
    """``POST /message/batch``: up to 100 (already personalised) texts."""

    messages: list[BatchItem]


class ScheduledMessageCreate(RequestBody):
    phone_number: str
    message: str
    send_at: Timestamp


class ScheduledMessageUpdate(RequestBody):
    message: str | None = None
    send_at: Timestamp | None = None


class PhoneLookupRequest(RequestBody):
    phone_numbers: list[str]
