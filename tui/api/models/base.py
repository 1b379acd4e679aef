"""Timestamps and the two base classes: tolerant ``Resource`` (read) and strict ``RequestBody``."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, model_validator

from tui.api.models.tolerant import phone_in, text_map, tolerate

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
# A phone number read from the server: any common form, normalised to E.164 when possible.
PhoneNumber = Annotated[str, BeforeValidator(phone_in)]
# A string map read from the server (metadata, custom fields): [] is empty, numbers are text.
TextMap = Annotated[dict[str, str], BeforeValidator(text_map)]


class Resource(BaseModel):
    """Base for server resources: read tolerantly (``tolerant.tolerate``), unknown fields kept."""

    # defer_build: schemas are built on first use, not at import (start-up time).
    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True,
                              coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def _tolerate(cls, data: Any) -> Any:
        return tolerate(cls, data)


class RequestBody(BaseModel):
    """Base for request bodies: unknown keys are refused so typos fail before sending."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


def number_as_text(value: Any) -> Any:
    """A request field that a real client may send as a JSON number (``phone_number``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# A phone number in a request body: text, or a JSON number as some clients send it.
PhoneText = Annotated[str, BeforeValidator(number_as_text)]
