"""Fault injection on /v1: latency, drops, 5xx, 429 storms, slow or cut bodies, lost answers."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import re
from collections import Counter, deque
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.sandbox.config import FAULT_KINDS, ChaosConfig, utc_now

log = logging.getLogger(__name__)

# A path segment holding a digit is an id: /v1/messages/4f2a and /v1/messages/9c1e are one route.
_ID_SEGMENT = re.compile(r"/[^/]*\d[^/]*")
# How long one 429 storm refuses its route, in whole seconds (its Retry-After says what is left).
STORM_SECONDS = (1, 3)

# The fault a request got, noted in its ASGI scope for middleware outside (a bench's timeline).
FAULT_SCOPE_KEY = "sandbox.fault"


class ConnectionDropped(httpx.RemoteProtocolError):
    """Raised out of the app to cut the connection.

    In-process (httpx.ASGITransport) the client gets it as an ``httpx.TransportError``;
    under uvicorn the half-sent response makes the connection close mid-body, which the
    client also sees as a transport error. Either way nothing says whether the request ran.
    """


def route_of(method: str, path: str) -> str:
    """The rate-limit route of a request (``GET /v1/messages/{id}``), as the seed counts them."""
    return f"{method} {_ID_SEGMENT.sub('/{id}', path)}"


class Chaos:
    """Chooses a fault per request (seeded), or the ones a test forces with ``force``.

    A 429 storm is a route's: it refuses that route (``route_of``) for 1–3 s, at most
    ``storm_requests`` times, and every refusal's Retry-After says honestly how long is left
    (rounded up to whole seconds), so a client that waits as told gets through unless a new
    storm starts. Other routes are not touched (the seed limits each route on its own).
    """

    def __init__(self, config: ChaosConfig, clock: Callable[[], datetime] = utc_now) -> None:
        self.config = config
        self.clock = clock
        self._rng = random.Random(f"chaos-{config.seed}")
        self._forced: deque[str] = deque()
        self._storms: dict[str, tuple[datetime, int]] = {}  # route -> (ends, refusals left)
        self.counts: Counter[str] = Counter()  # faults injected, by kind
        self.requests = 0  # /v1 requests seen, faulty or not

    def force(self, *kinds: str) -> None:
        """The next requests get these faults, in order (then back to ``rate``)."""
        for kind in kinds:
            if kind not in FAULT_KINDS:
                raise ValueError(f"unknown fault {kind!r}; known: {', '.join(FAULT_KINDS)}")
            self._forced.append(kind)

    def pick(self, route: str = "") -> str | None:
        if self.retry_after(route) is not None:
            ends, left = self._storms[route]
            self._storms[route] = (ends, left - 1)
            return "storm"
        self._storms.pop(route, None)
        if self._forced:
            kind = self._forced.popleft()
        elif self.config.rate > 0 and self.config.kinds and self._rng.random() < self.config.rate:
            kind = self._rng.choice(self.config.kinds)
        else:
            return None
        if kind == "storm":
            seconds = self._rng.randint(*STORM_SECONDS)
            self._storms[route] = (self.clock() + timedelta(seconds=seconds),
                                   self.config.storm_requests - 1)  # this one refused already
        return kind

    def retry_after(self, route: str) -> int | None:
        """Whole seconds the route's storm has left (None: no storm, or it has ended)."""
        storm = self._storms.get(route)
        if storm is None or storm[1] <= 0:
            return None
        left = (storm[0] - self.clock()).total_seconds()
        return math.ceil(left) if left > 0 else None

    def wrap(self, app: ASGIApp) -> ASGIApp:
        return _ChaosMiddleware(app, self)


class _ChaosMiddleware:
    def __init__(self, app: ASGIApp, chaos: Chaos) -> None:
        self.app = app
        self.chaos = chaos

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        self.chaos.requests += 1
        route = route_of(scope["method"], scope["path"])
        told = self.chaos.retry_after(route)  # before the pick: a refusal says what is left
        kind = self.chaos.pick(route)
        if kind is None:
            await self.app(scope, receive, send)
            return
        self.chaos.counts[kind] += 1
        scope[FAULT_SCOPE_KEY] = kind  # for a timeline wrapped around the sandbox
        log.info("chaos: %s on %s %s", kind, scope["method"], scope["path"])
        rng = self.chaos._rng
        config = self.chaos.config
        if kind == "latency":
            await asyncio.sleep(rng.uniform(*config.latency))
            await self.app(scope, receive, send)
        elif kind == "drop":
            await _drop(send)
        elif kind == "server_error":
            await _server_error(send, rng.choice((500, 502, 503)))
        elif kind == "storm":
            after = told or self.chaos.retry_after(route) or 1
            await _json(send, 429, {"status": 429, "message": "Too Many Attempts.", "errors": {}},
                        [(b"retry-after", str(after).encode()),
                         (b"x-ratelimit-limit", b"60"), (b"x-ratelimit-remaining", b"0")])
        else:
            status, headers, body = await _run_captured(self.app, scope, receive)
            if kind == "response_lost":
                await _drop(send)
            elif kind == "malformed":
                broken = body[: max(1, len(body) // 2)] if body else b'{"data": {"id": "'
                await _send(send, 200 if status == 204 else status,
                            _replace_length(headers, len(broken)), [broken])
            else:  # slow_body
                pieces = [body[i:i + 16] for i in range(0, len(body), 16)] or [b""]
                await _send(send, status, headers, pieces, delay=config.slow_body_chunk_delay)


async def _run_captured(app: ASGIApp, scope: Scope, receive: Receive
                        ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the real handler (the request is applied) and keep its answer."""
    captured: dict[str, object] = {"status": 500, "headers": []}
    body = bytearray()

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            captured["headers"] = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, capture)
    status = captured["status"]
    headers = captured["headers"]
    assert isinstance(status, int) and isinstance(headers, list)
    return status, headers, bytes(body)


def _replace_length(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return [*kept, (b"content-length", str(length).encode())]


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]],
                pieces: list[bytes], delay: float = 0.0) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    for index, piece in enumerate(pieces):
        if delay and index:
            await asyncio.sleep(delay)
        await send({"type": "http.response.body", "body": piece,
                    "more_body": index < len(pieces) - 1})


async def _json(send: Send, status: int, body: object,
                extra: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(data)).encode()), *(extra or [])]
    await _send(send, status, headers, [data])


async def _server_error(send: Send, status: int) -> None:
    if status == 502:  # what a proxy in front of the API says: HTML, not the API's JSON
        page = b"<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
        await _send(send, 502, [(b"content-type", b"text/html"),
                                (b"content-length", str(len(page)).encode())], [page])
        return
    message = ("An error occurred on our server." if status == 500 else
               "We're temporarily offline for maintenance. Please try again later.")
    extra = [(b"retry-after", b"2")] if status == 503 else []
    await _json(send, status, {"status": status, "message": message, "errors": {}}, extra)


async def _drop(send: Send) -> None:
    """Promise a body, send a piece of it, then cut the connection."""
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")]})
    await send({"type": "http.response.body", "body": b'{"data": ', "more_body": True})
    raise ConnectionDropped("the sandbox dropped the connection (chaos)")
