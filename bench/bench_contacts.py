"""The Contacts section at 100k subscribers, and a full contacts sync at the API's pace.

Figures (bench/run.py convention: ``measure(quick) -> dict``):
- contacts_first_page_ms: pressing 2 until the first page of the list is drawn;
- contacts_keystroke_p50_ms / _p95_ms: a key typed in the search box until the list shows
  the new results, over 200 typed queries; contacts_query_p50_ms / _p95_ms: the store query;
- contacts_page_down_p95_ms: page-down until the new rows are drawn;
- contacts_rss_mb: resident memory of the app with the list open;
- *_cpu_*: the CPU time the app spent (all its threads) for the same moments: on a shared,
  busy machine wall-clock figures mostly measure the wait for a core;
- contacts_sync_100k_s: a shorter sync against a served sandbox with the rate limit on,
  extrapolated to 100k contacts; contacts_sync_429s: rate-limit refusals seen (must be 0);
  contacts_sync_inbox_call_ms: an interactive request made while the sync runs.

Run: ``python bench/bench_contacts.py [--quick]``.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGETS: dict[str, str] = {
    "contacts_first_page_ms": "<= 200",
    "contacts_keystroke_p95_ms": "<= 30",
    "contacts_query_p95_ms": "<= 10",
    "contacts_rss_mb": "<= 150",
    "contacts_sync_429s": "<= 0",
}
FIRST = ["Ann", "Bob", "Cy", "Dee", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia",
         "José", "Zoë", "Mary Ann"]
LAST = ["Smith", "Jones", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Moore",
        "Taylor", "Smithers", "Osmond", "Nguyen", "Khan", "Ito", "Silva", "Müller"]


def _fill(path: Path, count: int) -> None:
    from datetime import UTC, datetime

    from tui.api.models import Contact
    from tui.store import open_store

    rng = random.Random(42)
    store = open_store(path)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    batch: list[Contact] = []
    for i in range(count):
        batch.append(Contact(
            id=f"c{i:06d}",
            phone_number=f"+1{rng.randint(201, 989)}{rng.randint(2000000, 9999999)}",
            first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
            email=f"user{i}@example.com" if i % 3 else None, created_at=t0, updated_at=t0,
            fields={"city": rng.choice(["Denver", "Austin", "Boston"])} if i % 5 == 0 else None))
        if len(batch) == 5_000:
            store.upsert_contacts(batch)
            batch.clear()
    store.upsert_contacts(batch)
    store.close()


def _queries(count: int) -> list[str]:
    """What 200 keystrokes look like: names, then phone digits and emails, typed one by one."""
    rng = random.Random(7)
    words = [*(n.lower() for n in LAST), *(n.lower() for n in FIRST[:8]), "user12", "720555",
             "ann smi", "(303) 4", "boston"]
    typed: list[str] = []
    while len(typed) < count:
        word = rng.choice(words)
        typed.extend(word[:n] for n in range(1, len(word) + 1))
    return typed[:count]


def _pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(p * len(ordered)) - 1)]


async def _screen(db: Path, queries: list[str]) -> dict[str, float]:
    import resource

    import httpx

    from tui.api.client import MobinitiClient
    from tui.app import SmsDeskApp
    from tui.config import Profile
    from tui.desk import Desk
    from tui.sandbox import SandboxConfig, create_app
    from tui.store import AsyncStore, open_store
    from tui.widgets.virtual_list import VirtualList

    sandbox = create_app(SandboxConfig(seed=1, contacts=5, rate_limit=False))

    def connect() -> tuple[MobinitiClient, None]:
        transport = httpx.ASGITransport(app=sandbox.asgi)
        return MobinitiClient(sandbox.token, "http://sandbox/v1", transport=transport), None

    desk = Desk(profile_name="bench", profile=Profile(), store=AsyncStore(open_store(db)),
                connect=connect, autostart=False)
    app = SmsDeskApp(desk)
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await desk.services()
        await pilot.pause()
        start, cpu = time.perf_counter(), time.process_time()
        await pilot.press("2")
        while True:
            screen = app.screen
            found = screen.query("#contacts-list")
            if found and found.first(VirtualList).row_at(0) is not None:
                break
            await asyncio.sleep(0.0005)
        await pilot.pause()  # the frame that shows it
        figures["contacts_first_page_ms"] = (time.perf_counter() - start) * 1000
        figures["contacts_first_page_cpu_ms"] = (time.process_time() - cpu) * 1000
        lst: VirtualList[Any] = app.screen.query_one("#contacts-list", VirtualList)
        await pilot.press("slash")
        samples: list[float] = []
        cpu_samples: list[float] = []
        previous = ""
        for text in queries:
            if not text.startswith(previous) or len(text) != len(previous) + 1:
                app.screen.query_one("#contacts-search").value = ""  # type: ignore[attr-defined]
                await pilot.pause()
                for char in text[:-1]:
                    await pilot.press(char if char != " " else "space")
                await app.workers.wait_for_complete()
            generation = lst._generation
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press(text[-1] if text[-1] != " " else "space")
            while lst._generation == generation or any(
                    w.group == "rows" and not w.is_finished for w in app.workers):
                await asyncio.sleep(0.0005)
            await pilot.pause()
            samples.append((time.perf_counter() - start) * 1000)
            cpu_samples.append((time.process_time() - cpu) * 1000)
            previous = text
        figures["contacts_keystroke_p50_ms"] = statistics.median(samples)
        figures["contacts_keystroke_p95_ms"] = _pct(samples, 0.95)
        figures["contacts_keystroke_cpu_p50_ms"] = statistics.median(cpu_samples)
        figures["contacts_keystroke_cpu_p95_ms"] = _pct(cpu_samples, 0.95)
        app.screen.query_one("#contacts-search").value = ""  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        downs: list[float] = []
        down_cpu: list[float] = []
        for _ in range(30):
            start, cpu = time.perf_counter(), time.process_time()
            await pilot.press("pagedown")
            while lst.row_at(lst.cursor) is None:
                await asyncio.sleep(0.0005)
            await pilot.pause()
            downs.append((time.perf_counter() - start) * 1000)
            down_cpu.append((time.process_time() - cpu) * 1000)
        figures["contacts_page_down_p50_ms"] = statistics.median(downs)
        figures["contacts_page_down_p95_ms"] = _pct(downs, 0.95)
        figures["contacts_page_down_cpu_p95_ms"] = _pct(down_cpu, 0.95)
        figures["contacts_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def _query_times(db: Path, queries: list[str]) -> dict[str, float]:
    from tui.store import open_store
    from tui.store.contact_query import ContactQuery

    store = open_store(db)
    store.contact_window(ContactQuery(text="a"), 0, 40)  # a warm cache, as in the app
    samples = []
    for text in queries:
        start = time.perf_counter()
        store.contact_window(ContactQuery(text=text), 0, 100)
        samples.append((time.perf_counter() - start) * 1000)
    store.close()
    return {"contacts_query_p50_ms": statistics.median(samples),
            "contacts_query_p95_ms": _pct(samples, 0.95)}


async def _sync(folder: Path, contacts: int) -> dict[str, float]:
    """A shorter full sync over a real socket with the rate limit on; extrapolated to 100k."""
    from tui.api.client import MobinitiClient
    from tui.api.errors import RateLimited
    from tui.sandbox import SandboxConfig, create_app
    from tui.sandbox.serve import serve_in_thread
    from tui.services.sync import ContactSync
    from tui.store import AsyncStore, open_store

    sandbox = create_app(SandboxConfig(seed=9, contacts=contacts, rate_limit=True,
                                       inbound_rate=0.0, reply_probability=0.0))
    import httpx

    refused = 0
    statuses: list[int] = []

    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await super().handle_async_request(request)
            statuses.append(response.status_code)
            return response

    with serve_in_thread(sandbox) as url:
        client = MobinitiClient(sandbox.token, f"{url}/v1", transport=Counting())
        store = AsyncStore(open_store(folder / "sync.db"))
        sync = ContactSync(client, store)
        start = time.perf_counter()
        task = asyncio.create_task(sync.sync_all())
        inbox_calls: list[float] = []
        while not task.done():
            await asyncio.sleep(1.5)
            t = time.perf_counter()
            try:
                await client.list_messages(limit=20)
            except RateLimited:
                refused += 1
            inbox_calls.append((time.perf_counter() - t) * 1000)
        _groups, done = await task
        seconds = time.perf_counter() - start
        await client.aclose()
        await store.close()
    pages = max(1, -(-done.done // 100))
    return {"contacts_sync_100k_s": seconds / pages * 1000 + 8,  # + the groups pages
            "contacts_sync_sample_contacts": float(done.done),
            "contacts_sync_sample_s": seconds,
            "contacts_sync_429s": float(refused + statuses.count(429)),
            "contacts_sync_inbox_call_ms": statistics.median(inbox_calls) if inbox_calls
            else 0.0}


def measure(quick: bool) -> dict[str, float]:
    count = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "contacts.db"
        _fill(db, count)
        queries = _queries(200)
        figures = _query_times(db, queries)
        figures.update(asyncio.run(_screen(db, queries)))
        figures.update(asyncio.run(_sync(Path(folder), 600 if quick else 2_000)))
        figures["contacts_in_store"] = float(count)
    return figures


def notes(figures: dict[str, float]) -> str:
    return (f"{figures.get('contacts_in_store', 0):,.0f} contacts in the store; sync measured on "
            f"{figures.get('contacts_sync_sample_contacts', 0):,.0f} contacts in "
            f"{figures.get('contacts_sync_sample_s', 0):.0f} s and extrapolated to 100k")


if __name__ == "__main__":
    result = measure("--quick" in sys.argv)
    for name, value in result.items():
        print(f"{name:<34} {value:10.2f}   {TARGETS.get(name, '')}")
    print(notes(result))
