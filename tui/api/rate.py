"""The per-route rate scheduler: 1 request/second per route, interactive before background.

Seed 002: "All requests to the API are rate limited to 1 request per second for each route",
with ``X-RateLimit-Limit``/``X-RateLimit-Remaining`` on every response and 429 when exceeded.
Each route (``"GET /contacts/{id}"``) has its own spacing, at most one request in flight, and
two queues; a waiter only ever sleeps until a known time or waits for a release (no polling).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from tui.api.limits import RATE_LIMIT_HEADER_LIMIT, REQUESTS_PER_SECOND_PER_ROUTE

log = logging.getLogger("smsdesk.api")

# A bogus Retry-After must not freeze a route for a day; ten minutes is plenty for any real one.
MAX_RETRY_AFTER = 600.0
# How long to pause a route after a 429 that did not say how long (one spacing is too eager).
DEFAULT_429_PAUSE = 2.0
# Starts are spaced a little more than the limit: the server counts arrivals, and one request
# can spend longer on the way than the next one.
SPACING_MARGIN = 0.05
# X-RateLimit-Remaining readings older than this no longer describe the account.
HEADROOM_MEMORY = 60.0
# A 429 is about its own route (the seed's limit is per route): that route waits Retry-After,
# the others go on. Only when the server says its limit is the account's — one of these values
# in ``X-RateLimit-Scope`` — does every start, on any route, keep a common gap (one spacing,
# doubled per further such 429 up to this many spacings)...
SCOPE_HEADER = "X-RateLimit-Scope"
ACCOUNT_SCOPES = frozenset({"account", "global", "user", "token"})
MAX_SHARED_GAP = 16.0
# ...which halves after each this many calm seconds, until the routes are independent again.
RECOVERY_SECONDS = 30.0


class Priority(enum.IntEnum):
    INTERACTIVE = 0  # a person is waiting: reply being sent, screen being opened
    BACKGROUND = 1  # polling, sync


class Clock(Protocol):
    """Monotonic time and sleeping; a fake one in tests advances time on ``sleep``."""

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return int(raw.strip())
    except ValueError:
        return None


# A pause shorter than this is the scheduler keeping the pace; the status bar does not say it.
NOTABLE_PAUSE = 2.0


@dataclass(frozen=True)
class RateHeadroom:
    """What the status bar shows about the rate limit."""

    limit: int | None = None  # X-RateLimit-Limit last seen
    remaining: int | None = None  # lowest X-RateLimit-Remaining seen recently (any route)
    waiting: int = 0  # requests held up by the limit right now (not the background's own turn)
    paused_for: float = 0.0  # longest remaining pause of a route (429 / budget used up)

    def __str__(self) -> str:
        # With 1 request/second per route, "0 left" after each request and the poller waiting
        # for its next second are the normal pace, not news: only a real pause (a 429's
        # Retry-After) or requests actually held up are worth a word. No per-minute count
        # ("8/60" falling read like a quota running out, issue #11 item 17), and never the
        # word "queued", which in the status bar means a text in the outbox.
        if self.paused_for >= NOTABLE_PAUSE:
            return f"rate paused {self.paused_for:.0f}s"
        if self.waiting:
            noun = "request" if self.waiting == 1 else "requests"
            return f"rate: pacing · {self.waiting} {noun} waiting"
        return "rate ok"


@dataclass(eq=False)
class _Ticket:
    priority: Priority
    since: float = float("inf")  # when it joined the queue (monotonic)


@dataclass
class _Route:
    queues: tuple[deque[_Ticket], deque[_Ticket]] = field(
        default_factory=lambda: (deque(), deque())
    )
    in_flight: bool = False
    next_start: float = float("-inf")
    blocked_until: float = float("-inf")
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    remaining: int | None = None
    remaining_at: float = float("-inf")
    last_start: float = float("-inf")

    def head(self) -> _Ticket | None:
        for queue in self.queues:
            if queue:
                return queue[0]
        return None

    def notify(self) -> None:
        # Waking everyone then handing out a fresh event: waiters re-check, nobody polls.
        self.changed.set()
        self.changed = asyncio.Event()


class RateScheduler:
    """Token bucket per route (capacity 1), two priority queues per route.

    A 429 pauses its own route for Retry-After: the seed limits each route, and one route's
    refusal (or a proxy's burst of 429s) says nothing about the others. Only when the server
    says its budget is the account's (``X-RateLimit-Scope: account``) does a 429 pause *every*
    route, then space every start on any route by ``shared_gap``, which recovers step by step.
    Either way each refused request waits as told before it is tried again: never a storm.
    """

    def __init__(
        self,
        *,
        per_second: float = REQUESTS_PER_SECOND_PER_ROUTE,
        clock: Clock | None = None,
        margin: float = SPACING_MARGIN,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        if margin < 0:
            raise ValueError("margin cannot be negative")
        self.spacing = 1.0 / per_second + margin
        self.clock: Clock = clock or SystemClock()
        self._routes: dict[str, _Route] = {}
        self._limit: int | None = None
        self._shared_gap = 0.0
        self._calm_since = float("-inf")
        self._escalated_at = float("-inf")
        self._all_blocked_until = float("-inf")
        self._any_next_start = float("-inf")

    def _route(self, route: str) -> _Route:
        state = self._routes.get(route)
        if state is None:
            state = self._routes[route] = _Route()
        return state

    async def acquire(self, route: str, priority: Priority = Priority.INTERACTIVE) -> None:
        """Wait for this route's next start slot (spacing, pauses and priority respected)."""
        await self._wait_turn(route, priority, hold=False)

    @contextlib.asynccontextmanager
    async def slot(
        self, route: str, priority: Priority = Priority.INTERACTIVE
    ) -> AsyncIterator[None]:
        """Acquire and keep the route's one in-flight place until the block ends."""
        await self._wait_turn(route, priority, hold=True)
        try:
            yield
        finally:
            self.release(route)

    def release(self, route: str) -> None:
        """Free the route's in-flight place (``slot`` does this for you)."""
        state = self._route(route)
        if state.in_flight:
            state.in_flight = False
            state.notify()

    async def _wait_turn(self, route: str, priority: Priority, *, hold: bool) -> None:
        state = self._route(route)
        ticket = _Ticket(Priority(priority), self.clock.monotonic())
        state.queues[ticket.priority].append(ticket)
        try:
            while True:
                event = state.changed
                if state.head() is not ticket or state.in_flight:
                    await event.wait()
                    continue
                now = self.clock.monotonic()
                ready = max(state.next_start, state.blocked_until, self._all_blocked_until,
                            self._any_next_start if self.shared_gap else float("-inf"))
                if now >= ready:
                    break
                await self.clock.sleep(ready - now)
        except BaseException:
            state.queues[ticket.priority].remove(ticket)
            state.notify()
            raise
        state.queues[ticket.priority].popleft()
        now = self.clock.monotonic()
        state.last_start = now
        state.next_start = now + self.spacing
        self._any_next_start = now + self.shared_gap
        state.in_flight = hold
        state.notify()

    def observe(self, route: str, headers: Mapping[str, str], status: int) -> None:
        """Learn from a response: the budget headers, and a pause after 429 / Retry-After."""
        state = self._route(route)
        now = self.clock.monotonic()
        limit = _int_header(headers, "X-RateLimit-Limit")
        if limit is not None and limit > 0:
            self._limit = limit
        remaining = _int_header(headers, "X-RateLimit-Remaining")
        if remaining is not None:
            state.remaining, state.remaining_at = remaining, now
        retry_after = parse_retry_after(headers.get("Retry-After"))
        pause: float | None = None
        if retry_after is not None and (status == 429 or status == 503 or remaining == 0):
            pause = retry_after
        elif status == 429:
            pause = DEFAULT_429_PAUSE
        elif remaining is not None and remaining <= 0:
            # The budget is spent and the server did not say until when: one refill period
            # of the per-minute budget is the earliest another request can be accepted.
            pause = 60.0 / (limit or self._limit or RATE_LIMIT_HEADER_LIMIT)
        if pause is not None:
            until = now + max(pause, self.spacing)
            if until > state.blocked_until:
                state.blocked_until = until
                log.info("rate: pausing %s for %.1fs (HTTP %s)", route, pause, status)
            state.notify()
        # Requests already on their way when the server first said so are refused too: no news.
        scope = (headers.get(SCOPE_HEADER) or "").strip().lower()
        if status == 429 and scope in ACCOUNT_SCOPES and state.last_start >= self._escalated_at:
            self._shared_budget_spent(now, pause or DEFAULT_429_PAUSE)

    @property
    def shared_gap(self) -> float:
        """Seconds kept between any two starts, on any route (0: routes are independent)."""
        now = self.clock.monotonic()
        while self._shared_gap and now - self._calm_since >= RECOVERY_SECONDS:
            self._calm_since += RECOVERY_SECONDS
            self._shared_gap /= 2.0
            if self._shared_gap < self.spacing:
                self._shared_gap = 0.0
        return self._shared_gap

    def _shared_budget_spent(self, now: float, pause: float) -> None:
        gap = self.shared_gap
        self._shared_gap = min(self.spacing * MAX_SHARED_GAP, gap * 2 if gap else self.spacing)
        self._calm_since = self._escalated_at = now
        self._all_blocked_until = max(self._all_blocked_until, now + max(pause, self.spacing))
        log.info("rate: the account's budget is shared by every route; every route waits "
                 "%.1fs, then starts %.1fs apart", pause, self._shared_gap)
        for other in self._routes.values():
            other.notify()

    def paused_for(self, route: str) -> float:
        """Seconds until the route may be used again after a 429/Retry-After (0 if not paused)."""
        state = self._routes.get(route)
        blocked = max(state.blocked_until if state else float("-inf"), self._all_blocked_until)
        return max(0.0, blocked - self.clock.monotonic())

    def headroom(self) -> RateHeadroom:
        now = self.clock.monotonic()
        recent = [
            s.remaining
            for s in self._routes.values()
            if s.remaining is not None and now - s.remaining_at <= HEADROOM_MEMORY
        ]
        # A person's request waiting at all is held up; background work (the poll, a sync)
        # waiting for its route's next second is the pace, until it waits notably long.
        waiting = sum(
            1 for s in self._routes.values() for q in s.queues for t in q
            if t.priority is Priority.INTERACTIVE or now - t.since >= NOTABLE_PAUSE
        )
        paused = max((max(s.blocked_until, self._all_blocked_until) - now
                      for s in self._routes.values()), default=0.0)
        return RateHeadroom(
            limit=self._limit,
            remaining=min(recent) if recent else None,
            waiting=waiting,
            paused_for=max(0.0, paused),
        )
