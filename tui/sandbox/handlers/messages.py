"""Messages: list/filter/include, mark read, send one / to a contact / a batch, carrier lookup."""

from __future__ import annotations

from datetime import datetime

from tui.api import models as m
from tui.api.limits import MAX_MESSAGE_BATCH, MAX_PHONE_LOOKUP
from tui.api.routes import UNREAD_SCOPE
from tui.sandbox import views
from tui.sandbox.auth import require
from tui.sandbox.call import Call, Handler, Reply
from tui.sandbox.demo import carrier_for
from tui.sandbox.phones import digits, line_type, normalize
from tui.sandbox.problems import check_list_size, invalid, invalid_many, not_found
from tui.sandbox.query import parse_bool
from tui.sandbox.records import MessageRecord
from tui.sandbox.sending import check_text, refuse_unready, text_errors
from tui.sandbox.shapes import national
from tui.sandbox.state import SandboxState

SORTABLE = ("created_at", "updated_at", "phone_number", "direction", "read")
TYPE_NAMES = ("INCOMING_REPLY", "INCOMING_KEYWORD", "OUTGOING_REPLY", "OUTGOING_CAMPAIGN",
              "OUTGOING_API")


def find(state: SandboxState, message_id: str) -> MessageRecord:
    record = state.messages_by_id.get(message_id)
    if record is None:
        raise not_found("message")
    return record


def _when(name: str, raw: str) -> datetime:
    try:
        value = m.parse_timestamp(raw)
    except ValueError:
        value = None
    if not isinstance(value, datetime):
        raise invalid(f"filter[{name}]", f"The {name} filter must be an ISO 8601 date and time, "
                                         f"e.g. 2024-05-01T12:00:00.000Z.")
    return value


def list_messages(call: Call) -> Reply:
    query = call.list_query(SORTABLE)
    filters = query.filters
    if "read" in filters:
        require(call.scopes, UNREAD_SCOPE)
    low = _when("created_at_min", filters["created_at_min"]) if "created_at_min" in filters \
        else None
    high = _when("created_at_max", filters["created_at_max"]) if "created_at_max" in filters \
        else None
    records = call.state.messages_since(low)
    if high is not None:
        records = [r for r in records if r.created_at <= high]
    kind = filters.get("type")
    if kind is not None:
        if kind == "INCOMING_ALL":
            records = [r for r in records if r.direction == "incoming"]
        elif kind == "OUTGOING_ALL":
            records = [r for r in records if r.direction == "outgoing"]
        elif kind in TYPE_NAMES:
            records = [r for r in records if r.type_name == kind]
        elif kind == "unknown":
            records = []
        else:
            raise invalid("filter[type]", "The type filter must be one of unknown, INCOMING_ALL, "
                                          "OUTGOING_ALL.")
    if "phone_number" in filters:
        # Partial match on the digits as the server stores them (php: 10 digits, no +1).
        stored = national if call.shape == "php" else digits
        wanted = digits(filters["phone_number"])
        records = [r for r in records if wanted in stored(r.phone_number)] if wanted else []
    if "read" in filters:
        read = parse_bool("read", filters["read"])
        records = [r for r in records if r.read is read]
    return call.page(records, query, lambda r: views.message(call.state, r, call.includes))


def get_message(call: Call) -> Reply:
    record = find(call.state, call.params["id"])
    return call.one(views.message(call.state, record, call.includes))


def update_message(call: Call) -> Reply:
    body: m.MessageUpdate = call.body
    record = find(call.state, call.params["id"])
    record.read = body.read
    record.updated_at = call.state.now()
    return call.one(views.message(call.state, record))


def send_message(call: Call) -> Reply:
    body: m.MessageCreate = call.body
    state = call.state
    e164, errors = text_errors(state, body.phone_number, body.message)
    if errors:
        raise invalid_many(errors)
    assert e164 is not None
    record = state.record_outgoing(e164, body.message, metadata=body.metadata)
    return call.one(views.message(state, record), 201)


def send_to_contact(call: Call) -> Reply:
    body: m.ContactMessageCreate = call.body
    state = call.state
    contact = state.contacts.get(body.contact_id)
    if contact is None:
        raise invalid("contact_id", "The selected contact id is invalid.")
    check_text(body.message)
    refuse_unready(state, contact, "contact_id")
    record = state.record_outgoing(contact.phone_number, body.message, metadata=body.metadata)
    return call.one(views.message(state, record), 201)


def send_batch(call: Call) -> Reply:
    """One text to up to 100 numbers; any refused number refuses the whole request (422,
    errors keyed ``phone_numbers.N``), so nothing goes out and the client may send the rest."""
    body: m.MessageBatchCreate = call.body
    state = call.state
    check_list_size(body.phone_numbers, "phone_numbers", MAX_MESSAGE_BATCH)
    errors: dict[str, list[str]] = {}
    numbers: list[str] = []
    for index, raw in enumerate(body.phone_numbers):
        e164, item_errors = text_errors(state, raw, body.message)
        if "phone_number" in item_errors:
            errors[f"phone_numbers.{index}"] = item_errors["phone_number"]
        if "message" in item_errors:
            errors["message"] = item_errors["message"]
        numbers.append(e164 or "")
    if errors:
        raise invalid_many(errors)
    sent = [state.record_outgoing(phone, body.message, metadata=body.metadata)
            for phone in dict.fromkeys(numbers)]
    return call.many([views.message(state, r) for r in sent], 201)


def lookup_phone_numbers(call: Call) -> Reply:
    body: m.PhoneLookupRequest = call.body
    check_list_size(body.phone_numbers, "phone_numbers", MAX_PHONE_LOOKUP)
    results = []
    for raw in body.phone_numbers:
        e164 = normalize(raw)
        if e164 is None:
            results.append(m.PhoneLookup(phone_number=raw, valid=False))
            continue
        kind = line_type(e164)
        results.append(m.PhoneLookup(
            phone_number=e164, valid=True, line_type=kind,
            carrier=carrier_for(call.state, e164) if call.state.carriers else None,
        ))
    return call.many(results)


HANDLERS: dict[str, Handler] = {
    "list_messages": list_messages, "get_message": get_message,
    "update_message": update_message, "send_message": send_message,
    "send_to_contact": send_to_contact, "send_batch": send_batch,
    "lookup_phone_numbers": lookup_phone_numbers,
}
