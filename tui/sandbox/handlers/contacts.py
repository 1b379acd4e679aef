"""Contacts: list/filter, create, update, delete, batch unsubscribe, group membership."""

from __future__ import annotations

import re
from typing import Any

from tui.api import models as m
from tui.api.limits import MAX_UNSUBSCRIBE_BATCH
from tui.sandbox import views
from tui.sandbox.call import Call, Handler, Reply
from tui.sandbox.phones import normalize
from tui.sandbox.problems import check_list_size, invalid, invalid_many, not_found
from tui.sandbox.records import ContactRecord
from tui.sandbox.sending import BAD_NUMBER
from tui.sandbox.state import SandboxState

SORTABLE = ("created_at", "updated_at", "first_name", "last_name", "phone_number",
            "reward_points", "email", "zip", "unsubscribed_at")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def find(state: SandboxState, contact_id: str) -> ContactRecord:
    record = state.contacts.get(contact_id)
    if record is None:
        raise not_found("contact")
    return record


def filtered(call: Call, records: Any, filters: dict[str, str]) -> list[ContactRecord]:
    state = call.state
    phone = filters.get("phone_number")
    if phone is not None:
        e164 = normalize(phone) or phone
        hit = state.contact_by_phone(e164)
        candidates = [hit] if hit is not None and hit.id in records else []
    else:
        candidates = records if isinstance(records, list) else list(records.values())
    points = filters.get("reward_points")
    if points is not None:
        try:
            wanted = int(points)
        except ValueError:
            raise invalid("filter[reward_points]", "The reward points filter must be a "
                                                   "whole number.") from None
        candidates = [c for c in candidates if c.reward_points == wanted]
    return candidates


def list_contacts(call: Call) -> Reply:
    query = call.list_query(SORTABLE)
    records = filtered(call, call.state.contacts, query.filters)
    return call.page(records, query, lambda r: views.contact(call.state, r, call.includes))


def list_group_contacts(call: Call) -> Reply:
    group = call.state.groups.get(call.params["id"])
    if group is None:
        raise not_found("group")
    query = call.list_query(SORTABLE)
    members = {cid: call.state.contacts[cid] for cid in group.members
               if cid in call.state.contacts}
    records = filtered(call, members, query.filters)
    return call.page(records, query, lambda r: views.contact(call.state, r, call.includes))


def get_contact(call: Call) -> Reply:
    record = find(call.state, call.params["id"])
    return call.one(views.contact(call.state, record, call.includes))


def _check_details(state: SandboxState, body: m.ContactCreate | m.ContactUpdate
                   ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if body.email and not _EMAIL.match(body.email):
        errors["email"] = ["The email must be a valid email address."]
    if body.birth_date and not _DATE.match(body.birth_date):
        errors["birth_date"] = ["The birth date does not match the format Y-m-d."]
    if body.gender and body.gender.lower() not in ("male", "female", "other"):
        errors["gender"] = ["The selected gender is invalid (male, female or other)."]
    for index, group_id in enumerate(body.groups or []):
        if group_id not in state.groups:
            errors[f"groups.{index}"] = ["The selected group is invalid."]
    return errors


def create_contact(call: Call) -> Reply:
    body: m.ContactCreate = call.body
    state = call.state
    errors = _check_details(state, body)
    e164 = normalize(body.phone_number)
    if e164 is None:
        errors["phone_number"] = [BAD_NUMBER]
    elif e164 in state.contacts_by_phone:
        errors["phone_number"] = ["The contact already exists."]
    if errors:
        raise invalid_many(errors)
    assert e164 is not None
    now = state.now()
    from tui.sandbox.demo import carrier_for

    record = ContactRecord(
        id=state.ids.new(), phone_number=e164, created_at=now, updated_at=now,
        first_name=body.first_name, last_name=body.last_name, email=body.email,
        gender=body.gender, birth_date=body.birth_date, zip=body.zip,
        carrier_id=carrier_for(state, e164).id if state.carriers else None,
        groups=list(dict.fromkeys(body.groups or [])), fields=dict(body.fields or {}),
        pending=state.api_contacts_pending,
    )
    state.add_contact(record)
    return call.one(views.contact(state, record, call.includes), 201)


def update_contact(call: Call) -> Reply:
    body: m.ContactUpdate = call.body
    state = call.state
    record = find(state, call.params["id"])
    errors = _check_details(state, body)
    if body.reward_points is not None and body.reward_points < 0:
        errors["reward_points"] = ["The reward points must be at least 0."]
    if errors:
        raise invalid_many(errors)
    for name in ("first_name", "last_name", "email", "gender", "birth_date", "zip",
                 "reward_points"):
        if name in body.model_fields_set:
            setattr(record, name, getattr(body, name))
    if body.fields is not None:
        record.fields.update(body.fields)
    if body.groups is not None:
        state.set_groups(record, body.groups)
    record.updated_at = state.now()
    return call.one(views.contact(state, record, call.includes))


def delete_contact(call: Call) -> Reply:
    call.state.delete_contact(find(call.state, call.params["id"]))
    return call.none()


def unsubscribe_contacts(call: Call) -> Reply:
    body: m.UnsubscribeRequest = call.body
    state = call.state
    check_list_size(body.phone_numbers, "phone_numbers", MAX_UNSUBSCRIBE_BATCH)
    errors: dict[str, list[str]] = {}
    numbers: list[tuple[str, str]] = []
    for index, raw in enumerate(body.phone_numbers):
        e164 = normalize(raw)
        if e164 is None:
            errors[f"phone_numbers.{index}"] = [BAD_NUMBER]
        else:
            numbers.append((raw, e164))
    if errors:
        raise invalid_many(errors)
    result = m.UnsubscribeResult()
    for raw, e164 in numbers:
        contact = state.contact_by_phone(e164)
        if contact is None:
            result.not_found.append(raw)
        else:
            state.unsubscribe(contact)
            result.unsubscribed.append(e164)
    return call.one(result)


def add_contact_group(call: Call) -> Reply:
    body: m.ContactGroupAdd = call.body
    state = call.state
    record = find(state, call.params["id"])
    if body.group_id not in state.groups:
        raise invalid("group_id", "The selected group id is invalid.")
    state.join_group(record, body.group_id)
    return call.one(views.contact(state, record, {"groups"}), 201, includes={"groups"})


def remove_contact_group(call: Call) -> Reply:
    state = call.state
    record = find(state, call.params["id"])
    if call.params["group"] not in state.groups:
        raise not_found("group")
    state.leave_group(record, call.params["group"])
    return call.none()


HANDLERS: dict[str, Handler] = {
    "list_contacts": list_contacts, "create_contact": create_contact,
    "get_contact": get_contact, "update_contact": update_contact,
    "delete_contact": delete_contact, "unsubscribe_contacts": unsubscribe_contacts,
    "add_contact_group": add_contact_group, "remove_contact_group": remove_contact_group,
    "list_group_contacts": list_group_contacts,
}
