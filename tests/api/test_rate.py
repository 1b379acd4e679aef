"""The per-route scheduler: spacing, priority, pauses from headers, never a self-made 429."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime

import httpx
import pytest
from api_fakes import BASE, SAMPLES, TOKEN, FakeClock, Script, page_json

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.rate import Priority, RateHeadroom, RateScheduler, parse_retry_after


class StrictServer:
    """Answers 429 when two requests on one route start less than a second apart."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.last: dict[str, float] = {}
        self.starts: list[tuple[float, str]] = []
        self.too_many = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.clock.monotonic()
        route = f"{request.method} {request.url.path}"
        previous = self.last.get(route)
        if previous is not None and now - previous < 1.0:
            self.too_many += 1
            return httpx.Response(429, json={"status": 429, "message": "Too Many Attempts."},
                                  headers={"Retry-After": "1"})
        self.last[route] = now
        self.starts.append((now, request.url.params.get("page", "")))
        return httpx.Response(200, json=page_json(m.Contact),
                              headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "59"})


async def test_interactive_calls_jump_the_queue_and_spacing_is_kept() -> None:
    clock = FakeClock()
    server = StrictServer(clock)
    client = MobinitiClient(TOKEN, BASE, transport=httpx.MockTransport(server), clock=clock)
    async with client:
        # The page number tags each call: 1..50 background, 1001..1005 interactive. The
        # background calls are queued first; the interactive ones arrive behind them.
        background = [
            asyncio.create_task(client.list_contacts(page=i, priority=Priority.BACKGROUND))
            for i in range(1, 51)
        ]
        interactive = [
            asyncio.create_task(client.list_contacts(page=1000 + i))
            for i in range(1, 6)
        ]
        await asyncio.wait_for(asyncio.gather(*background, *interactive), timeout=10)
    order = [page for _, page in server.starts]
    assert len(order) == 55 and server.too_many == 0
    # Only the call already granted before they arrived goes ahead of them.
    assert order[:6] == ["1", "1001", "1002", "1003", "1004", "1005"]
    assert order[6:] == [str(i) for i in range(2, 51)]
    times = [t for t, _ in server.starts]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))
    # No busy loop: about one sleep per request, never thousands.
    assert len(clock.sleeps) <= 2 * 55


async def test_different_routes_do_not_wait_for_each_other() -> None:
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    start = clock.now
    await scheduler.acquire("GET /contacts", Priority.BACKGROUND)
    await scheduler.acquire("GET /groups", Priority.BACKGROUND)
    assert clock.now == start
    await scheduler.acquire("GET /contacts", Priority.BACKGROUND)
    assert clock.now - start == pytest.approx(scheduler.spacing)
    assert 1.0 <= scheduler.spacing <= 1.1


async def test_one_request_in_flight_per_route() -> None:
    clock = FakeClock()
    scheduler = RateScheduler(per_second=1000.0, clock=clock)
    entered: list[str] = []

    async def hold(name: str, release: asyncio.Event) -> None:
        async with scheduler.slot("POST /message"):
            entered.append(name)
            await release.wait()

    first_done, second_done = asyncio.Event(), asyncio.Event()
    a = asyncio.create_task(hold("a", first_done))
    b = asyncio.create_task(hold("b", second_done))
    for _ in range(5):
        await asyncio.sleep(0)
    assert entered == ["a"]
    first_done.set()
    for _ in range(5):
        await asyncio.sleep(0)
    assert entered == ["a", "b"]
    second_done.set()
    await asyncio.gather(a, b)


async def test_retry_after_pauses_the_route_and_remaining_zero_too() -> None:
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    await scheduler.acquire("GET /messages")
    scheduler.observe("GET /messages", {"Retry-After": "12"}, 429)
    assert scheduler.paused_for("GET /messages") == pytest.approx(12.0)
    start = clock.now
    await scheduler.acquire("GET /messages")
    assert clock.now - start == pytest.approx(12.0)

    scheduler.observe("GET /messages", {"X-RateLimit-Limit": "60",
                                        "X-RateLimit-Remaining": "0"}, 200)
    assert scheduler.paused_for("GET /messages") >= 1.0
    assert scheduler.headroom().remaining == 0


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 01 May 2024 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("") is None and parse_retry_after(None) is None
    assert parse_retry_after("-5") == 0.0
    assert parse_retry_after("999999") == 600.0


async def test_a_cancelled_waiter_does_not_block_the_queue() -> None:
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    await scheduler.acquire("GET /contacts")
    scheduler.observe("GET /contacts", {"Retry-After": "30"}, 429)
    stuck = asyncio.create_task(scheduler.acquire("GET /contacts"))
    await asyncio.sleep(0)
    stuck.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck
    await asyncio.wait_for(scheduler.acquire("GET /contacts", Priority.BACKGROUND), timeout=2)
    assert scheduler.headroom().waiting == 0


async def test_headroom_for_the_status_bar() -> None:
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    assert str(scheduler.headroom()) == "rate ok"
    scheduler.observe("GET /a", {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "41"}, 200)
    scheduler.observe("GET /b", {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "58"}, 200)
    assert scheduler.headroom() == RateHeadroom(limit=60, remaining=41, waiting=0)
    assert str(scheduler.headroom()) == "rate ok"  # 41 of 60 left: the app keeps its pace
    scheduler.observe("GET /a", {"Retry-After": "9"}, 429)
    assert str(scheduler.headroom()) == "rate paused 9s"
    clock.now += 120
    assert str(scheduler.headroom()) == "rate ok"


def test_headroom_at_the_normal_pace_is_not_a_warning() -> None:
    """1 request/second: "0 left" after each request is the app using its budget."""
    assert str(RateHeadroom(limit=1, remaining=0)) == "rate ok"
    assert str(RateHeadroom(limit=1, remaining=0, waiting=3, paused_for=0.6)) == (
        "rate: pacing · 3 requests waiting"
    )
    assert str(RateHeadroom(limit=1, remaining=1)) == "rate ok"
    # A catch-up uses a route's 60 a minute: the count falling is the pace, not a warning.
    assert str(RateHeadroom(limit=60, remaining=8)) == "rate ok"
    # "queued" is the outbox's word for a text: requests held up are "waiting".
    assert str(RateHeadroom(limit=60, remaining=8, waiting=1)) == "rate: pacing · 1 request waiting"


async def test_the_poll_waiting_for_its_next_second_is_not_counted() -> None:
    """Found by hand (--demo, idle): "rate: pacing · 1 queued" stayed on for good, because the
    poller's own next request waits for its second all the time. A background request waiting
    its turn is the pace; a person's request waiting, or background work held up for seconds,
    is worth saying."""
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    await scheduler.acquire("GET /messages", Priority.BACKGROUND)
    poll = asyncio.create_task(scheduler.acquire("GET /messages", Priority.BACKGROUND))
    await asyncio.sleep(0)
    assert scheduler.headroom().waiting == 0
    assert str(scheduler.headroom()) == "rate ok"
    await poll
    await scheduler.acquire("GET /contacts", Priority.INTERACTIVE)
    opening = asyncio.create_task(scheduler.acquire("GET /contacts", Priority.INTERACTIVE))
    await asyncio.sleep(0)
    assert str(scheduler.headroom()) == "rate: pacing · 1 request waiting"
    await opening
    scheduler.observe("GET /contacts", {"Retry-After": "1"}, 429)
    clock.now += 0.5
    sync = asyncio.create_task(scheduler.acquire("GET /contacts", Priority.BACKGROUND))
    await asyncio.sleep(0)
    assert scheduler.headroom().waiting == 0
    clock.now += 3.0  # still not started (the task has not run): held up for seconds
    assert scheduler.headroom().waiting == 1
    await sync
    assert scheduler.headroom().waiting == 0


async def test_client_never_causes_a_429_over_a_sync_of_many_pages() -> None:
    clock = FakeClock()
    server = StrictServer(clock)
    pages = 5

    def paged(request: httpx.Request) -> httpx.Response:
        response = server(request)
        if response.status_code != 200:
            return response
        page = int(request.url.params["page"])
        return httpx.Response(200, json=page_json(m.Contact, page=page, total_pages=pages))

    client = MobinitiClient(TOKEN, BASE, transport=Script(handler=paged).transport, clock=clock)
    async with client:
        items = [c async for c in client.paginate(client.list_contacts,
                                                  priority=Priority.BACKGROUND)]
    assert len(items) == pages and server.too_many == 0
    assert items[0] == m.Contact.model_validate(SAMPLES[m.Contact])


async def test_a_reply_arriving_mid_sync_waits_for_at_most_one_poll() -> None:
    clock = FakeClock()
    server = StrictServer(clock)
    client = MobinitiClient(TOKEN, BASE, transport=httpx.MockTransport(server), clock=clock)
    async with client:
        background = [
            asyncio.create_task(client.list_contacts(page=i, priority=Priority.BACKGROUND))
            for i in range(1, 31)
        ]
        while len(server.starts) < 10:
            await asyncio.sleep(0)
        arrived = len(server.starts)
        reply = asyncio.create_task(client.list_contacts(page=999))
        await asyncio.wait_for(asyncio.gather(*background, reply), timeout=10)
    order = [page for _, page in server.starts]
    assert order.index("999") <= arrived + 1
    assert server.too_many == 0


class SharedBudgetServer:
    """A server whose 1 request/second is shared by every route, and says so in its 429s."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.last = float("-inf")
        self.ok = 0
        self.too_many = 0

    def answer(self) -> tuple[int, dict[str, str]]:
        now = self.clock.monotonic()
        if now - self.last < 1.0:
            self.too_many += 1
            return 429, {"Retry-After": "1", "X-RateLimit-Remaining": "0",
                         "X-RateLimit-Scope": "account"}
        self.last = now
        self.ok += 1
        return 200, {"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "30"}


async def test_a_429_pauses_its_own_route_only_for_as_long_as_told() -> None:
    # The seed's limit is per route: one route refused (a proxy's burst, a chaos storm) must
    # not slow the replies and lookups on the others.
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    await scheduler.acquire("GET /messages")
    await scheduler.acquire("POST /message")
    clock.now += 5  # both routes kept their pace
    await scheduler.acquire("GET /messages")
    scheduler.observe("GET /messages", {"Retry-After": "3"}, 429)
    assert scheduler.shared_gap == 0.0
    start = clock.now
    await scheduler.acquire("POST /message")
    await scheduler.acquire("POST /message")
    assert clock.now - start == pytest.approx(scheduler.spacing)  # its own pace, nothing more
    start = clock.now
    await scheduler.acquire("GET /messages")
    assert clock.now - start >= 3.0 - scheduler.spacing  # the refused route waited as told


async def test_a_429_the_server_says_is_account_wide_slows_every_route_then_recovers() -> None:
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    await scheduler.acquire("GET /messages")
    await scheduler.acquire("GET /contacts")
    clock.now += 5
    await scheduler.acquire("GET /messages")
    scheduler.observe("GET /messages", {"Retry-After": "3", "X-RateLimit-Scope": "account"}, 429)
    assert scheduler.shared_gap == pytest.approx(scheduler.spacing)
    # The other route waits for the Retry-After too: the budget is shared.
    start = clock.now
    await scheduler.acquire("GET /contacts")
    assert clock.now - start == pytest.approx(3.0)
    # ...and a start on any route now keeps its distance from the last one.
    start = clock.now
    await scheduler.acquire("GET /messages")
    assert clock.now - start == pytest.approx(scheduler.spacing)
    clock.now += 31  # calm: the routes are independent again
    assert scheduler.shared_gap == 0.0
    start = clock.now
    await scheduler.acquire("GET /contacts")
    await scheduler.acquire("GET /messages")
    assert clock.now == start


async def test_a_route_refused_again_and_again_keeps_waiting_as_told_and_alone() -> None:
    # A burst of 429s (a proxy's, or the sandbox's chaos storms) may hit the one busy route
    # many times in a row: it waits each Retry-After, and the other routes never slow down.
    clock = FakeClock()
    scheduler = RateScheduler(clock=clock)
    for _ in range(8):
        start = clock.now
        await scheduler.acquire("GET /messages")
        assert clock.now - start <= 2.0 + 1e-9
        scheduler.observe("GET /messages", {"Retry-After": "2"}, 429)
    assert scheduler.shared_gap == 0.0
    start = clock.now
    await scheduler.acquire("POST /message")
    assert clock.now == start


class VirtualClock:
    """Time that moves to the next sleeper's wake-up once every task is waiting (like a real
    loop, without the wait): concurrent sleepers overlap instead of adding up."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + max(0.0, seconds), next(self._order), future))
        await future

    async def run_until(self, end: float) -> None:
        while self.now < end:
            for _ in range(50):  # let every runnable task reach its next wait
                await asyncio.sleep(0)
            if not self._sleepers:
                return
            self._sleepers.sort()
            wake, _, future = self._sleepers.pop(0)
            self.now = max(self.now, wake)
            future.set_result(None)


async def test_a_shared_budget_never_turns_into_a_storm_of_429s() -> None:
    clock = VirtualClock()
    scheduler = RateScheduler(clock=clock)
    server = SharedBudgetServer(clock)  # type: ignore[arg-type]
    end = clock.now + 300

    async def poll(route: str) -> None:
        while True:
            async with scheduler.slot(route, Priority.BACKGROUND):
                status, headers = server.answer()
            scheduler.observe(route, headers, status)

    polls = [asyncio.create_task(poll(f"GET /r{i}")) for i in range(4)]
    await clock.run_until(end)
    for task in polls:
        task.cancel()
    await asyncio.gather(*polls, return_exceptions=True)
    # Four routes at their own 1/s would be refused three times in four; slowing every route
    # keeps the refusals rare while the work goes on.
    # (Each route at its own 1 s pace: 286 answered, 858 refused; each waiting out its own
    # Retry-After: 598 refused. With the shared gap the server asked for: 10 refused.)
    assert server.too_many <= server.ok * 0.1, (server.too_many, server.ok)
    assert server.ok >= 250  # and the shared budget is still used, not left idle
