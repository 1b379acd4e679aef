"""Mobiniti webhooks (seed 002): six JSON bodies, told apart by their fields when no URL says."""

from __future__ import annotations

from typing import Any

from tui.api.codes import DELIVERY_CODES
from tui.events.codes import MOBINITI_CONTACT_STATUSES, MOBINITI_WEBHOOKS
from tui.events.fields import MAX_TEXT, compact, iso_time, phone, text
from tui.events.json_body import load_object
from tui.events.model import BadPayload, Event

MAX_REPORT_MESSAGES = 100


def infer_webhook(data: dict[str, Any]) -> str:
    """Which of the seed's webhooks a body is, from the fields only it has."""
    if "statuses" in data or "total_messages" in data:
        return "delivery_report"
    if "received_at" in data or ("message" in data and "phone_number" in data):
        return "inbound_message"
    if "bounces" in data:
        return "bounced_message"
    if "status" in data and "phone_number" in data:
        return "contact_status"
    if "to" in data and "phone_number" in data:
        return "unsubscribe"
    if "description" in data and "code" in data:
        return "rejection"
    raise BadPayload("this is not a Mobiniti webhook this receiver knows (inbound message, "
                     "unsubscribe, delivery report, contact status, bounced message, rejection)")


def _contact_ids(data: dict[str, Any]) -> dict[str, str]:
    return compact({"contact_id": text(data, "id", limit=100),
                    "first_name": text(data, "first_name", limit=200),
                    "last_name": text(data, "last_name", limit=200),
                    "email": text(data, "email", limit=320)})


def _inbound(data: dict[str, Any], raw: str) -> list[Event]:
    return [Event(
        kind="inbound_message", provider="mobiniti", phone=phone(data, "phone_number",
                                                                 required=True),
        occurred_at=iso_time(data, "received_at") or iso_time(data, "updated_at"),
        text=text(data, "message", limit=MAX_TEXT) or "",
        ids=_contact_ids(data),
        details=compact({"short_code": text(data, "short_code", limit=40),
                         "unsubscribed_at": text(data, "unsubscribed_at", limit=64)}),
        raw=raw,
    )]


def _unsubscribe(data: dict[str, Any], raw: str) -> list[Event]:
    return [Event(
        kind="unsubscribe", provider="mobiniti", phone=phone(data, "phone_number", required=True),
        occurred_at=iso_time(data, "unsubscribed_at") or iso_time(data, "updated_at"),
        meaning="The contact was unsubscribed.", ids=_contact_ids(data),
        details=compact({"short_code": text(data, "to", limit=40)}), raw=raw,
    )]


def _status(data: dict[str, Any], raw: str) -> list[Event]:
    status = (text(data, "status", required=True, limit=40) or "").strip().lower()
    meaning = MOBINITI_CONTACT_STATUSES.get(status)
    if meaning is None:
        raise BadPayload(f"the field 'status' has an unknown value {status!r}")
    return [Event(
        kind="contact_status", provider="mobiniti",
        phone=phone(data, "phone_number", required=True),
        occurred_at=iso_time(data, "updated_at"), code=status, meaning=meaning,
        ids=_contact_ids(data),
        details=compact({"previous_phone_number": text(data, "previous_phone_number",
                                                        limit=40)}),
        raw=raw,
    )]


def _bounced(data: dict[str, Any], raw: str) -> list[Event]:
    bounces = data.get("bounces")
    if bounces is not None and (isinstance(bounces, bool) or not isinstance(bounces, int)):
        raise BadPayload("the field 'bounces' should be a whole number")
    return [Event(
        kind="bounced", provider="mobiniti", phone=phone(data, "phone_number", required=True),
        occurred_at=iso_time(data, "updated_at"),
        meaning=f"An outgoing text bounced ({bounces} bounces so far)." if bounces is not None
        else "An outgoing text bounced.",
        ids=_contact_ids(data),
        details=compact({"bounces": None if bounces is None else str(bounces)}), raw=raw,
    )]


def _rejection(data: dict[str, Any], raw: str) -> list[Event]:
    description = text(data, "description", limit=1000)
    code = text(data, "code", limit=40)
    if description is None and code is None:
        raise BadPayload("a rejection needs a 'code' or a 'description'")
    return [Event(
        kind="rejected", provider="mobiniti", code=code,
        meaning=description or "The message was rejected.",
        text=text(data, "message", limit=MAX_TEXT), raw=raw,
    )]


def _list(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadPayload(f"the field {name!r} should be a list of objects")
    if len(value) > MAX_REPORT_MESSAGES:
        raise BadPayload(f"the field {name!r} has more than {MAX_REPORT_MESSAGES} entries")
    return value


def _delivery(data: dict[str, Any], raw: str) -> list[Event]:
    """One event per message in the report, with the status that names its recipient."""
    statuses = _list(data, "statuses")
    by_recipient: dict[str, dict[str, Any]] = {}
    for status in statuses:
        recipients = status.get("recipients", [])
        if not isinstance(recipients, list):
            raise BadPayload("the field 'recipients' should be a list of numbers")
        for recipient in recipients:
            if not isinstance(recipient, (str, int)) or isinstance(recipient, bool):
                raise BadPayload("the field 'recipients' should be a list of numbers")
            by_recipient[str(recipient)[-10:]] = status
    events = []
    for message in _list(data, "messages"):
        number = phone(message, "phone_number", required=True)
        assert number is not None
        found = by_recipient.get(number[-10:]) or (statuses[0] if len(statuses) == 1 else None)
        if found is None:
            raise BadPayload("no status names the recipient of one of the messages")
        status = found
        code = text(status, "code", required=True, limit=10) or ""
        if code not in DELIVERY_CODES:
            raise BadPayload(f"the delivery code {code!r} is not one of the seed's codes")
        message_id = text(message, "id", required=True, limit=100) or ""
        metadata = message.get("metadata")
        key = metadata.get("smsdesk_key") if isinstance(metadata, dict) else None
        events.append(Event(
            kind="delivery_report", provider="mobiniti", phone=number, code=code,
            meaning=DELIVERY_CODES[code], text=text(message, "message", limit=MAX_TEXT),
            provider_id=f"{message_id}:{code}",
            ids=compact({"message_id": message_id,
                         "outbox_key": key if isinstance(key, str) else None}),
            details=compact({"from": text(message, "from", limit=40),
                             "success": str(status.get("success")).lower(),
                             "bounce": str(status.get("bounce")).lower()}),
            raw=raw,
        ))
    if not events:
        raise BadPayload("the delivery report names no message")
    return events


PARSERS = {
    "inbound_message": _inbound, "unsubscribe": _unsubscribe, "delivery_report": _delivery,
    "contact_status": _status, "bounced_message": _bounced, "rejection": _rejection,
}


def parse_mobiniti(body: bytes, webhook: str | None = None) -> list[Event]:
    """Events of one Mobiniti webhook body; ``webhook`` is the kind its URL names, if any."""
    if webhook is not None and webhook not in MOBINITI_WEBHOOKS:
        raise BadPayload(f"there is no Mobiniti webhook called {webhook!r}", 404)
    data = load_object(body)
    raw = body.decode("utf-8")
    return PARSERS[webhook or infer_webhook(data)](data, raw)
