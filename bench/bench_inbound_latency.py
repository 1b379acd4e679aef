"""Inbound latency: the sandbox creates a text -> it is on screen (list and open conversation).

Plain script (not a test): ``python bench/bench_inbound_latency.py [texts]``. The app runs
headless against the in-process sandbox with its real rate limit on; each text is created by
the sandbox (as a contact texting in), and the clock stops when the app shows it: in the open
conversation's chat, and (for another conversation) at the top of the list.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ui.conftest import sandbox_desk  # noqa: E402
from tui.app import SmsDeskApp  # noqa: E402
from tui.sandbox import SandboxConfig, create_app  # noqa: E402
from tui.screens.inbox import InboxScreen  # noqa: E402
from tui.widgets.chat_log import ChatLog  # noqa: E402
from tui.widgets.conversation_list import ConversationList  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def wait_for(check: object, timeout: float = 30.0) -> float:
    start = time.perf_counter()
    while not check():  # type: ignore[operator]
        if time.perf_counter() - start > timeout:
            raise TimeoutError
        await asyncio.sleep(0.005)
    return time.perf_counter()


async def main(texts: int) -> None:
    sandbox = create_app(SandboxConfig(seed=5, contacts=300, rate_limit=True, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    desk = sandbox_desk(sandbox, Path(tempfile.mkdtemp()) / "bench.db")
    app = SmsDeskApp(desk)
    open_chat: list[float] = []
    other: list[float] = []
    async with app.run_test(size=(120, 40)):
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await wait_for(lambda: screen.phone is not None)
        phone = screen.phone
        numbers = [c.phone_number for c in sandbox.state.contacts.values()
                   if c.unsubscribed_at is None and c.phone_number != phone]
        log = screen.query_one(ChatLog)
        lst = screen.query_one(ConversationList)
        for n in range(texts):
            body = f"open chat text {n}"
            t0 = time.perf_counter()
            sandbox.simulate_inbound(phone=phone, text=body)
            t1 = await wait_for(lambda b=body: any(m.body == b for m in log.messages))
            open_chat.append((t1 - t0) * 1000)
            who = numbers[n % len(numbers)]
            t0 = time.perf_counter()
            sandbox.simulate_inbound(phone=who, text=f"list text {n}")
            t1 = await wait_for(lambda w=who: lst.option_count > 0
                                and lst.get_option_at_index(0).id == w)
            other.append((t1 - t0) * 1000)
    for name, values in (("open conversation", open_chat), ("another conversation", other)):
        print(f"{name:>22}: {len(values)} texts, median {statistics.median(values):.0f} ms, "
              f"p95 {pct(values, 95):.0f} ms, max {max(values):.0f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
