"""Contacts, groups and what they include: carriers, opt-ins, keywords, subscription status."""

from __future__ import annotations

from typing import Literal

from tui.api.models.base import PhoneNumber, Resource, TextMap, Timestamp


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
    phone_number: PhoneNumber
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
    fields: TextMap | None = None

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


class UnsubscribeResult(Resource):
    unsubscribed: list[str] = []
    not_found: list[str] = []


class PhoneLookup(Resource):
    phone_number: str
    valid: bool
    line_type: Literal["mobile", "landline", "voip", "unknown"] = "unknown"
    carrier: Carrier | None = None
