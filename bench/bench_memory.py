"""Memory: resident set size after start-up, and after 100k contacts are loaded and shown.

``python bench/bench_memory.py [--quick]``. A fresh process runs the app headless (120×40) on
a store with 1,000 conversations (the cold-start bench's), and reads its own RSS
(``/proc/self/status``) once the inbox is drawn; then 100k contacts are saved into the store
as a sync would (in pages of 100) and the Contacts section is opened, and RSS is read again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS: dict[str, str] = {}

CHILD = """
import asyncio, json, sys
from datetime import UTC, datetime
from pathlib import Path

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

async def main(contacts):
    from tui.launch import build_desk
    from tui.app import SmsDeskApp
    desk = build_desk("bench")
    app = SmsDeskApp(desk)
    figures = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not desk.is_painted:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)
        figures["rss_after_start_mb"] = rss_mb()
        from tui.api.models import Contact
        now = datetime.now(UTC)
        for start in range(0, contacts, 100):
            page = [Contact(id=f"c{i}", phone_number=f"+1212{5550000 + i:07d}",
                            first_name=f"First{i}", last_name=f"Last{i % 977}",
                            created_at=now, updated_at=now) for i in range(start, start + 100)]
            await desk.store.upsert_contacts(page)
        app.switch_mode("contacts")
        await asyncio.sleep(1.0)
        await pilot.pause()
        figures["rss_after_100k_contacts_mb"] = rss_mb()
        app.exit()
    print(json.dumps(figures))

asyncio.run(main(int(sys.argv[1])))
"""


def measure(quick: bool) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_startup import build_home

    with tempfile.TemporaryDirectory(prefix="smsdesk-memory-") as folder:
        env = build_home(Path(folder))
        done = subprocess.run([sys.executable, "-c", CHILD, "100000"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


if __name__ == "__main__":
    for key, value in measure("--quick" in sys.argv).items():
        print(f"{key:30} {value:8.1f}")
