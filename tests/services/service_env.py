"""Test helpers for services: the sandbox behind a transport that can lose answers or go down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tui.api.client import MobinitiClient
from tui.api.rate import RateScheduler
from tui.sandbox.sandbox import Sandbox
from tui.store import AsyncStore


class FlakyTransport(httpx.AsyncBaseTransport):
    """Passes requests to the sandbox; can drop answers after the server applied the request."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False  # every request fails to connect (provably never sent)
        self.lose: dict[tuple[str, str], int] = {}  # (method, path) -> answers to lose
        self.fail_after_apply: dict[tuple[str, str], int] = {}  # answered with a 503 instead
        self.garble: dict[tuple[str, str], int] = {}  # applied, answered 200 with cut JSON
        self.cut: dict[tuple[str, str], int] = {}  # sent, cut before the server applied it
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path)
        self.seen.append(key)
        if self.down:
            raise httpx.ConnectError("network is down", request=request)
        if self.cut.get(key, 0) > 0:
            self.cut[key] -= 1
            raise httpx.ReadError("the connection broke before an answer", request=request)
        response = await self.inner.handle_async_request(request)
        if self.lose.get(key, 0) > 0:
            self.lose[key] -= 1
            await response.aread()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        if self.garble.get(key, 0) > 0:
            self.garble[key] -= 1
            await response.aread()
            return httpx.Response(200, content=b'{"data": [{"id": "m1", "mess')
        if self.fail_after_apply.get(key, 0) > 0:
            self.fail_after_apply[key] -= 1
            await response.aread()
            return httpx.Response(503, json={"status": 503, "message": "upstream hiccup"})
        return response

    def count(self, method: str, path: str) -> int:
        return self.seen.count((method, path))


@dataclass
class Env:
    sandbox: Sandbox
    transport: FlakyTransport
    client: MobinitiClient
    store: AsyncStore
    path: Path
    events: list[object] = field(default_factory=list)

    def copies(self, phone: str, body: str) -> int:
        """How many texts with this body the server has sent to this phone."""
        return sum(1 for r in self.sandbox.state.messages
                   if r.direction == "outgoing" and r.phone_number == phone and r.message == body)

    def subscribed_phone(self, index: int = 0) -> str:
        phones = sorted(c.phone_number for c in self.sandbox.state.contacts.values()
                        if c.subscribed)
        return phones[index]


def make_client(sandbox: Sandbox, transport: httpx.AsyncBaseTransport) -> MobinitiClient:
    return MobinitiClient(
        sandbox.token, "http://sandbox/v1", transport=transport,
        scheduler=RateScheduler(per_second=1_000_000), max_retries=2, backoff_base=0.001,
        backoff_cap=0.002,
    )
