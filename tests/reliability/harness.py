"""The fault suite's bench: a headless desk against the sandbox on a loopback socket with every
chaos kind, replies sent the way Enter sends them (``desk.send_reply``), and the server's own
record compared with what the person was told.

Run by tests/reliability/test_fault_suite.py (fast, in CI; long with ``SMSDESK_LONG=1``) and by
hand for figures: ``python -m tests.reliability.harness --replies 1000 --shape php``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tests.reliability import timeline
from tui.api.client import MobinitiClient
from tui.api.rate import RateScheduler
from tui.config import Profile
from tui.conversation_view import ReplyRefused
from tui.desk import Desk, DeskEvent, OutboxChanged
from tui.sandbox import ChaosConfig, Sandbox, SandboxConfig, create_app, serve_in_thread
from tui.services.inbox import INBOX_CURSOR
from tui.store import AsyncStore, OutboxItem, open_store

DONE = {"sent", "failed", "unclear", "cancelled"}


@dataclass
class Figures:
    """What one run proved; the suite asserts the zeros."""

    shape: str
    chaos_rate: float
    texts_attempted: int = 0
    refused_before_sending: int = 0
    sent: int = 0
    failed: int = 0
    unclear: int = 0
    duplicates: int = 0
    lost: int = 0
    failed_but_sent: int = 0
    stuck: int = 0
    requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    longest_gap_between_sends_s: float = 0.0
    # The same, less the time the server had told the send route to wait (Retry-After on a
    # 429 or 503): what smsdesk itself took while the server answered.
    longest_gap_outside_retry_after_s: float = 0.0
    # Of that, the longest stretch with no send request on its way and no wait ordered: ours.
    longest_send_route_idle_s: float = 0.0
    # The promise's own measure: the time within a gap in which a reply was queued to be
    # posted (not only being looked up), less the waits the server ordered on the send route.
    longest_gap_while_queued_s: float = 0.0
    gaps_over_10s: list[dict[str, object]] = field(default_factory=list)
    enter_to_sent_p50_s: float = 0.0
    enter_to_sent_p95_s: float = 0.0
    inbound_on_server: int = 0
    inbound_missing: int = 0
    inbound_duplicated: int = 0
    cursor_went_back: int = 0
    read_marks_unconverged: int = 0
    seconds: float = 0.0


def chaos_sandbox(shape: str, chaos_rate: float, inbound_per_minute: float) -> Sandbox:
    """The bench's sandbox: every fault kind at ``chaos_rate``, no rate limit of its own."""
    return create_app(SandboxConfig(
        seed=11, contacts=60, rate_limit=False, inbound_rate=inbound_per_minute,
        reply_probability=0.0, failure_rate=0.0, delivery_delay=0.5, tick=0.1,
        shape=shape,  # type: ignore[arg-type]
        chaos=ChaosConfig(rate=chaos_rate, seed=5, latency=(0.05, 0.4), storm_requests=3,
                          slow_body_chunk_delay=0.005),
    ))


def fast_client(sandbox: Sandbox, url: str) -> MobinitiClient:
    """Faster than the real 1 request/second so a CI run stays short; same code paths."""
    return MobinitiClient(sandbox.token, f"{url}/v1", scheduler=RateScheduler(per_second=8.0),
                          backoff_base=0.05, backoff_cap=1.0, deadline=8.0,
                          background_deadline=4.0)


def _desk(sandbox: Sandbox, url: str, folder: Path) -> Desk:
    def connect() -> tuple[MobinitiClient, None]:
        return fast_client(sandbox, url), None

    return Desk(profile_name="faults", profile=Profile(base_url=f"{url}/v1", poll_interval=1.0),
                store=AsyncStore(open_store(folder / "faults.db")), connect=connect,
                inbox_options={"fast_interval": 0.3,
                               "receipts_every": 1.0, "max_offline_delay": 2.0})


async def run(replies: int, *, shape: str = "default", chaos_rate: float = 0.3,
              folder: Path | None = None, settle: float = 60.0,
              record: Path | None = None) -> Figures:
    """Send ``replies`` texts under faults and account for every one of them.

    ``record``: write the run's timeline there (requests, sends, the client's log)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="smsdesk-faults-"))
    figures = Figures(shape=shape, chaos_rate=chaos_rate)
    sandbox = chaos_sandbox(shape, chaos_rate, inbound_per_minute=60.0)
    started = time.monotonic()
    seen = timeline.Timeline(sandbox.asgi)
    sandbox.asgi = seen
    logs = timeline.LogRecorder()
    if record:
        logging.getLogger("smsdesk").addHandler(logs)
        logging.getLogger("smsdesk").setLevel(logging.DEBUG)
    with serve_in_thread(sandbox, background=True) as url:
        desk = _desk(sandbox, url, folder)
        sent_at: dict[str, float] = {}
        sends: list[float] = []
        changes: list[tuple[float, str, str]] = []  # (when, key, new state) of every reply

        def heard(event: DeskEvent) -> None:
            if isinstance(event, OutboxChanged):
                changes.append((time.monotonic(), event.key, event.state))
            if isinstance(event, OutboxChanged) and event.state == "sent":
                now = time.monotonic()
                sent_at.setdefault(event.key, now)
                sends.append(now)

        desk.listen(heard)
        desk.attach()
        services = await desk.services()
        cursors: list[str] = []
        stop = asyncio.Event()

        async def watch_cursor() -> None:
            while not stop.is_set():
                value = await desk.store.get_cursor(INBOX_CURSOR)
                if value:
                    cursors.append(value)
                await asyncio.sleep(0.2)

        watcher = asyncio.create_task(watch_cursor())
        phones = [c.phone_number for c in list(sandbox.state.contacts.values())[:40]]
        entered: dict[str, tuple[float, str]] = {}  # key -> (when Enter was pressed, text)
        marked: list[str] = []
        for number in range(replies):
            phone = phones[number % len(phones)]
            text = f"reliability {shape} #{number}"
            figures.texts_attempted += 1
            pressed = time.monotonic()
            try:
                await desk.send_reply(phone, text)
            except ReplyRefused:
                figures.refused_before_sending += 1
                continue
            item = next(i for i in await desk.store.list_outbox(phone=phone) if i.body == text)
            entered[item.key] = (pressed, text)
            if number % 10 == 3:  # the person reads a conversation meanwhile
                marked.append(phone)
                await desk.set_read(phone, read=True)
            await asyncio.sleep(0.02)
        deadline = time.monotonic() + settle + replies * 0.5
        while time.monotonic() < deadline:
            items = [await desk.store.get_outbox(k) for k in entered]
            if all(i is not None and i.state in DONE for i in items):
                break
            await asyncio.sleep(0.2)
        # Faults off: the poller and read marks must now converge on the server's truth.
        sandbox.chaos.config.rate = 0.0
        sandbox.config.inbound_rate = 0.0
        quiet_until = time.monotonic() + 20
        server_in: set[str] = set()
        while time.monotonic() < quiet_until:
            server_in = {m.id for m in list(sandbox.state.messages) if m.direction == "incoming"}
            if server_in <= await _stored_ids(desk):
                break
            services.inbox.wake()
            await asyncio.sleep(0.3)
        for phone in marked:
            await desk.set_read(phone, read=True)
        stop.set()
        await watcher
        figures.requests = sandbox.chaos.requests
        figures.faults = dict(sandbox.chaos.counts)
        items, server_out = await _final_record(desk, sandbox, entered)
        stored_ids = await _stored_ids(desk)
        figures.inbound_on_server = len(server_in)
        figures.inbound_missing = len(server_in - stored_ids)
        figures.inbound_duplicated = await _duplicated_inbound(desk)
        figures.cursor_went_back = sum(1 for a, b in itertools.pairwise(cursors) if b < a)
        figures.read_marks_unconverged = sum(
            1 for m in list(sandbox.state.messages)
            if m.direction == "incoming" and m.phone_number in marked and not m.read
            and m.id in stored_ids and _read_locally(desk, m.id))
        latencies = []
        for key, (pressed, text) in entered.items():
            item = items[key]
            state = item.state if item else "missing"
            on_server = server_out[text]
            figures.duplicates += max(0, on_server - 1)
            if state == "sent":
                figures.sent += 1
                figures.lost += on_server == 0
                if key in sent_at:
                    latencies.append(sent_at[key] - pressed)
            elif state == "failed":
                figures.failed += 1
                figures.failed_but_sent += on_server > 0
            elif state == "unclear":
                figures.unclear += 1
            elif state not in DONE:
                figures.stuck += 1
        if latencies:
            latencies.sort()
            figures.enter_to_sent_p50_s = round(statistics.median(latencies), 2)
            figures.enter_to_sent_p95_s = round(latencies[int(0.95 * (len(latencies) - 1))], 2)
        _gap_figures(figures, sends, seen, started, changes)
        if record:
            logging.getLogger("smsdesk").removeHandler(logs)
            timeline.write(record, seen, sends, started, logs.lines)
        desk.unlisten(heard)
        await desk.close()
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def _gap_figures(figures: Figures, sends: list[float], told: timeline.Timeline,
                 began: float, changes: list[tuple[float, str, str]]) -> None:
    """The longest gap between sends: raw, less the waits the server ordered on the send
    route, only while a reply was queued, and the longest stretch of it that was ours; every
    gap over 10 s explained."""
    waits = told.told_to_wait()
    queued = timeline.spans_with_any(changes, "queued", time.monotonic())
    ordered_while_queued = timeline.intersect(queued, waits)
    flights = [(r.arrived, r.ended or r.arrived) for r in told.on()]
    gaps = list(itertools.pairwise(sends))
    figures.longest_gap_between_sends_s = round(max((b - a for a, b in gaps), default=0.0), 2)
    figures.longest_gap_outside_retry_after_s = round(max(
        (b - a - timeline.covered(waits, a, b) for a, b in gaps), default=0.0), 2)
    figures.longest_send_route_idle_s = round(max(
        (b - a - timeline.covered(waits + flights, a, b) for a, b in gaps), default=0.0), 2)
    figures.longest_gap_while_queued_s = round(max(
        (timeline.covered(queued, a, b) - timeline.covered(ordered_while_queued, a, b)
         for a, b in gaps), default=0.0), 2)
    figures.gaps_over_10s = [asdict(g) for g in timeline.explain(sends, told, began=began)]


async def _final_record(desk: Desk, sandbox: Sandbox, entered: Iterable[str]
                        ) -> tuple[dict[str, OutboxItem | None], Counter[str]]:
    """Every reply's outbox state, then the server's outgoing texts: in that order.

    The outbox is still sending while the states are read (whatever the budget left queued),
    and the server applies a text before it answers, so a text read as "sent" is in a record
    taken afterwards. A record taken first would miss a text sent meanwhile and call it lost.
    """
    items = {key: await desk.store.get_outbox(key) for key in entered}
    server_out = Counter(m.message for m in list(sandbox.state.messages)
                         if m.direction == "outgoing")
    return items, server_out


async def _stored_ids(desk: Desk) -> set[str]:
    with desk.store.sync.db.reading() as conn:
        return {r[0] for r in conn.execute(
            "SELECT id FROM messages WHERE direction = 'incoming'")}


async def _duplicated_inbound(desk: Desk) -> int:
    with desk.store.sync.db.reading() as conn:
        row = conn.execute(
            "SELECT count(*) - count(DISTINCT phone || '|' || body || '|' || created_at) "
            "FROM messages WHERE direction = 'incoming'").fetchone()
    return int(row[0])


def _read_locally(desk: Desk, message_id: str) -> bool:
    with desk.store.sync.db.reading() as conn:
        row = conn.execute("SELECT read FROM messages WHERE id = ?", (message_id,)).fetchone()
    return bool(row and row[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--shape", default="default")
    parser.add_argument("--chaos", type=float, default=0.3)
    parser.add_argument("--timeline", type=Path, help="write the run's timeline (JSON lines)")
    args = parser.parse_args()
    figures = asyncio.run(run(args.replies, shape=args.shape, chaos_rate=args.chaos,
                              record=args.timeline))
    print(json.dumps(asdict(figures), indent=2))


if __name__ == "__main__":
    main()
