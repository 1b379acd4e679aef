"""Issue #11 bug 9 (d): the status bar's retry countdown only counts down, never jumps."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from pathlib import Path

from tests.ui.helpers import until
from tests.ui.test_inbox_bugs import QUIET, _desk_on, _Network
from tui.app import SmsDeskApp
from tui.sandbox import create_app
from tui.widgets.status_bar import StatusBar

COUNTDOWN = re.compile(r"retrying (?:in (\d+)s|now)")


def _countdown(app: SmsDeskApp) -> int | None:
    """The seconds the status bar says are left (0 for "retrying now"), None if it says none."""
    shown = app.screen.query_one(StatusBar).part("connection")
    found = COUNTDOWN.search(shown)
    if found is None:
        return None
    return int(found.group(1)) if found.group(1) else 0


async def test_the_retry_countdown_only_counts_down(tmp_path: Path) -> None:
    """Offline for several attempts (the poll, receipts and the contacts sync all failing):
    each countdown ticks down to zero before another starts; it never jumps.

    Failed on 71d40a8 (main before this fix; 9ee8bc3 had tried): 1, 2, 1, 2, then gone for
    1.5 s, then 1 again (every request's report restarted it)."""
    network: list[_Network] = []
    app = SmsDeskApp(_desk_on(create_app(QUIET), tmp_path / "store.db", network))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: bool(network))
        network[0].down = True
        await until(lambda: _countdown(app) is not None, timeout=15)
        seen: list[tuple[float, int | None]] = []
        started = time.monotonic()
        while time.monotonic() - started < 8:
            seen.append((time.monotonic(), _countdown(app)))
            await asyncio.sleep(0.1)
        await pilot.pause()
    shown = [left for _at, left in seen]
    for (was_at, was), (now_at, now) in itertools.pairwise(seen):
        if was is None or was <= 1:  # no countdown, or it has ended: a new one may start
            continue
        assert now is not None, f"the countdown vanished at {was}s: {shown}"
        assert now <= was, f"the countdown went up from {was}s to {now}s: {shown}"
        assert was - now <= (now_at - was_at) + 1, f"it jumped {was}s -> {now}s: {shown}"
