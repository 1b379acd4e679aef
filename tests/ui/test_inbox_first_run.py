"""Issue #11 item 17: the first catch-up shows its progress, and the rate indicator stays calm
while the app simply uses its budget (1 request/second per route)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from tests.ui.conftest import sandbox_desk
from tests.ui.helpers import until
from tui.app import SmsDeskApp
from tui.sandbox import SandboxConfig, create_app
from tui.widgets.status_bar import StatusBar

PROGRESS = re.compile(r"catching up: ([\d,]+) conversations · ([\d,]+) / ([\d,]+) texts")
CALM = re.compile(r"^rate(?: ok|: pacing · \d+ requests? waiting)$")


def _number(text: str) -> int:
    return int(text.replace(",", ""))


async def test_the_first_catch_up_shows_progress_and_a_calm_rate(tmp_path: Path) -> None:
    """The progress only moves forwards and goes once the history is in; the rate says "ok"
    or "pacing", never a count running down.

    Failed on 71d40a8 (and 78d64ca): "rate 57/60 · 2 queued" (by hand: "rate 8/60")."""
    busy = create_app(SandboxConfig(seed=3, contacts=500, rate_limit=True, inbound_rate=0.0,
                                    reply_probability=0.0, failure_rate=0.0))
    app = SmsDeskApp(sandbox_desk(busy, tmp_path / "store.db"))
    seen: list[tuple[int, int, int]] = []
    rates: set[str] = set()
    async with app.run_test(size=(160, 40)) as pilot:
        bar = app.screen.query_one(StatusBar)
        await until(lambda: PROGRESS.search(bar.part("catch-up")) is not None, timeout=20)
        while bar.part("catch-up"):
            found = PROGRESS.search(bar.part("catch-up"))
            if found:
                seen.append((_number(found[1]), _number(found[2]), _number(found[3])))
            rates.add(bar.part("headroom"))
            await asyncio.sleep(0.1)
            assert len(seen) < 600, "the catch-up never ended"
        await pilot.pause()
    texts = [t for _c, t, _total in seen]
    assert texts == sorted(texts) and texts[-1] > texts[0]  # it moves, forwards only
    total = seen[-1][2]
    assert all(t <= total for t in texts) and total > 0
    assert not bar.part("catch-up")  # gone once the history is in
    assert all(CALM.match(r) for r in rates if r), rates
