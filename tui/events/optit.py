"""Opt It Mobile event notifications (seed 000): form-encoded subscribe, unsubscribe, send result.

Time zone: the seed's ``yyyymmddhhmmss`` dates carry none. Opt It Mobile is a US-only service
run from Atlanta, and its dashboard shows US Eastern time, so we read them as
``America/New_York`` (with daylight saving). If that is wrong, only the shown time of an
opt-in moves by a few hours: ordering, de-duplication and effects use our own received time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from tui.events.codes import (
    OPTIT_EVENT_KINDS,
    OPTIT_EVENT_TYPES,
    OPTIT_RESPONSE_CODES,
)
from tui.events.fields import compact, decode, phone, text
from tui.events.model import BadPayload, Event

OPTIT_TIME_ZONE: Final = ZoneInfo("America/New_York")
MAX_FIELDS: Final = 60


def read_form(body: bytes) -> dict[str, str]:
    """The fields of a form body; a field given twice is refused (which one would be true?)."""
    source = decode(body).lstrip("\ufeff")
    if not source.strip():
        raise BadPayload("the body is empty", 400)
    try:
        pairs = parse_qsl(source, keep_blank_values=True, strict_parsing=True,
                          max_num_fields=MAX_FIELDS, errors="strict")
    except UnicodeDecodeError:
        raise BadPayload("a form field is not UTF-8 once %-decoded", 400) from None
    except ValueError as exc:
        raise BadPayload(f"the body is not a form ({exc})", 400) from None
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in fields:
            raise BadPayload(f"the field {name!r} is given twice")
        fields[name] = value
    return fields


def optit_time(fields: dict[str, str], name: str) -> datetime | None:
    value = fields.get(name, "").strip()
    if not value:
        return None
    if len(value) != 14 or not value.isdigit():
        raise BadPayload(f"the field {name!r} should be yyyymmddhhmmss, not {value[:40]!r}")
    try:
        naive = datetime.strptime(value, "%Y%m%d%H%M%S")
    except ValueError:
        raise BadPayload(f"the field {name!r} is not a real date: {value!r}") from None
    return naive.replace(tzinfo=OPTIT_TIME_ZONE)


def parse_optit(body: bytes) -> list[Event]:
    fields = read_form(body)
    event_type = (fields.get("event_type") or "").strip()
    if event_type not in OPTIT_EVENT_TYPES:
        raise BadPayload(f"the field 'event_type' should be 1, 2 or 3, not {event_type[:20]!r}")
    kind = OPTIT_EVENT_KINDS[event_type]
    request_id = text(fields, "request_id", limit=100)
    keyword = compact({"keyword": text(fields, "keyword", limit=100),
                       "keyword_id": text(fields, "keyword_id", limit=40),
                       "short_code": text(fields, "short_code", limit=40)})
    raw = body.decode("utf-8")
    if kind == "send_result":
        code = (fields.get("response_code") or "").strip()
        if code not in OPTIT_RESPONSE_CODES:
            raise BadPayload(f"the field 'response_code' has an unknown value {code[:20]!r}")
        desc, meaning = OPTIT_RESPONSE_CODES[code]
        number = phone(fields, "phone")
        return [Event(
            kind=kind, provider="optit", phone=number, code=code, meaning=f"{desc}: {meaning}",
            provider_id=(f"{request_id}:{number or fields.get('keyword_id') or ''}:"
                         f"{fields.get('interest_id') or ''}" if request_id else None),
            ids=compact({"request_id": request_id,
                         "interest_id": text(fields, "interest_id", limit=40)}),
            details={**keyword, **compact({"response_desc": text(fields, "response_desc",
                                                                 limit=200)})},
            raw=raw,
        )]
    date_field = "signup_date" if kind == "subscribe" else "unsubscribe_date"
    member = compact({"first_name": text(fields, "first_name", limit=200),
                      "last_name": text(fields, "last_name", limit=200),
                      "email": text(fields, "email_address", limit=320),
                      "zip": text(fields, "zip", limit=20),
                      "gender": text(fields, "gender", limit=20)})
    return [Event(
        kind=kind, provider="optit", phone=phone(fields, "phone", required=True),
        occurred_at=optit_time(fields, date_field), code=event_type,
        meaning=OPTIT_EVENT_TYPES[event_type],
        provider_id=f"{request_id}:{event_type}" if request_id else None,
        ids=compact({"member_id": text(fields, "member_id", limit=40),
                     "request_id": request_id}),
        details={**keyword, **member}, raw=raw,
    )]
