"""How the sandbox writes its JSON: our own shape, or the way a Laravel/Fractal server would.

``php`` (``--shape php``, ``SandboxConfig.shape``) answers like the seed's examples hint a real
Mobiniti server does: PHP's empty arrays (``[]``) for empty objects, single resources bare (no
``{"data": …}``), includes wrapped in ``{"data": …}``, 10-digit numbers in message objects,
``+0000`` timestamps, messages without ``direction`` (a ``from`` says who sent them) and
receipts without ``updated_at``. The default shape is the project's contract table as is.
"""

from __future__ import annotations

import re
from typing import Any, Final, Literal

Shape = Literal["default", "php"]
SHAPES: Final[tuple[str, ...]] = ("default", "php")

# Keys that hold an include (Fractal wraps each in {"data": …}).
_INCLUDES: Final = frozenset({"receipt", "type", "contact", "carrier", "status", "groups",
                              "optin", "keyword"})
_ISO: Final = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$")


def single(body: Any, shape: Shape) -> Any:
    """A single-resource answer: ``{"data": {...}}`` in our shape, bare in php."""
    if shape == "php":
        return php_value(body)
    return {"data": body}


def listing(body: dict[str, Any], shape: Shape) -> dict[str, Any]:
    """A list answer (``{"data": [...], "meta": …}``), rewritten for the shape."""
    if shape != "php":
        return body
    out: dict[str, Any] = {"data": [php_value(x) for x in body["data"]]}
    if "meta" in body:
        out["meta"] = php_value(body["meta"])
    return out


def national(phone: str) -> str:
    """A number as a php server stores it: 10 digits for +1 numbers, else digits only."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[1:] if phone.startswith("+1") and len(digits) == 11 else digits


def _is_message(value: dict[str, Any]) -> bool:
    return {"id", "phone_number", "message", "direction"} <= value.keys()


def php_value(value: Any, key: str | None = None) -> Any:
    """One JSON value as Laravel + Fractal would write it."""
    if isinstance(value, dict):
        if _is_message(value):
            value = _php_message(value)
        if key == "receipt":
            value = {k: v for k, v in value.items() if k != "updated_at"}
        out = {k: php_value(v, k) for k, v in value.items()}
        if key == "links":
            out = {k: v for k, v in out.items() if v is not None}
        if not out:
            return []
        return {"data": out} if key in _INCLUDES else out
    if isinstance(value, list):
        items = [php_value(v) for v in value]
        return {"data": items} if key in _INCLUDES else items
    if isinstance(value, str) and (match := _ISO.match(value)):
        return match.group(1) + "+0000"
    return value


def _php_message(message: dict[str, Any]) -> dict[str, Any]:
    out = dict(message)
    direction = out.pop("direction")
    out["phone_number"] = national(str(message["phone_number"]))
    out["from"] = out["phone_number"] if direction == "incoming" else message.get("short_code")
    return out
