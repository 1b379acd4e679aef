"""JSON from the wire, read so every string can be stored: a broken server's lone surrogate
(``"\\ud800"``, valid JSON but not valid Unicode) becomes U+FFFD instead of making SQLite or a
UTF-8 file refuse the whole page later."""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def whole(text: str) -> str:
    """``text`` with any lone surrogate replaced by U+FFFD (pairs were joined by json)."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _mend(value: Any) -> Any:
    if isinstance(value, str):
        return whole(value)
    if isinstance(value, list):
        return [_mend(item) for item in value]
    if isinstance(value, dict):
        return {whole(key): _mend(item) for key, item in value.items()}
    return value


def loads(content: bytes | str) -> Any:
    """``json.loads``, mending strings only when the body has a surrogate escape at all."""
    payload = json.loads(content)
    raw = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return _mend(payload) if _SURROGATE_ESCAPE.search(raw) else payload
