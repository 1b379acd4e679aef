"""Why smsdesk is not online, in a few words for the status bar ("token refused").

Each failure is classified where it happens (the transport, the error reader, the JSON reader);
``reason_of`` gives the phrase for any ``ApiError``.
"""

from __future__ import annotations

import json

from tui.api.errors import (
    ApiError,
    Forbidden,
    PaymentRequired,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    UnreadableResponse,
)

TOO_SLOW = "answer too slow"
UNREACHABLE = "server unreachable"
CONNECTION_BROKE = "connection broke"
TOO_LARGE = "answer too large"


def reason_of(error: ApiError) -> str:
    """The status bar's few words for ``error`` (the one set where it was raised, if any)."""
    given = getattr(error, "reason", "")
    if given:
        return str(given)
    if isinstance(error, Unauthorized):
        return "token refused"
    if isinstance(error, Forbidden):
        return "token lacks a permission"
    if isinstance(error, PaymentRequired):
        return "account needs payment"
    if isinstance(error, RateLimited):
        return "rate limited"
    if isinstance(error, ServerError):
        return f"server error, HTTP {error.status}"
    if isinstance(error, UnreadableResponse):
        return f"unreadable answer, HTTP {error.status}"
    if isinstance(error, TransportError):
        return UNREACHABLE
    return f"HTTP {error.status}" if error.status else "request failed"


def body_kind(content_type: str | None, body: bytes) -> str:
    """What an answer that should have been JSON actually was: "HTML", "text", "empty"…"""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    start = body.lstrip()[:64].lower()
    if not start:
        return "an empty answer"
    if "html" in media or start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "HTML"
    if "xml" in media or start.startswith(b"<?xml"):
        return "XML"
    if start[:1] in (b"{", b"["):
        return "broken JSON"
    return "plain text"


def describe_answer(status: int, content_type: str | None, body: bytes) -> str:
    """``the server answered HTML, HTTP 502``."""
    return f"the server answered {body_kind(content_type, body)}, HTTP {status}"


def unreadable_reason(status: int, content_type: str | None, body: bytes) -> str:
    """A success status with a body that is not the promised JSON: what it was instead."""
    try:
        payload = json.loads(body)
    except ValueError:
        return describe_answer(status, content_type, body)
    if isinstance(payload, dict) and "data" not in payload and (
        "error" in payload or "message" in payload or "errors" in payload
    ):
        return f"the server answered an error inside HTTP {status}"
    return f"the server answered an unexpected shape, HTTP {status}"
