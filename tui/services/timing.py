"""Time for services: the wall clock, and a sleep that ``wake()`` cuts short (no busy loops)."""

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
