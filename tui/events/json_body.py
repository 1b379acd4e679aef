"""Reading a JSON webhook body that may be hostile: bounded depth, no duplicates, no giants.

The seed's own examples end objects with a trailing comma (``"updated_at": "…",\n}``), which
strict JSON refuses; a provider that documents it may send it, so one before ``}``/``]`` is
dropped. Nothing here can raise anything but ``BadPayload``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Final

from tui.events.fields import decode
from tui.events.model import BadPayload

MAX_DEPTH: Final = 16
MAX_INT_DIGITS: Final = 20
MAX_KEYS: Final = 200
_TRAILING_COMMA: Final = re.compile(r",\s*[}\]]")


def _without_trailing_commas(text: str) -> str:
    """Drop a comma that only precedes ``}``/``]``; also refuse nesting deeper than MAX_DEPTH."""
    out: list[str] = []
    depth = 0
    in_string = escaped = False
    pending_comma = -1
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char in " \t\r\n":
            out.append(char)
            continue
        if char in "}]":
            if pending_comma >= 0:
                out[pending_comma] = ""
            depth -= 1
        elif char in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadPayload(f"the JSON is nested more than {MAX_DEPTH} levels deep", 400)
        pending_comma = len(out) if char == "," else -1
        if char == '"':
            in_string = True
        out.append(char)
    return "".join(out)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len(pairs) > MAX_KEYS:
        raise BadPayload(f"a JSON object has more than {MAX_KEYS} fields")
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise BadPayload(f"the field {key!r} is given twice")
        result[key] = value
    return result


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise BadPayload(f"a number has more than {MAX_INT_DIGITS} digits")
    return int(digits)


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise BadPayload(f"the number {literal[:20]!r} is too large")
    return value


def _constant(name: str) -> Any:
    raise BadPayload(f"{name} is not a JSON number")


def _loads(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float,
                          parse_constant=_constant)
    except BadPayload:
        raise
    except json.JSONDecodeError as exc:
        raise BadPayload(f"the body is not valid JSON ({exc.msg} at line {exc.lineno}, "
                         f"column {exc.colno})", 400) from None
    except RecursionError:
        raise BadPayload(f"the JSON is nested more than {MAX_DEPTH} levels deep", 400) from None
    except ValueError as exc:
        raise BadPayload(f"the body is not valid JSON ({type(exc).__name__})", 400) from None


def _check_depth(value: Any, depth: int = 1) -> None:
    if depth > MAX_DEPTH:
        raise BadPayload(f"the JSON is nested more than {MAX_DEPTH} levels deep", 400)
    children = value.values() if isinstance(value, dict) else value if isinstance(
        value, list) else ()
    for child in children:
        if isinstance(child, (dict, list)):
            _check_depth(child, depth + 1)


def load_object(body: bytes) -> dict[str, Any]:
    """The top-level JSON object of ``body``, or ``BadPayload``.

    Strict JSON first (the C parser, fast); only a body that fails and has a trailing comma
    is read again through the slower comma-dropping scan.
    """
    text = decode(body).lstrip("\ufeff")
    if not text.strip():
        raise BadPayload("the body is empty", 400)
    try:
        data = _loads(text)
    except BadPayload as strict:
        if strict.status != 400 or not _TRAILING_COMMA.search(text):
            raise
        data = _loads(_without_trailing_commas(text))
    _check_depth(data)
    if not isinstance(data, dict):
        raise BadPayload(f"the body should be a JSON object, not {type(data).__name__}")
    return data
