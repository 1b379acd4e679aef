"""The longest frame while background work runs: is the UI still smooth?

``python bench/bench_frames.py [--quick]``. The app runs headless (120×40) on the in-process
sandbox with the inbox open. A ticker asks for a repaint 60 times a second (it updates a line
of text); anything that holds the event loop (parsing, rendering, a store call made on the
loop) delays the next tick, so the longest gap between two ticks is the longest frozen frame
a person would see. Measured while each of these runs on its own, after an idle baseline:

- a contact sync of 100k contacts (``--quick``: 20k; the same per-page work), with the 1
  request/second pacing off so pages come as fast as the app takes them (in use they come
  one per second, which is gentler);
- a burst of 500 inbound texts read by one poll, with the list and the open chat updating;
- store writes: 20k messages saved in batches of 500 through the store's thread;
- a 10k-recipient send, once the campaigns service exists (else noted as not built).

The sandbox runs in a process of its own on a loopback socket (as a real server would: its
work does not hold the app's event loop); the bench asks it over a pipe to make the burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "frames_max_gap_sync_ms": "<= 100",
    "frames_max_gap_burst_ms": "<= 100",
    "frames_max_gap_store_ms": "<= 100",
}
TICK = 1 / 60
CONTACTS = {True: 20_000, False: 100_000}
_NOTES: list[str] = []


class Ticker:
    """Records when each tick really ran; ``gaps(since)`` the intervals after ``since``."""

    def __init__(self, app: Any) -> None:
        from textual.widgets import Static

        self.times: list[float] = []
        self.line = Static("tick", id="bench-ticker")
        # One line of a fixed size: each tick repaints that line, as a status bar does. A tick
        # that also laid out the screen (Static.update's default) re-rendered every widget of
        # the inbox 60 times a second, work the app itself never asks for.
        self.line.styles.dock = "top"
        self.line.styles.height = 1
        self.line.styles.width = 16
        self.app = app

    async def start(self) -> None:
        await self.app.screen.mount(self.line)
        await asyncio.sleep(0.2)  # laid out
        if not self.app.is_running or not self.line.region:
            raise RuntimeError("the ticker line is not on screen: the app has stopped")
        self.app.set_interval(TICK, self._tick)

    def _tick(self) -> None:
        self.times.append(time.perf_counter())
        self.line.update(f"tick {len(self.times)}", layout=False)  # a repaint each tick

    def longest_gap_ms(self, since: float, until: float) -> float:
        window = [t for t in self.times if since <= t <= until]
        if len(window) < 2:
            return (until - since) * 1000
        gaps = [b - a for a, b in pairwise(window)]
        # The wait before the first tick in the window counts too.
        return max([*gaps, window[0] - since]) * 1000


async def during(ticker: Ticker, work: Callable[[], Awaitable[object]], settle: float = 0.5
                 ) -> tuple[float, float]:
    """(longest gap in ms, seconds the work took), including ``settle`` s of UI catch-up."""
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    await work()
    took = time.perf_counter() - start
    await asyncio.sleep(settle)
    if not ticker.app.is_running:
        # Its ticks would then time an empty event loop, not the app.
        raise RuntimeError("the app stopped during the bench; see its log")
    return ticker.longest_gap_ms(start, time.perf_counter()), took


def serve_sandbox(contacts: int, pipe: Connection) -> None:
    """The child process: a sandbox on a loopback port; makes bursts when asked."""
    from tui.sandbox import SandboxConfig, create_app
    from tui.sandbox.serve import serve_in_thread

    sandbox = create_app(SandboxConfig(seed=9, contacts=contacts, rate_limit=False,
                                       inbound_rate=0.0, reply_probability=0.0))
    with serve_in_thread(sandbox) as url:
        pipe.send((url + "/v1", sandbox.token))
        while (command := pipe.recv()) != "stop":
            phones = [c.phone_number for c in list(sandbox.state.contacts.values())[:200]
                      if c.unsubscribed_at is None]
            for n in range(int(command)):
                sandbox.simulate_inbound(phone=phones[n % len(phones)], text=f"burst {n}")
            pipe.send("done")


async def run(quick: bool, pipe: Connection, base_url: str, token: str,
              figures: dict[str, float]) -> None:
    from tui import startup_gc
    from tui.api.client import MobinitiClient
    from tui.api.models import Message
    from tui.api.rate import RateScheduler
    from tui.app import SmsDeskApp
    from tui.config import Profile
    from tui.desk import Desk
    from tui.store import AsyncStore, open_store

    contacts = CONTACTS[quick]
    # As ``smsdesk`` starts (tui.__main__): the collector waits for the first paint.
    startup_gc.pause()

    def connect() -> tuple[MobinitiClient, None]:
        # No 1 request/second pacing: the work comes as fast as the app can take it.
        return MobinitiClient(token, base_url, scheduler=RateScheduler(per_second=1e6)), None

    folder = Path(tempfile.mkdtemp(prefix="smsdesk-frames-"))
    store = AsyncStore(open_store(folder / "frames.db"))
    desk = Desk(profile_name="bench", profile=Profile(base_url=base_url),
                store=store, connect=connect, autostart=False)
    app = SmsDeskApp(desk)
    async with app.run_test(size=(120, 40)):
        services = await desk.services()
        await services.inbox.poll_once()  # the history, so the inbox has conversations
        await asyncio.sleep(0.5)
        ticker = Ticker(app)
        await ticker.start()

        figures["frames_max_gap_idle_ms"], _ = await during(ticker, lambda: asyncio.sleep(1.0))

        gap, took = await during(ticker, services.contact_sync.sync_all)
        figures["frames_max_gap_sync_ms"] = gap
        figures["frames_sync_contacts_per_s"] = contacts / took

        pipe.send("500")
        await asyncio.to_thread(pipe.recv)
        gap, took = await during(ticker, services.inbox.poll_once, settle=1.0)
        figures["frames_max_gap_burst_ms"] = gap
        figures["frames_burst_500_s"] = took

        now = datetime.now(UTC)
        batches = [[Message(id=f"w{b}-{i}", phone_number=f"+1650555{i % 1000:04d}",
                            message=f"stored text {b}-{i}", direction="incoming", read=True,
                            created_at=now - timedelta(seconds=b * 500 + i),
                            updated_at=now) for i in range(500)] for b in range(40)]

        async def store_writes() -> None:
            for batch in batches:
                await store.store_messages(batch)

        gap, took = await during(ticker, store_writes)
        figures["frames_max_gap_store_ms"] = gap
        figures["frames_store_20k_s"] = took
        figures["frames_median_gap_ms"] = statistics.median(
            b - a for a, b in pairwise(ticker.times)) * 1000
    if importlib.util.find_spec("tui.services.campaigns") is None:
        _NOTES.append("frames during a 10k-recipient send: not built (no campaigns service yet)")


async def run_and_close(quick: bool, pipe: Connection, base_url: str, token: str
                        ) -> dict[str, float]:
    figures: dict[str, float] = {}
    # The figures are in before the app shuts down; a cancelled worker at shutdown is no news.
    with contextlib.suppress(asyncio.CancelledError):
        await run(quick, pipe, base_url, token, figures)
    return figures


def measure(quick: bool) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    # Forked before the app starts any thread; the child serves until told to stop.
    ours, theirs = multiprocessing.get_context("fork").Pipe()
    server = multiprocessing.get_context("fork").Process(
        target=serve_sandbox, args=(CONTACTS[quick], theirs), daemon=True)
    server.start()
    try:
        base_url, token = ours.recv()
        return asyncio.run(run_and_close(quick, ours, base_url, token))
    finally:
        ours.send("stop")
        server.join(10)
        if server.is_alive():
            server.kill()


def notes(figures: dict[str, float]) -> list[str]:
    return list(_NOTES)


if __name__ == "__main__":
    result = measure("--quick" in sys.argv)
    for key, value in result.items():
        print(f"{key:32} {value:10.1f}   {TARGETS.get(key, '')}")
    print("\n".join(_NOTES))
