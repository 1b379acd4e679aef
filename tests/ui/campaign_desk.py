"""A desk for campaign UI tests: the sandbox behind a counting transport, a fixed "now"."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from tui.api.client import MobinitiClient
from tui.config import Profile
from tui.desk import Desk
from tui.sandbox import Sandbox
from tui.store import AsyncStore, open_store

BASE_URL = "http://sandbox/v1"
CHICAGO = ZoneInfo("America/Chicago")


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.calls: Counter[tuple[str, str]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[(request.method, request.url.path)] += 1
        return await self.inner.handle_async_request(request)


def next_chicago(clock: time) -> datetime:
    """The next moment (after now, so the sandbox accepts schedules) Chicago shows ``clock``."""
    now = datetime.now(UTC).astimezone(CHICAGO)
    at = datetime.combine(now.date(), clock, tzinfo=CHICAGO)
    return at if at > now + timedelta(minutes=5) else at + timedelta(days=1)


class BatchGate(httpx.AsyncBaseTransport):
    """Holds every ``POST /message/batch`` until ``open`` is set (``waiting`` says one waits):
    a test can act while a request is in flight."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.open = asyncio.Event()
        self.waiting = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/message/batch"):
            self.waiting.set()
            await self.open.wait()
        return await self.inner.handle_async_request(request)


def campaign_desk(sandbox: Sandbox, db: Path, *, now: datetime,
                  profile: Profile | None = None, gate: BatchGate | None = None,
                  ) -> tuple[Desk, CountingTransport]:
    inner: httpx.AsyncBaseTransport = httpx.ASGITransport(app=sandbox.asgi)
    if gate is not None:
        gate.inner = inner
        inner = gate
    counting = CountingTransport(inner)

    def connect() -> tuple[MobinitiClient, Sandbox]:
        return MobinitiClient(sandbox.token, BASE_URL, transport=counting), sandbox

    desk = Desk(profile_name="test", profile=profile or Profile(base_url=BASE_URL),
                store=AsyncStore(open_store(db, recover=True)), connect=connect,
                inbox_options={"receipts_every": 0.5}, now=lambda: now)
    return desk, counting
