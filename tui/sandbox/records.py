"""Mutable in-memory records the sandbox keeps (the wire shapes live in tui.api.models)."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Direction = Literal["incoming", "outgoing"]
ScheduledStatus = Literal["pending", "sent", "cancelled", "failed"]
CarrierStatus = Literal["active", "suspended", "deactivated", "transferred"]


class IdMaker:
    """UUIDs from a seeded generator, so the same seed gives the same demo data.

    Records made while the sandbox runs (texts sent and received, new contacts) get ids from a
    generator seeded afresh for each run (``start_run``): a client that kept a store across a
    restart of the sandbox must never see an id it already knows stand for another record.
    """

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"ids-{seed}")

    def start_run(self) -> None:
        """From now on, ids no earlier run of the sandbox has handed out."""
        self._rng = random.Random(secrets.randbits(128))

    def new(self) -> str:
        # formatted by hand: uuid.UUID() costs a third of the time of building 100k contacts
        h = f"{self._rng.getrandbits(128):032x}"
        variant = "89ab"[int(h[16], 16) & 3]
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


@dataclass(slots=True)
class ContactRecord:
    id: str
    phone_number: str
    created_at: datetime
    updated_at: datetime
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    zip: str | None = None
    reward_points: int = 0
    unsubscribed_at: datetime | None = None
    bounces: int = 0
    carrier_id: str | None = None
    carrier_status: CarrierStatus = "active"
    groups: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    # Created through the API: an opt-in text went out and the contact has not answered YES yet.
    pending: bool = False

    @property
    def subscribed(self) -> bool:
        return self.unsubscribed_at is None

    @property
    def can_be_texted(self) -> bool:
        return self.subscribed and not self.pending


@dataclass(slots=True)
class KeywordRecord:
    id: str
    keyword: str


@dataclass(slots=True)
class GroupRecord:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    join_message: str | None = None
    one_time_message: bool = False
    always_send_join: bool = False
    social_profiling: bool = False
    email_new_contact: bool = False
    optin_id: str | None = None
    keyword: KeywordRecord | None = None
    # contact ids in the order they joined (a dict is an ordered set with O(1) removal)
    members: dict[str, None] = field(default_factory=dict)


@dataclass(slots=True)
class MessageRecord:
    id: str
    phone_number: str
    message: str
    direction: Direction
    type_name: str
    created_at: datetime
    updated_at: datetime
    read: bool = False
    contact_id: str | None = None
    short_code: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    receipt_code: str | None = None
    receipt_updated_at: datetime | None = None


@dataclass(slots=True)
class ScheduledRecord:
    id: str
    phone_number: str
    message: str
    send_at: datetime
    created_at: datetime
    updated_at: datetime
    status: ScheduledStatus = "pending"
    message_id: str | None = None
