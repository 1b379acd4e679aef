"""Cold start: process start to a drawn inbox holding 1,000 conversations, vs a bare Textual app.

Plain script (not a test): ``python bench/bench_startup.py [runs]``. Each run is a fresh Python
process (imports included), headless (``run_test``); the child prints the wall-clock moment the
conversation list shows its first page (the list is paged), the parent subtracts the moment it
started the child.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONVERSATIONS = 1000

SMSDESK_CHILD = """
import asyncio, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from tui.app import SmsDeskApp
from tui.config import Profile
from tui.launch import account_connection
from tui.desk import Desk
from tui.store import AsyncStore, open_store
from tui.widgets.conversation_list import ConversationList

async def main():
    # A profile whose server is never reached: start-up must not wait for the network.
    desk = Desk(profile_name="bench", profile=Profile(),
                store=AsyncStore(open_store(Path({db!r}))), autostart=False,
                connect=account_connection("bench", "http://127.0.0.1:9/v1"))
    app = SmsDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            lists = app.screen.query(ConversationList)
            if lists and lists.first().option_count >= {first_page}:
                print(time.time())
                return
            await asyncio.sleep(0.002)

asyncio.run(main())
"""

HELLO_CHILD = """
import asyncio, time
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello")

async def main():
    app = Hello()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(time.time())

asyncio.run(main())
"""


def build_store(path: Path) -> None:
    from tui.api.models import Message
    from tui.store import open_store

    store = open_store(path)
    now = datetime.now(UTC)
    batch = []
    for i in range(CONVERSATIONS):
        phone = f"+1650253{i:04d}"
        for j in range(3):
            at = now - timedelta(minutes=i * 3 + j)
            batch.append(Message(
                id=f"m{i}-{j}", phone_number=phone, message=f"Text {j} from {i}",
                direction="incoming" if j != 1 else "outgoing", read=j != 0,
                created_at=at, updated_at=at,
            ))
    store.store_messages(batch)
    store.close()


def run_child(code: str) -> float:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.strip().splitlines()[-1]
    return (float(out) - started) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    folder = Path(tempfile.mkdtemp(prefix="smsdesk-bench-"))
    db = folder / "bench.db"
    build_store(db)
    from tui.screens.inbox import LIST_PAGE

    smsdesk_code = SMSDESK_CHILD.format(root=str(ROOT), db=str(db), first_page=LIST_PAGE)
    run_child(smsdesk_code)  # warm the OS file cache once, as a second launch would be
    run_child(HELLO_CHILD)
    ours = [run_child(smsdesk_code) for _ in range(runs)]
    hello = [run_child(HELLO_CHILD) for _ in range(runs)]
    med_ours, med_hello = statistics.median(ours), statistics.median(hello)
    print(f"runs: {runs}, conversations in the store: {CONVERSATIONS}")
    print(f"smsdesk: process start -> inbox drawn: median {med_ours:.0f} ms, "
          f"min {min(ours):.0f} ms, max {max(ours):.0f} ms")
    print(f"bare Textual hello app:                  median {med_hello:.0f} ms, "
          f"min {min(hello):.0f} ms, max {max(hello):.0f} ms")
    print(f"ratio smsdesk / hello: {med_ours / med_hello:.2f}")


if __name__ == "__main__":
    main()
