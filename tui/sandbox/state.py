"""The sandbox's in-memory account: its records, their indexes, and changes that touch several."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.api import models as m
from tui.sandbox.records import (
    ContactRecord,
    Direction,
    GroupRecord,
    IdMaker,
    MessageRecord,
    ScheduledRecord,
)

Listener = Callable[[str, dict[str, Any]], None]

# Event names the state announces (webhooks and the traffic simulator listen).
OUTGOING = "outgoing"          # {"message": MessageRecord}
INCOMING = "incoming"          # {"message": MessageRecord, "contact": ContactRecord | None}
UNSUBSCRIBED = "unsubscribed"  # {"contact": ContactRecord}
RESUBSCRIBED = "resubscribed"  # {"contact": ContactRecord}
RECEIPT = "receipt"            # {"message": MessageRecord}
BOUNCED = "bounced"            # {"contact": ContactRecord, "message": MessageRecord}
REJECTED = "rejected"          # {"code": str, "text": str, "description": str}
CONTACT_STATUS = "contact_status"  # {"contact", "status": str, "previous": str | None}


def _created(record: MessageRecord) -> datetime:
    return record.created_at


@dataclass
class SandboxState:
    """Everything the fake account holds. Tests may read (and tweak) it directly."""

    now: Callable[[], datetime]
    ids: IdMaker
    short_code: str = "64600"
    keep_metadata: bool = True  # False: texts forget the metadata they were sent with
    refuse_unready: bool = True  # False: texts to pending/unsubscribed numbers fail later
    api_contacts_pending: bool = True  # contacts created through the API await their opt-in
    contacts: dict[str, ContactRecord] = field(default_factory=dict)
    contacts_by_phone: dict[str, str] = field(default_factory=dict)
    groups: dict[str, GroupRecord] = field(default_factory=dict)
    carriers: dict[str, m.Carrier] = field(default_factory=dict)
    optins: dict[str, m.OptIn] = field(default_factory=dict)
    campaigns: dict[str, m.Campaign] = field(default_factory=dict)
    campaign_templates: dict[str, m.CampaignTemplate] = field(default_factory=dict)
    coupons: dict[str, m.Coupon] = field(default_factory=dict)
    coupon_templates: dict[str, m.CouponTemplate] = field(default_factory=dict)
    # sorted by created_at (then arrival): the inbox cursor reads it with bisect
    messages: list[MessageRecord] = field(default_factory=list)
    messages_by_id: dict[str, MessageRecord] = field(default_factory=dict)
    scheduled: dict[str, ScheduledRecord] = field(default_factory=dict)
    listeners: list[Listener] = field(default_factory=list)

    # --- events ----------------------------------------------------------------------------

    def announce(self, event: str, **payload: Any) -> None:
        for listener in list(self.listeners):
            listener(event, payload)

    # --- contacts --------------------------------------------------------------------------

    def add_contact(self, contact: ContactRecord) -> None:
        self.contacts[contact.id] = contact
        self.contacts_by_phone[contact.phone_number] = contact.id
        for group_id in contact.groups:
            self.groups[group_id].members[contact.id] = None

    def contact_by_phone(self, phone: str) -> ContactRecord | None:
        contact_id = self.contacts_by_phone.get(phone)
        return self.contacts.get(contact_id) if contact_id else None

    def delete_contact(self, contact: ContactRecord) -> None:
        del self.contacts[contact.id]
        self.contacts_by_phone.pop(contact.phone_number, None)
        for group_id in contact.groups:
            group = self.groups.get(group_id)
            if group is not None:
                group.members.pop(contact.id, None)

    def set_groups(self, contact: ContactRecord, group_ids: list[str]) -> None:
        for group_id in contact.groups:
            if group_id in self.groups:
                self.groups[group_id].members.pop(contact.id, None)
        contact.groups = list(dict.fromkeys(group_ids))
        for group_id in contact.groups:
            self.groups[group_id].members[contact.id] = None

    def join_group(self, contact: ContactRecord, group_id: str) -> None:
        if group_id not in contact.groups:
            contact.groups.append(group_id)
        self.groups[group_id].members[contact.id] = None
        contact.updated_at = self.now()

    def leave_group(self, contact: ContactRecord, group_id: str) -> None:
        if group_id in contact.groups:
            contact.groups.remove(group_id)
        if group_id in self.groups:
            self.groups[group_id].members.pop(contact.id, None)
        contact.updated_at = self.now()

    def unsubscribe(self, contact: ContactRecord) -> bool:
        """True when this changed something (a second STOP is not news)."""
        if contact.unsubscribed_at is not None:
            return False
        contact.unsubscribed_at = contact.updated_at = self.now()
        self.announce(UNSUBSCRIBED, contact=contact)
        return True

    def resubscribe(self, contact: ContactRecord) -> bool:
        if contact.unsubscribed_at is None:
            return False
        contact.unsubscribed_at = None
        contact.updated_at = self.now()
        self.announce(RESUBSCRIBED, contact=contact)
        return True

    def delete_group(self, group: GroupRecord) -> None:
        for contact_id in group.members:
            contact = self.contacts.get(contact_id)
            if contact is not None and group.id in contact.groups:
                contact.groups.remove(group.id)
        del self.groups[group.id]

    def group_by_keyword(self, keyword: str) -> GroupRecord | None:
        wanted = keyword.strip().upper()
        for group in self.groups.values():
            if group.keyword is not None and group.keyword.keyword == wanted:
                return group
        return None

    # --- messages --------------------------------------------------------------------------

    def add_message(self, record: MessageRecord) -> None:
        if self.messages and record.created_at < self.messages[-1].created_at:
            bisect.insort_right(self.messages, record, key=_created)
        else:
            self.messages.append(record)
        self.messages_by_id[record.id] = record

    def record_outgoing(
        self,
        phone: str,
        text: str,
        *,
        type_name: str = "OUTGOING_API",
        metadata: dict[str, str] | None = None,
    ) -> MessageRecord:
        """A text leaves the account: it is queued (code 136) and its receipts follow later."""
        now = self.now()
        contact = self.contact_by_phone(phone)
        record = MessageRecord(
            id=self.ids.new(), phone_number=phone, message=text, direction="outgoing",
            type_name=type_name, created_at=now, updated_at=now, read=True,
            contact_id=contact.id if contact else None, short_code=self.short_code,
            metadata=dict(metadata or {}) if self.keep_metadata else {},
            receipt_code="136", receipt_updated_at=now,
        )
        self.add_message(record)
        self.announce(OUTGOING, message=record)
        return record

    def record_incoming(self, phone: str, text: str, *, type_name: str = "INCOMING_REPLY"
                        ) -> MessageRecord:
        now = self.now()
        contact = self.contact_by_phone(phone)
        record = MessageRecord(
            id=self.ids.new(), phone_number=phone, message=text, direction="incoming",
            type_name=type_name, created_at=now, updated_at=now, read=False,
            contact_id=contact.id if contact else None, short_code=self.short_code,
        )
        self.add_message(record)
        self.announce(INCOMING, message=record, contact=contact)
        return record

    def set_receipt(self, record: MessageRecord, code: str) -> None:
        record.receipt_code = code
        record.receipt_updated_at = record.updated_at = self.now()
        self.announce(RECEIPT, message=record)

    def messages_since(self, created_at_min: datetime | None) -> list[MessageRecord]:
        if created_at_min is None:
            return self.messages
        start = bisect.bisect_left(self.messages, created_at_min, key=_created)
        return self.messages[start:]

    def last_direction(self, phone: str) -> Direction | None:
        for record in reversed(self.messages):
            if record.phone_number == phone:
                return record.direction
        return None
