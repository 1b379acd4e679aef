"""Small helpers for UI tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until(check: Callable[[], bool], *, timeout: float = 8.0, step: float = 0.05) -> None:
    """Wait for something the app does by itself (a poll, a send); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await asyncio.sleep(step)
