"""A 5,000-contact account for Contacts tests: synced once per session, copied per test."""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.ui.conftest import BASE_URL
from tui.api.client import MobinitiClient
from tui.api.rate import RateScheduler
from tui.config import Profile
from tui.desk import Desk
from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.services.sync import ContactSync
from tui.store import AsyncStore, open_store

CONTACTS = 5_000


def big_sandbox() -> Sandbox:
    return create_app(SandboxConfig(seed=5, contacts=CONTACTS, rate_limit=False,
                                    inbound_rate=0.0, reply_probability=0.0, failure_rate=0.0))


class CountingTransport(httpx.AsyncBaseTransport):
    """The sandbox, counting requests by (method, path)."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.inner = httpx.ASGITransport(app=sandbox.asgi)
        self.seen: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    def count(self, method: str, path: str) -> int:
        return self.seen.count((method, path))


def _client(sandbox: Sandbox, transport: httpx.AsyncBaseTransport) -> MobinitiClient:
    return MobinitiClient(sandbox.token, BASE_URL, transport=transport,
                          scheduler=RateScheduler(per_second=1_000_000))


def synced_copy(template: Path) -> Path:
    """The template database, synced once (sandbox seed 5 is the same every time)."""
    if not template.exists():
        async def sync() -> None:
            sandbox = big_sandbox()
            store = AsyncStore(open_store(template))
            client = _client(sandbox, httpx.ASGITransport(app=sandbox.asgi))
            await ContactSync(client, store).sync_all()
            await client.aclose()
            await store.close()

        asyncio.run(sync())
    return template


@dataclass
class BigAccount:
    sandbox: Sandbox
    transport: CountingTransport
    desk: Desk
    folder: Path


def big_account(template: Path, folder: Path) -> BigAccount:
    sandbox = big_sandbox()
    db = folder / "store.db"
    shutil.copy(template, db)
    transport = CountingTransport(sandbox)

    def connect() -> tuple[MobinitiClient, None]:
        return _client(sandbox, transport), None

    desk = Desk(profile_name="test", profile=Profile(base_url=BASE_URL),
                store=AsyncStore(open_store(db)), connect=connect, autostart=False)
    return BigAccount(sandbox, transport, desk, folder)

