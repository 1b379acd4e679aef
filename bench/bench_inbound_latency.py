"""Inbound latency by polling: the sandbox has a new text -> it is on screen.

``python bench/bench_inbound_latency.py [--quick] [--texts N]``. The app runs headless against
the in-process sandbox with its real rate limit on (1 request/second per route). Each text is
created by the sandbox (a contact texting in) at a random moment (seeded), so texts arrive
at every phase of the poll cycle as real ones do; the clock stops when the app shows it: in the
open conversation's chat, and, for a text from someone else, at the top of the list. While
this runs the inbox also refreshes receipts of a reply still on its way, as it does in use.

Texts arrive as a Poisson process (at moments of their own, several may be on their way at
once). What dominates: the wait for the next poll. ``GET /messages`` may start once a second (plus
the client's small safety margin, ``inbound_poll_cycle_ms``), so a text waits half a cycle on
average; reading, storing and drawing it take a few tens of milliseconds. The wait is spread
evenly over the cycle, so a median of few texts swings by ±0.1 s from run to run: ``--quick``
takes 30 texts in the open conversation (and 10 from others), the full run 80.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"inbound_poll_p50_ms": "<= 700", "inbound_poll_p95_ms": "<= 1200"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        await asyncio.sleep(0.005)
    return time.perf_counter()


async def run(texts: int, others: int) -> tuple[list[float], list[float], list[float]]:
    """(open conversation latencies, other conversation latencies, poll cycle lengths) in ms."""
    sys.path.insert(0, str(ROOT))
    import httpx

    from tui.api.client import MobinitiClient
    from tui.app import SmsDeskApp
    from tui.config import Profile
    from tui.desk import Desk, DeskEvent, StatusChanged
    from tui.sandbox import SandboxConfig, create_app
    from tui.screens.inbox import InboxScreen
    from tui.store import AsyncStore, open_store
    from tui.widgets.chat_log import ChatLog
    from tui.widgets.conversation_list import ConversationList

    sandbox = create_app(SandboxConfig(seed=5, contacts=300, rate_limit=True, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    def connect() -> tuple[MobinitiClient, object]:
        transport = httpx.ASGITransport(app=sandbox.asgi)
        return MobinitiClient(sandbox.token, "http://sandbox/v1", transport=transport), sandbox

    # The app's own paces (the profile's defaults), not the UI tests' faster receipts.
    store = AsyncStore(open_store(Path(tempfile.mkdtemp()) / "bench.db"))
    desk = Desk(profile_name="bench", profile=Profile(base_url="http://sandbox/v1"),
                store=store, connect=connect)
    app = SmsDeskApp(desk)
    rng = random.Random(16)
    open_chat: list[float] = []
    other: list[float] = []
    polled: list[float] = []

    def on_event(event: DeskEvent) -> None:
        if isinstance(event, StatusChanged) and "last_poll" in event.changes:
            polled.append(time.perf_counter())

    desk.listen(on_event)
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await wait_for(lambda: screen.phone is not None)
        phone = screen.phone
        assert phone is not None
        numbers = [c.phone_number for c in sandbox.state.contacts.values()
                   if c.unsubscribed_at is None and c.phone_number != phone]
        log = screen.query_one(ChatLog)
        lst = screen.query_one(ConversationList)
        await desk.send_reply(phone, "A reply still on its way")  # receipts to refresh
        # Steady state: the first seconds after start (history, services) are another story.
        await asyncio.sleep(2.0)

        async def open_chat_text(n: int) -> None:
            body = f"open chat text {n}"
            t0 = time.perf_counter()
            sandbox.simulate_inbound(phone=phone, text=body)
            t1 = await wait_for(lambda: any(m.body == body for m in log.messages))
            open_chat.append((t1 - t0) * 1000)

        def near_top(who: str) -> bool:
            return any(lst.get_option_at_index(i).id == who
                       for i in range(min(3, lst.option_count)))

        async def other_text(n: int) -> None:
            who = numbers[n % len(numbers)]
            t0 = time.perf_counter()
            sandbox.simulate_inbound(phone=who, text=f"list text {n}")
            t1 = await wait_for(lambda: near_top(who))
            other.append((t1 - t0) * 1000)

        # Texts come at moments of their own (a Poisson process), never in step with the
        # app: timed from the previous text's display they would fall early in the poll
        # cycle more often than late, and wait longer than real ones do on average.
        start = time.perf_counter()
        arrivals: list[tuple[float, Callable[[int], Awaitable[None]], int]] = []
        for stream, count, mean_gap in ((open_chat_text, texts, 1.2),
                                        (other_text, others, 3.0)):
            at = 0.0
            for n in range(count):
                at += rng.expovariate(1 / mean_gap)
                arrivals.append((at, stream, n))

        async def at_moment(delay: float, text: Callable[[int], Awaitable[None]],
                            n: int) -> None:
            await asyncio.sleep(max(0.0, start + delay - time.perf_counter()))
            await text(n)

        async with asyncio.TaskGroup() as group:
            for delay, text, n in arrivals:
                group.create_task(at_moment(delay, text, n))
        app.exit()
    cycles = [(b - a) * 1000 for a, b in pairwise(polled)]
    return open_chat, other, cycles


def measure(quick: bool, texts: int | None = None) -> dict[str, float]:
    count = texts or (30 if quick else 80)
    open_chat, other, cycles = asyncio.run(run(count, max(1, count // 3)))
    return {
        "inbound_poll_cycle_ms": statistics.median(cycles),
        "inbound_poll_p50_ms": statistics.median(open_chat),
        "inbound_poll_p95_ms": pct(open_chat, 95),
        "inbound_poll_max_ms": max(open_chat),
        "inbound_list_p50_ms": statistics.median(other),
        "inbound_list_p95_ms": pct(other, 95),
        "inbound_list_texts": float(len(other)),
        "inbound_texts": float(len(open_chat)),
    }


if __name__ == "__main__":
    count = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--texts=")), None)
    figures = measure("--quick" in sys.argv, count)
    print(f"{figures['inbound_texts']:.0f} texts in the open conversation, rate limit on; "
          f"a poll every {figures['inbound_poll_cycle_ms']:.0f} ms")
    print(f"open conversation:    median {figures['inbound_poll_p50_ms']:.0f} ms, "
          f"p95 {figures['inbound_poll_p95_ms']:.0f} ms, max {figures['inbound_poll_max_ms']:.0f}"
          f" ms (target p50 {TARGETS['inbound_poll_p50_ms']}, p95 "
          f"{TARGETS['inbound_poll_p95_ms']})")
    print(f"another conversation: median {figures['inbound_list_p50_ms']:.0f} ms, "
          f"p95 {figures['inbound_list_p95_ms']:.0f} ms")
