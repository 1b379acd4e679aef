"""Shared fixtures for the sandbox tests: a fake clock and a small, relaxed sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tui.sandbox import Sandbox, SandboxConfig, create_app


class FakeTime:
    """One fake clock for both ends: wall time for the sandbox, monotonic + sleep for clients."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start or datetime(2025, 3, 14, 15, 0, tzinfo=UTC)
        self.elapsed = 0.0

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return 1000.0 + self.elapsed

    async def sleep(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> datetime:
        self.elapsed += seconds
        return self.now()


def small_sandbox(clock: FakeTime, **options: object) -> Sandbox:
    settings: dict[str, object] = {"contacts": 40, "rate_limit": False, "reply_probability": 0.0,
                                   "failure_rate": 0.0, "clock": clock.now}
    settings.update(options)
    return create_app(SandboxConfig(**settings), monotonic=clock.monotonic)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def sandbox(clock: FakeTime) -> Sandbox:
    return small_sandbox(clock)


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with sandbox.http() as client:
        yield client
