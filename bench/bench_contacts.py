"""The Contacts section at 100k subscribers, and a full contacts sync at the API's pace.

The screen figures come from the real app (``python -m tui --profile bench``, its store holding
the contacts and 1,000 conversations, its server never reached) on a 120×40 pseudo-terminal,
read back through a terminal emulator: a clock starts when a key is written to the terminal
and stops when the screen shows what the store says it must (bench/screen_pty.py).

Figures (bench/run.py convention: ``measure(quick) -> dict``):
- contacts_first_page_ms: the inbox drawn and idle, 2 pressed, until the list's first rows
  are on screen; contacts_first_page_at_paint_ms: 2 pressed the moment the inbox appears;
- contacts_keystroke_p50_ms / _p95_ms: a key typed in the search box until the box shows it
  AND the list shows the new query's first page (200 typed queries, 0.12 s between keys);
  _changed_p95_ms: only the keys whose first page differs from the previous one's;
- contacts_query_p50_ms / _p95_ms: the store query alone (one window of 100), in process;
- contacts_page_down_p50_ms / _p95_ms: page-down until the next page's rows are drawn;
- contacts_rss_mb / _peak_mb: resident memory of the app at the end (and its peak);
- *_cpu_*: the app's CPU time (all its threads) for the same moments: on a shared, busy
  machine the wall-clock figures mostly measure the wait for a core;
- contacts_load_1m_*: the machine's 1-minute load average at the start, after the screen part
  and at the end;
- contacts_sync_100k_s: a shorter sync against a served sandbox with the rate limit on,
  extrapolated to 100k contacts; contacts_sync_429s: rate-limit refusals seen (must be 0);
  contacts_sync_inbox_call_ms: an interactive request made while the sync runs.

Run: ``python bench/bench_contacts.py [--quick]``.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

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


def _window_phones(store: Any, text: str, offset: int, limit: int) -> list[str]:
    """The numbers (as the list shows them) of a window of the view, read from the store."""
    from tui.sms.phones import display
    from tui.store.contact_query import ContactQuery

    return [display(c.phone, "US") for c in store.contact_window(ContactQuery(text=text),
                                                                  offset, limit)]


def _header(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if "Number" in line and "Status" in line), -1)


def _rows_shown(expected: list[str], page: int) -> Callable[[list[str]], bool]:
    """The list's first ``page`` rows on screen are ``expected`` (or "No contacts match.")."""
    want = expected[:page]

    def shown(lines: list[str]) -> bool:
        top = _header(lines)
        if top < 0:
            return False
        rows = lines[top + 1:top + 1 + max(1, len(want))]
        if not want:
            return "No contacts match." in rows[0]
        return len(rows) == len(want) and all(p in r for p, r in zip(want, rows, strict=True))

    return shown


def _screen(folder: Path, env: dict[str, str], queries: list[str], pages: int = 30
            ) -> dict[str, float]:
    """The real app on a 120×40 pty: 2 → first page, keystrokes → rows, page-down, RSS."""
    from bench.bench_startup import INBOX_MARK
    from bench.screen_pty import Terminal, cpu_ms, rss_mb
    from tui.store import open_store

    store = open_store(folder / "data" / "smsdesk" / "bench.db")
    argv = [sys.executable, "-m", "tui", "--profile", "bench"]
    inbox = INBOX_MARK.decode()
    figures: dict[str, float] = {}

    # Pressing 2 the moment the inbox is drawn (the section may not be warmed yet).
    term = Terminal(argv, env, ROOT)
    try:
        term.wait(lambda lines: any(inbox in line for line in lines), what="the inbox")
        start, cpu = time.perf_counter(), cpu_ms(term.pid)
        term.press(b"2")
        first = _window_phones(store, "", 0, 5)
        done = term.wait(_rows_shown(first, 5), what="the first page")
        figures["contacts_first_page_at_paint_ms"] = (done - start) * 1000
        figures["contacts_first_page_at_paint_cpu_ms"] = cpu_ms(term.pid) - cpu
    finally:
        term.close()

    # As a person does: the inbox is drawn, looked at, then 2.
    term = Terminal(argv, env, ROOT)
    try:
        term.wait(lambda lines: any(inbox in line for line in lines), what="the inbox")
        term.settle(quiet=0.5)
        start, cpu = time.perf_counter(), cpu_ms(term.pid)
        term.press(b"2")
        done = term.wait(_rows_shown(first, 5), what="the first page")
        figures["contacts_first_page_ms"] = (done - start) * 1000
        figures["contacts_first_page_cpu_ms"] = cpu_ms(term.pid) - cpu
        term.settle()
        lines = term.lines()
        top = _header(lines)
        everyone = _window_phones(store, "", 0, 60)
        page = next(i for i, p in enumerate(everyone) if p not in lines[top + 1 + i])
        search_line = next(i for i, line in enumerate(lines) if "/ search" in line)

        term.press(b"/")
        term.settle()
        wall: list[float] = []
        cpu_samples: list[float] = []
        changed: list[float] = []
        previous, previous_rows = "", everyone[:page]
        for text in queries:
            if not text.startswith(previous) or len(text) != len(previous) + 1:
                term.press(b"\x15" + text[:-1].encode())  # ctrl+u, then all but the last key
                previous = text[:-1]
                previous_rows = _window_phones(store, previous, 0, page)
                term.wait(_rows_shown(previous_rows, page), what=f"results of {previous!r}")
                term.settle(quiet=0.35)
            expected = _window_phones(store, text, 0, page)
            rows_shown = _rows_shown(expected, page)
            start, cpu = time.perf_counter(), cpu_ms(term.pid)
            term.press(text[-1].encode())
            done = term.wait(lambda lines, t=text, r=rows_shown: t in lines[search_line]
                             and r(lines), what=f"results of {text!r}")
            wall.append((done - start) * 1000)
            cpu_samples.append(cpu_ms(term.pid) - cpu)
            if expected != previous_rows:
                changed.append(wall[-1])
            previous, previous_rows = text, expected
            time.sleep(0.12)  # a fast typist's pace between keys
        figures["contacts_keystroke_p50_ms"] = statistics.median(wall)
        figures["contacts_keystroke_p95_ms"] = _pct(wall, 0.95)
        figures["contacts_keystroke_cpu_p50_ms"] = statistics.median(cpu_samples)
        figures["contacts_keystroke_cpu_p95_ms"] = _pct(cpu_samples, 0.95)
        figures["contacts_keystroke_changed_p95_ms"] = _pct(changed, 0.95) if changed else 0.0
        figures["contacts_keystroke_changed_count"] = float(len(changed))

        term.press(b"\x15\r")  # empty the box; enter: back to the list
        term.wait(_rows_shown(everyone, page), what="every contact again")
        term.settle()
        downs: list[float] = []
        down_cpu: list[float] = []
        for k in range(1, pages + 1):
            expected = _window_phones(store, "", k * page - page + 1, page)
            start, cpu = time.perf_counter(), cpu_ms(term.pid)
            term.press(b"\x1b[6~")
            done = term.wait(_rows_shown(expected, page), what=f"page {k}")
            downs.append((done - start) * 1000)
            down_cpu.append(cpu_ms(term.pid) - cpu)
            time.sleep(0.12)
        figures["contacts_page_down_p50_ms"] = statistics.median(downs)
        figures["contacts_page_down_p95_ms"] = _pct(downs, 0.95)
        figures["contacts_page_down_cpu_p95_ms"] = _pct(down_cpu, 0.95)
        figures["contacts_rss_mb"] = rss_mb(term.pid)
        figures["contacts_rss_peak_mb"] = rss_mb(term.pid, "VmHWM")
    finally:
        term.close()
        store.close()
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
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.bench_startup import build_home

    count = 20_000 if quick else 100_000
    figures: dict[str, float] = {"contacts_load_1m_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="smsdesk-bench-") as name:
        folder = Path(name)
        env = build_home(folder)  # a profile whose server never answers: the UI alone
        db = folder / "data" / "smsdesk" / "bench.db"
        _fill(db, count)
        queries = _queries(40 if quick else 200)
        figures.update(_query_times(db, _queries(200)))
        figures.update(_screen(folder, env, queries, 10 if quick else 30))
        figures["contacts_load_1m_screen"] = os.getloadavg()[0]
        figures.update(asyncio.run(_sync(folder, 600 if quick else 2_000)))
        figures["contacts_in_store"] = float(count)
    figures["contacts_load_1m_end"] = os.getloadavg()[0]
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
