"""Inbound latency by polling: the sandbox has a new text -> it is on screen.

``python bench/bench_inbound_latency.py [--quick] [--texts N]``. The app runs headless against
the in-process sandbox with its real rate limit on (1 request/second per route). Each text is
created by the sandbox (a contact texting in) after a random pause (seeded), so texts arrive
at every phase of the poll cycle as real ones do; the clock stops when the app shows it: in the
open conversation's chat, and, for a text from someone else, at the top of the list. While
this runs the inbox also refreshes receipts of a reply still on its way, as it does in use.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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


async def run(texts: int) -> tuple[list[float], list[float]]:
    sys.path.insert(0, str(ROOT))
    import httpx

    from tui.api.client import MobinitiClient
    from tui.app import SmsDeskApp
    from tui.config import Profile
    from tui.desk import Desk
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
        for n in range(texts):
            await asyncio.sleep(rng.uniform(0.0, 1.5))
            body = f"open chat text {n}"
            t0 = time.perf_counter()
            sandbox.simulate_inbound(phone=phone, text=body)
            t1 = await wait_for(lambda b=body: any(m.body == b for m in log.messages))
            open_chat.append((t1 - t0) * 1000)
            await asyncio.sleep(rng.uniform(0.0, 1.5))
            who = numbers[n % len(numbers)]
            t0 = time.perf_counter()
            sandbox.simulate_inbound(phone=who, text=f"list text {n}")
            t1 = await wait_for(lambda w=who: lst.option_count > 0
                                and lst.get_option_at_index(0).id == w)
            other.append((t1 - t0) * 1000)
        app.exit()
    return open_chat, other


def measure(quick: bool, texts: int | None = None) -> dict[str, float]:
    open_chat, other = asyncio.run(run(texts or (15 if quick else 50)))
    return {
        "inbound_poll_p50_ms": statistics.median(open_chat),
        "inbound_poll_p95_ms": pct(open_chat, 95),
        "inbound_poll_max_ms": max(open_chat),
        "inbound_list_p50_ms": statistics.median(other),
        "inbound_list_p95_ms": pct(other, 95),
        "inbound_texts": float(len(open_chat)),
    }


if __name__ == "__main__":
    count = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--texts=")), None)
    figures = measure("--quick" in sys.argv, count)
    print(f"{figures['inbound_texts']:.0f} texts each, rate limit on")
    print(f"open conversation:    median {figures['inbound_poll_p50_ms']:.0f} ms, "
          f"p95 {figures['inbound_poll_p95_ms']:.0f} ms, max {figures['inbound_poll_max_ms']:.0f}"
          f" ms (target p50 {TARGETS['inbound_poll_p50_ms']}, p95 "
          f"{TARGETS['inbound_poll_p95_ms']})")
    print(f"another conversation: median {figures['inbound_list_p50_ms']:.0f} ms, "
          f"p95 {figures['inbound_list_p95_ms']:.0f} ms")
