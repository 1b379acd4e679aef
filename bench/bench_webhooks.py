"""Webhooks: receiver throughput and latency on loopback, and inbound text on screen by webhook.

Plain script: ``python bench/bench_webhooks.py [--quick]``; ``bench/run.py`` calls ``measure``.
The receiver runs as its own process (``python -m tui webhooks listen``, one worker, durable
``synchronous=FULL`` commits) on a fresh store; the client posts from this process.

1. 5,000 distinct inbound-message webhooks (1,000 with --quick), 8 at a time over keep-alive
   connections: events stored per second, and each POST's latency (p50, p99).
2. The app (headless, in-process sandbox, the receiver process writing the same store): a
   webhook for a new text is posted, the clock stops when that conversation is at the top of
   the Inbox list. p50 and p95 over 40 texts (15 with --quick).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

TARGETS: dict[str, str] = {"webhook_inbound_on_screen_p50_ms": "<= 100",
                           "webhook_stored_ratio": ">= 1"}
SECRET = "bench-secret-0123456789"
CONCURRENCY = 8


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def inbound_body(n: int, phone: str) -> bytes:
    return json.dumps({
        "id": f"contact-{n}", "first_name": None, "last_name": None, "email": None,
        "short_code": "64600", "phone_number": phone, "message": f"bench text {n}",
        "unsubscribed_at": None, "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
        "received_at": datetime.now(UTC).isoformat(),
    }).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def receiver_process(home: Path) -> Iterator[tuple[str, Path]]:
    """``smsdesk webhooks listen`` in a child process; yields its URL and the store path."""
    port = free_port()
    env = {**os.environ, "SMSDESK_CONFIG": str(home / "config.toml"),
           "SMSDESK_WEBHOOK_SECRET": SECRET, "XDG_DATA_HOME": str(home / "data"),
           "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
           "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "tui", "webhooks", "listen", "--port",
                              str(port)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert child.stdout is not None
        store = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if "store:" in line:
                store = Path(line.split("store:", 1)[1].strip())
                break
        with socket.socket() as probe:
            while probe.connect_ex(("127.0.0.1", port)) != 0:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError("the receiver did not start")
                time.sleep(0.05)
        assert store is not None
        yield f"http://127.0.0.1:{port}", store
    finally:
        child.terminate()
        child.wait(10)


async def throughput(url: str, posts: int) -> dict[str, float]:
    import httpx

    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(posts):
        queue.put_nowait(n)
    headers = {"content-type": "application/json", "X-Webhook-Secret": SECRET}

    async def worker(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            body = inbound_body(n, f"+1650555{n % 10000:04d}")
            start = time.perf_counter()
            response = await http.post(f"{url}/webhooks/mobiniti/inbound_message",
                                       content=body, headers=headers)
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"receiver answered {response.status_code}")

    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(limits=limits, timeout=30) as http:
        start = time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - start
    return {"webhook_events_per_s": posts / elapsed,
            "webhook_post_p50_ms": pct(latencies, 50),
            "webhook_post_p99_ms": pct(latencies, 99)}


async def on_screen(url: str, store: Path, texts: int) -> dict[str, float]:
    import httpx

    sys.path.insert(0, str(ROOT))
    from tests.ui.conftest import sandbox_desk
    from tui.app import SmsDeskApp
    from tui.sandbox import SandboxConfig, create_app
    from tui.widgets.conversation_list import ConversationList

    sandbox = create_app(SandboxConfig(seed=5, contacts=100, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    app = SmsDeskApp(sandbox_desk(sandbox, store))
    times: list[float] = []
    headers = {"content-type": "application/json", "X-Webhook-Secret": SECRET}
    async with app.run_test(size=(120, 40)), httpx.AsyncClient() as http:
        await app.desk.event_feed()
        await asyncio.sleep(1.0)  # first-run history settles
        lst = app.screen.query_one(ConversationList)
        for n in range(texts):
            phone = f"+1720555{n:04d}"
            start = time.perf_counter()
            answer = await http.post(f"{url}/webhooks/mobiniti", content=inbound_body(n, phone),
                                     headers=headers)
            assert answer.status_code == 200
            while not (lst.option_count and lst.get_option_at_index(0).id == phone):
                if time.perf_counter() - start > 10:
                    raise TimeoutError(phone)
                await asyncio.sleep(0.002)
            times.append((time.perf_counter() - start) * 1000)
            await asyncio.sleep(0.05)
    return {"webhook_inbound_on_screen_p50_ms": pct(times, 50),
            "webhook_inbound_on_screen_p95_ms": pct(times, 95)}


def stored_count(path: Path) -> int:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM received_events").fetchone()[0])


def measure(quick: bool) -> dict[str, float]:
    posts, texts = (1000, 15) if quick else (5000, 40)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        with receiver_process(Path(folder) / "a") as (url, store):
            figures.update(asyncio.run(throughput(url, posts)))
            figures["webhook_stored_ratio"] = stored_count(store) / posts
        with receiver_process(Path(folder) / "b") as (url, store):
            figures.update(asyncio.run(on_screen(url, store, texts)))
    return {k: round(float(v), 2) for k, v in figures.items()}


if __name__ == "__main__":
    for key, value in measure("--quick" in sys.argv).items():
        print(f"{key:>36}: {value}")
