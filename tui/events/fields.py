"""Reading one field of a provider body: text, phone, time, code; each failure a ``BadPayload``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any, Final

from tui.events.model import BadPayload
from tui.safe_text import shown
from tui.sms.phones import InvalidPhoneNumber, normalize

# A provider field longer than this is not a name, a number or a text message.
MAX_FIELD: Final = 4000
# An SMS body can be long when concatenated; 10 segments of 160 is generous.
MAX_TEXT: Final = 2000


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPayload(f"the body is not UTF-8 text (byte {exc.start})", 400) from None


def text(data: Mapping[str, Any], name: str, *, required: bool = False,
         limit: int = MAX_FIELD) -> str | None:
    """A string field made safe to show; numbers are accepted as their text (ids, codes)."""
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise BadPayload(f"the field {name!r} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadPayload(f"the field {name!r} should be text, not {type(value).__name__}")
    raw = str(value)
    if len(raw) > limit:
        raise BadPayload(f"the field {name!r} is too long ({len(raw)} characters)")
    return shown(raw)


def phone(data: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    """A provider's number (``+19999999999``, ``19999999999``, ``9999999999``) as E.164.

    Lenient (``strict=False``): providers send test and unassigned ranges; a length that fits
    the country is enough.
    """
    value = text(data, name, required=required, limit=40)
    if value is None:
        return None
    try:
        return normalize(value, "US", strict=False)
    except InvalidPhoneNumber as exc:
        raise BadPayload(f"the field {name!r}: {exc}") from None


def iso_time(data: Mapping[str, Any], name: str, *, required: bool = False,
             naive_zone: tzinfo = UTC) -> datetime | None:
    """An ISO 8601 time (``2016-07-01T15:11:09.553Z``, ``2014-07-02T14:32:23-04``), aware."""
    value = text(data, name, required=required, limit=64)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise BadPayload(f"the field {name!r} is not a date and time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=naive_zone)


def code(data: Mapping[str, Any], name: str, table: Mapping[str, str], *,
         required: bool = True) -> tuple[str | None, str | None]:
    """A code and its meaning from the seed's table; an unknown code is a ``BadPayload``."""
    value = text(data, name, required=required, limit=40)
    if value is None:
        return None, None
    value = value.strip()
    meaning = table.get(value) or table.get(value.upper())
    if meaning is None:
        raise BadPayload(f"the field {name!r} has an unknown value {value!r}")
    return (value.upper() if value.upper() in table else value), meaning


def compact(values: Mapping[str, str | None]) -> dict[str, str]:
    """Only the fields that were given."""
    return {k: v for k, v in values.items() if v is not None}
