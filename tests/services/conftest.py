"""Fixtures for service tests: a fresh sandbox, client and store per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from service_env import Env, FlakyTransport, make_client

from tui.sandbox import SandboxConfig, create_app
from tui.store import AsyncStore, open_store


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    sandbox = create_app(SandboxConfig(seed=11, contacts=30, rate_limit=False,
                                       reply_probability=0.0, failure_rate=0.0))
    transport = FlakyTransport(sandbox.transport())
    client = make_client(sandbox, transport)
    path = tmp_path / "svc.db"
    store = AsyncStore(open_store(path))
    yield Env(sandbox, transport, client, store, path)
    await client.aclose()
    await store.close()
