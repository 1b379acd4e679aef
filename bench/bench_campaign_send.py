"""A 10k-recipient campaign against the sandbox served on a real socket, rate limit on.

Plain script: ``python bench/bench_campaign_send.py [--quick]`` (quick: 1,000 recipients).
The app runs headless; the send is started from the Campaigns service and watched through the
same progress dialog a person sees, while a 20 ms timer measures how late the UI loop gets
(the longest frame). Two sends: one text for everyone, then ``Hi {first_name}, ...``.
Figures: POSTs to /message/batch (counted on the wire), wall time, longest UI frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGETS: dict[str, str] = {
    "campaign_10k_requests": "<= 100",
    "campaign_send_longest_frame_ms": "<= 100",
}
FOOTER = " Reply STOP to opt out."
SEED = 3


@contextlib.contextmanager
def _served(recipients: int) -> Iterator[str]:
    """``smsdesk sandbox serve`` in its own process (a server in this process would hold the
    GIL and show up as a slow UI frame); yields its base URL."""
    command = [sys.executable, "-m", "tui", "sandbox", "serve", "--port", "0", "--seed",
               str(SEED), "--contacts", str(recipients), "--inbound-rate", "0", "--no-replies"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert server.stdout is not None
        for line in server.stdout:
            if "API:" in line:
                yield line.split("API:", 1)[1].strip().removesuffix("/v1")
                return
        raise RuntimeError("the sandbox did not start")
    finally:
        server.terminate()
        server.wait(timeout=10)


def _mirror(recipients: int, store: Any) -> None:
    """The local copy a finished sync leaves: the same seed builds the same demo contacts."""
    from tui.api.models import Contact
    from tui.sandbox import SandboxConfig, create_app

    state = create_app(SandboxConfig(seed=SEED, contacts=recipients)).state
    store.upsert_contacts([
        Contact(id=c.id, phone_number=c.phone_number, first_name=c.first_name,
                last_name=c.last_name, created_at=c.created_at, updated_at=c.updated_at,
                unsubscribed_at=c.unsubscribed_at)
        for c in state.contacts.values()])


async def _send(url: str, recipients: int, template: str) -> dict[str, float]:
    import httpx

    from tui.api.client import MobinitiClient
    from tui.app import SmsDeskApp
    from tui.config import Profile
    from tui.desk import Desk
    from tui.sandbox import DEMO_TOKEN
    from tui.screens.send_report import SendProgressScreen
    from tui.store import AsyncStore, open_store

    calls: Counter[str] = Counter()

    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls[f"{request.method} {request.url.path}"] += 1
            return await super().handle_async_request(request)

    store = open_store(Path(tempfile.mkdtemp()) / "bench.db")
    _mirror(recipients, store)

    def connect() -> tuple[MobinitiClient, None]:
        return MobinitiClient(DEMO_TOKEN, f"{url}/v1", transport=Counting()), None

    from datetime import datetime
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    noon = datetime.combine(datetime.now(ZoneInfo("America/Chicago")).date(), clock(12),
                            tzinfo=ZoneInfo("America/Chicago"))
    desk = Desk(profile_name="bench", profile=Profile(base_url=f"{url}/v1"),
                store=AsyncStore(store), connect=connect, autostart=False, now=lambda: noon)
    app = SmsDeskApp(desk)
    frames: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        services = await desk.services()
        runner = asyncio.create_task(services.outbox.run())
        campaigns = await desk.campaigns()
        audience = await campaigns.from_search("")  # every subscribed contact
        plan = await campaigns.plan(template, audience)
        assert plan.blocked is None, plan.blocked
        # Numbers abroad are at night at noon in Chicago: held (left out), as a person would.
        send = await campaigns.start_send(plan, name="bench", choice="hold")
        await app.workers.wait_for_complete()
        await asyncio.sleep(1.0)  # the first screen has settled: only the send is measured
        last = time.perf_counter()

        def tick() -> None:
            nonlocal last
            now = time.perf_counter()
            frames.append(now - last)
            if os.environ.get("BENCH_FRAMES") and now - last > 0.06:
                print(f"slow frame {1000 * (now - last):.0f} ms at {now - started:.2f} s",
                      file=sys.stderr)
            last = now

        started = time.perf_counter()
        app.set_interval(0.02, tick)
        app.push_screen(SendProgressScreen(desk, send.id, "bench"))
        await pilot.pause()
        while isinstance(app.screen, SendProgressScreen):
            await asyncio.sleep(0.05)
        wall = time.perf_counter() - started
        report = await campaigns.report(send.id)
        runner.cancel()
    assert report is not None and report.sent + len(report.held) == audience.count, report
    return {"requests": float(calls["POST /v1/message/batch"]), "wall_s": round(wall, 1),
            "longest_frame_ms": round(max(frames[1:], default=0.0) * 1000 - 20, 1),
            "sent": float(report.sent)}


def measure(quick: bool) -> dict[str, float]:
    recipients = 1_000 if quick else 10_000
    key = "campaign_1k" if quick else "campaign_10k"
    out: dict[str, float] = {}
    frames = []
    for label, template in (("", "Summer sale: 20% off everything today."),
                            ("_merge", "Hi {first_name}, 20% off everything today.")):
        with _served(recipients) as url:
            figures = asyncio.run(_send(url, recipients, template + FOOTER))
        out[f"{key}{label}_requests"] = figures["requests"]
        out[f"{key}{label}_wall_s"] = figures["wall_s"]
        out[f"{key}{label}_sent"] = figures["sent"]
        frames.append(figures["longest_frame_ms"])
    out["campaign_send_longest_frame_ms"] = max(frames)
    return out


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for name, value in measure(quick).items():
        print(f"{name:36} {value:g}")
