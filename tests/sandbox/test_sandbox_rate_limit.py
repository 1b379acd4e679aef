"""The per-route limit of 1 request/second: raw bursts get 429s, the smsdesk client never does."""

from __future__ import annotations

import asyncio

import httpx

from tests.sandbox.conftest import FakeTime, small_sandbox
from tui.api.client import MobinitiClient
from tui.api.rate import RateScheduler


async def test_raw_burst_of_20_gets_429s_with_the_seed_headers(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, rate_limit=True)
    async with sandbox.http() as client:
        answers = [await client.get("/groups") for _ in range(20)]
    statuses = [a.status_code for a in answers]
    assert statuses[0] == 200 and statuses[1:] == [429] * 19
    ok, limited = answers[0], answers[1]
    assert ok.headers["X-RateLimit-Limit"] == "60"
    assert ok.headers["X-RateLimit-Remaining"] == "59"
    assert limited.headers["Retry-After"] == "1"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.json()["status"] == 429 and "GET /groups" in limited.json()["message"]


async def test_limit_is_per_route_and_per_token(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, rate_limit=True)
    other = sandbox.make_token(["groups.view", "contacts.view"])
    group_id = next(iter(sandbox.state.groups))
    async with sandbox.http() as mine, sandbox.http(token=other) as theirs:
        assert (await mine.get("/groups")).status_code == 200
        assert (await mine.get(f"/groups/{group_id}")).status_code == 200   # another route
        assert (await theirs.get("/groups")).status_code == 200             # another token
        assert (await mine.get("/groups")).status_code == 429
        clock.advance(1.0)
        again = await mine.get("/groups")
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "58"


async def test_same_burst_through_the_client_gets_no_429(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, rate_limit=True)
    statuses: list[int] = []

    def count(request: httpx.Request, response: httpx.Response) -> None:
        statuses.append(response.status_code)

    transport = sandbox.transport()

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await transport.handle_async_request(request)
            count(request, response)
            return response

    scheduler = RateScheduler(clock=clock)
    async with MobinitiClient(sandbox.token, "http://sandbox/v1", transport=Counting(),
                              scheduler=scheduler, clock=clock) as client:
        pages = await asyncio.gather(*(client.list_groups() for _ in range(20)))
    assert len(pages) == 20 and all(p.data for p in pages)
    assert statuses == [200] * 20
    assert clock.elapsed >= 19.0, "the client spaced the burst out (on the fake clock)"


async def test_relaxed_sandbox_never_limits_nor_counts(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, rate_limit=False)
    async with sandbox.http() as client:
        answers = [await client.get("/groups") for _ in range(75)]  # over a minute's 60
    assert {a.status_code for a in answers} == {200}
    # --no-rate-limit stops counting: the budget never reads as spent.
    assert {a.headers["X-RateLimit-Remaining"] for a in answers} == {"60"}
