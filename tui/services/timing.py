"""Time for services: the wall clock, a sleep that ``wake()`` cuts short (no busy loops), and the
pacing of a sender's tries (the outbox, a campaign send)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

from tui.api.rate import Clock, SystemClock

UtcNow = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Waker:
    """``await sleep(seconds)`` returns early (True) when someone calls ``wake()``."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self._event = asyncio.Event()

    def wake(self) -> None:
        self._event.set()

    async def sleep(self, seconds: float | None) -> bool:
        """Sleep ``seconds`` (None: until woken). True when woken rather than timed out."""
        if self._event.is_set():
            self._event.clear()
            return True
        waiter: asyncio.Task[bool] = asyncio.ensure_future(self._event.wait())
        tasks: set[asyncio.Future[object]] = {waiter}  # type: ignore[arg-type]
        if seconds is not None:
            tasks.add(asyncio.ensure_future(self.clock.sleep(max(0.0, seconds))))
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        woken = self._event.is_set()
        self._event.clear()
        return woken


class Retrying:
    """How a sender that posts exactly once paces its tries: its clocks, how many tries, the
    doubling pause between them, and the pause before an unclear post is looked up.

    Mixed into ``Outbox`` and ``CampaignSender`` (each has its own defaults)."""

    clock: Clock
    utcnow: UtcNow
    max_attempts: int
    retry_delay: float
    max_retry_delay: float
    reconcile_delay: float

    def _pace(self, *, clock: Clock | None, utcnow: UtcNow, max_attempts: int,
              retry_delay: float, max_retry_delay: float, reconcile_delay: float) -> None:
        self.clock = clock or SystemClock()
        self.utcnow = utcnow
        self.max_attempts = max(1, max_attempts)
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.reconcile_delay = reconcile_delay

    def _backoff(self, step: int) -> float:
        """Seconds before try ``step`` + 1: ``retry_delay`` doubled each step, capped."""
        return float(min(self.max_retry_delay, self.retry_delay * 2 ** max(0, step - 1)))

    async def _pause_before_lookup(self) -> None:
        """Give the server a moment to show what it applied before looking it up."""
        if self.reconcile_delay > 0:
            await self.clock.sleep(self.reconcile_delay)
