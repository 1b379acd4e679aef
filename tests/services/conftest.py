"""Fixtures for service tests: a fresh sandbox, client and store per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from service_env import Env, FlakyTransport, make_client

from tui.sandbox import SandboxConfig, create_app
from tui.store import AsyncStore, open_store


async def _env(tmp_path: Path, shape: str) -> AsyncIterator[Env]:
    sandbox = create_app(SandboxConfig(seed=11, contacts=30, rate_limit=False,
                                       reply_probability=0.0, failure_rate=0.0,
                                       shape=shape))  # type: ignore[arg-type]
    transport = FlakyTransport(sandbox.transport())
    client = make_client(sandbox, transport)
    path = tmp_path / "svc.db"
    store = AsyncStore(open_store(path))
    yield Env(sandbox, transport, client, store, path)
    await client.aclose()
    await store.close()


@pytest.fixture
async def env(tmp_path: Path, server_shape: str) -> AsyncIterator[Env]:
    """A sandbox answering in ``server_shape`` (both shapes: every service test runs twice)."""
    async for made in _env(tmp_path, server_shape):
        yield made


@pytest.fixture
async def php_env(tmp_path: Path) -> AsyncIterator[Env]:
    """A sandbox answering as a Laravel/Fractal server would (the real service's likely shape)."""
    async for made in _env(tmp_path, "php"):
        yield made
