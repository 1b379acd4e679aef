"""Records to the shared pydantic models, and models to JSON with only the includes asked for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from tui.api import codes
from tui.api import models as m
from tui.sandbox.records import ContactRecord, GroupRecord, MessageRecord, ScheduledRecord
from tui.sandbox.state import SandboxState

# Keys a resource shows only when ``include`` asks for them.
OPTIONAL_KEYS: dict[type[BaseModel], frozenset[str]] = {
    m.Contact: frozenset({"carrier", "status", "groups", "fields"}),
    m.Group: frozenset({"keyword"}),
    m.Message: frozenset({"receipt", "contact", "type"}),
}
_NESTED_CONTACT_HIDDEN = {"status", "groups", "fields"}


def dump(model: BaseModel, includes: Iterable[str] = ()) -> dict[str, Any]:
    """JSON-ready dict; optional keys not included are left out, as the real API does."""
    hidden = OPTIONAL_KEYS.get(type(model), frozenset()) - {i.split(".")[0] for i in includes}
    exclude: dict[str, Any] = dict.fromkeys(hidden, True)
    if isinstance(model, m.Message) and "contact" not in hidden:
        exclude["contact"] = _NESTED_CONTACT_HIDDEN
    return model.model_dump(mode="json", exclude=exclude or None)


def contact(state: SandboxState, record: ContactRecord, includes: Iterable[str] = ()
            ) -> m.Contact:
    wanted = set(includes)
    extra: dict[str, Any] = {}
    if "carrier" in wanted and record.carrier_id in state.carriers:
        extra["carrier"] = state.carriers[record.carrier_id]
    if "status" in wanted:
        extra["status"] = m.ContactStatus(subscribed=record.can_be_texted, pending=record.pending,
                                          unsubscribed_at=record.unsubscribed_at,
                                          carrier_status=record.carrier_status)
    if "groups" in wanted:
        extra["groups"] = [m.GroupRef(id=g, name=state.groups[g].name)
                           for g in record.groups if g in state.groups]
    if "fields" in wanted:
        extra["fields"] = dict(record.fields)
    return m.Contact(
        id=record.id, phone_number=record.phone_number, first_name=record.first_name,
        last_name=record.last_name, email=record.email, gender=record.gender,
        birth_date=record.birth_date, zip=record.zip, reward_points=record.reward_points,
        unsubscribed_at=record.unsubscribed_at, bounces=record.bounces,
        created_at=record.created_at, updated_at=record.updated_at, **extra,
    )


def group(state: SandboxState, record: GroupRecord, includes: Iterable[str] = ()) -> m.Group:
    keyword = None
    if "keyword" in set(includes) and record.keyword is not None:
        keyword = m.Keyword(id=record.keyword.id, keyword=record.keyword.keyword,
                            short_code=state.short_code)
    return m.Group(
        id=record.id, name=record.name, join_message=record.join_message,
        one_time_message=record.one_time_message, always_send_join=record.always_send_join,
        social_profiling=record.social_profiling, email_new_contact=record.email_new_contact,
        contacts_count=len(record.members), created_at=record.created_at,
        updated_at=record.updated_at,
        optin=state.optins.get(record.optin_id) if record.optin_id else None, keyword=keyword,
    )


def receipt(record: MessageRecord) -> m.Receipt | None:
    if record.receipt_code is None or record.receipt_updated_at is None:
        return None
    code = record.receipt_code
    failed = codes.delivery_state(code) == "failed"
    return m.Receipt(code=code, status=codes.delivery_meaning(code),
                     success=code == codes.DELIVERED, bounce=failed and code in BOUNCE_CODES,
                     updated_at=record.receipt_updated_at)


# Failures that mean "this number cannot get texts" (counted as bounces on the contact).
BOUNCE_CODES = frozenset({"101", "106", "107", "108", "109", "115", "141"})


def message(state: SandboxState, record: MessageRecord, includes: Iterable[str] = ()
            ) -> m.Message:
    wanted = set(includes)
    extra: dict[str, Any] = {}
    if "type" in wanted:
        extra["type"] = m.MessageType(name=record.type_name, direction=record.direction)
    if "receipt" in wanted:
        extra["receipt"] = receipt(record)
    if "contact.carrier" in wanted or "contact" in wanted:
        found = state.contacts.get(record.contact_id) if record.contact_id else None
        extra["contact"] = contact(state, found, ("carrier",)) if found else None
    return m.Message(
        id=record.id, phone_number=record.phone_number, message=record.message,
        direction=record.direction, read=record.read, contact_id=record.contact_id,
        short_code=record.short_code, metadata=dict(record.metadata),
        created_at=record.created_at, updated_at=record.updated_at, **extra,
    )


def scheduled(record: ScheduledRecord) -> m.ScheduledMessage:
    return m.ScheduledMessage(
        id=record.id, phone_number=record.phone_number, message=record.message,
        send_at=record.send_at, status=record.status, message_id=record.message_id,
        created_at=record.created_at, updated_at=record.updated_at,
    )
