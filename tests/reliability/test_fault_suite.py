"""Exactly once under every fault: replies, polling and read marks against the sandbox on a real
socket with every chaos kind at 30 %, in both response shapes.

Fast here (a couple of dozen replies per shape); ``SMSDESK_LONG=1`` runs 1,000 per shape.
The figures of every run are printed (``pytest -s``) and the zeros asserted.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.reliability.harness import run
from tui.api.client import MobinitiClient
from tui.api.rate import Priority
from tui.sandbox import ChaosConfig, SandboxConfig, create_app, serve_in_thread

LONG = os.environ.get("SMSDESK_LONG") == "1"
REPLIES = 1000 if LONG else 24


@pytest.mark.parametrize("shape", ["default", "php"])
async def test_every_reply_exists_once_and_every_failure_is_true(shape: str, tmp_path: Path
                                                                 ) -> None:
    figures = await run(REPLIES, shape=shape, chaos_rate=0.3, folder=tmp_path)
    print(json.dumps(asdict(figures)))
    assert figures.texts_attempted == REPLIES
    assert sum(figures.faults.values()) > 0 and len(figures.faults) >= (7 if LONG else 3)
    assert figures.duplicates == 0
    assert figures.lost == 0
    assert figures.failed_but_sent == 0
    assert figures.stuck == 0
    assert figures.sent >= REPLIES * 0.8  # most go; the rest are refused or left to the person
    assert figures.inbound_missing == 0 and figures.inbound_duplicated == 0
    assert figures.cursor_went_back == 0
    assert figures.read_marks_unconverged == 0
    # The promise: < 10 s between sends while replies are queued and the server answers. Time
    # the server told the send route to wait (429 Retry-After, up to 3 s a storm, and chaos
    # storms can chain) is the server's, not smsdesk's: it is reported in the raw gap and left
    # out of the promised one.
    assert figures.longest_gap_outside_retry_after_s < 10
    if not LONG:
        assert figures.longest_gap_between_sends_s < 20  # a queue that stalls, whatever the cause


class Arrivals:
    """ASGI middleware that notes when each /v1 request arrived and how it was answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.seen: list[tuple[float, str, int, float | None]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        arrived = time.monotonic()

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                after = headers.get(b"retry-after")
                self.seen.append((arrived, f"{scope['method']} {scope['path']}",
                                  message["status"], float(after) if after else None))
            await send(message)

        await self.app(scope, receive, noting)


async def test_a_429_storm_is_waited_out_as_told_without_a_request_storm() -> None:
    sandbox = create_app(SandboxConfig(
        contacts=30, rate_limit=True, reply_probability=0.0, inbound_rate=0.0,
        chaos=ChaosConfig(rate=0.2, kinds=("storm",), seed=3, storm_requests=3)))
    arrivals = Arrivals(sandbox.asgi)
    sandbox.asgi = arrivals
    with serve_in_thread(sandbox) as url:
        async with MobinitiClient(sandbox.token, f"{url}/v1", max_retries=12) as client:
            for page in range(1, 5):
                await client.list_contacts(limit=5, page=page, priority=Priority.BACKGROUND)
            async with httpx.AsyncClient() as raw:
                stats = (await raw.get(f"{url}/_sandbox/stats")).json()
    assert stats["faults"]["storm"] >= 3
    refused = [a for a in arrivals.seen if a[2] == 429]
    assert refused, "no storm happened; the test proves nothing"
    for when, route, _, retry_after in refused:
        later = [a for a in arrivals.seen if a[1] == route and a[0] > when]
        if later and retry_after:
            # The next request on that route waited as long as the server asked.
            assert later[0][0] - when >= retry_after - 0.05
    # No storm of our own: never more than the server's storms plus the pages we wanted.
    assert len(arrivals.seen) <= 4 + len(refused)


@pytest.mark.skipif(not LONG, reason="long variant: SMSDESK_LONG=1")
async def test_long_run_at_half_chaos_still_keeps_every_promise(tmp_path: Path) -> None:
    figures = await run(300, shape="default", chaos_rate=0.5, folder=tmp_path)
    print(json.dumps(asdict(figures)))
    assert (figures.duplicates, figures.lost, figures.failed_but_sent, figures.stuck) == (
        0, 0, 0, 0)
