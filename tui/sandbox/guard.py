"""The sandbox as a network service: bodies are limited while they stream, on every route.

A ``Content-Length`` over the limit is answered 413 before a byte of the body is read; a body
without one (chunked) is counted as it arrives and cut off at the limit. The answer has the
shape of the route's own errors: the seed's ``{status, message, errors}`` on /v1, ProTexting's
``{name, message, code, status}``, Skycore's ``<RESPONSE>`` with E100.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # the largest real request (100 numbers, a long text) is ~10 KB


class _TooLarge(Exception):
    pass


def too_large_answer(path: str, limit: int) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """The 413 in the shape of the route's family."""
    text = f"The request body is larger than {limit} bytes."
    if path.startswith("/skycore"):
        body = ("<RESPONSE>\n    <STATUS>Failure</STATUS>\n    <ERRORCODE>E100</ERRORCODE>\n"
                f"    <ERRORINFO>Invalid request: {text}</ERRORINFO>\n</RESPONSE>\n").encode()
        kind = b"text/xml"
    elif path.startswith("/protexting"):
        body = json.dumps({"name": "Payload Too Large", "message": text, "code": 0,
                           "status": 413}).encode()
        kind = b"application/json"
    else:
        body = json.dumps({"status": 413, "message": text, "errors": {}}).encode()
        kind = b"application/json"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    return 413, headers, body


class BodyLimit:
    """ASGI middleware: no route ever holds more than ``limit`` bytes of one request body."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            log.info("sandbox: refused a %d-byte body on %s", declared, scope["path"])
            await _answer(send, scope["path"], self.limit)
            return
        seen = 0
        cut = False
        started = False

        async def counted() -> Message:
            nonlocal seen, cut
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    cut = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if cut:  # whatever the route answered to the cut-off body is replaced by the 413
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if not cut:
                raise
        if cut and not started:
            log.info("sandbox: cut off a body over %d bytes on %s", self.limit, scope["path"])
            await _answer(send, scope["path"], self.limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _answer(send: Send, path: str, limit: int) -> None:
    status, headers, body = too_large_answer(path, limit)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


MAX_JSON_DEPTH = 32  # the deepest real body is 3 levels; echoing deeper ones back could fail


class BadJson(ValueError):
    """A body that is not usable JSON; the message says why, for the 400."""


def load_json(raw: bytes) -> object:
    """Parse a request body: invalid UTF-8, bad JSON and nesting deeper than
    ``MAX_JSON_DEPTH`` are ``BadJson`` (a 400), never a ``RecursionError`` (a 500)."""
    try:
        data = json.loads(raw)
    except RecursionError:
        raise BadJson(f"The body is nested too deeply (more than {MAX_JSON_DEPTH} levels)."
                      ) from None
    except UnicodeDecodeError:
        raise BadJson("The body is not valid UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise BadJson(f"The body is not valid JSON ({exc}).") from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise BadJson(f"The body is nested too deeply (more than {MAX_JSON_DEPTH} levels).")
    return data


def _depth(data: object) -> int:
    deepest = 0
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: list[object] = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


def is_json_type(content_type: str | None) -> bool:
    """``application/json`` (any parameters, any ``+json``), or no type at all (curl, scripts)."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))
