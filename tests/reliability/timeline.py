"""The fault run's timeline: every /v1 request as the server saw it (when it came, when it was
answered, the fault it got, the Retry-After it carried), and what filled each long gap between
two sends: the server telling the send route to wait, send requests in flight, or neither.

Used by tests/reliability/harness.py; ``--timeline FILE`` there writes the raw record.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.sandbox.chaos import FAULT_SCOPE_KEY

SEND_ROUTE = ("POST", "/v1/message")


@dataclass
class Request:
    """One /v1 request as the server saw it (monotonic seconds)."""

    arrived: float
    method: str
    path: str
    answered: float | None = None  # the response's status line went out
    ended: float | None = None  # the last byte went out, or the connection was cut
    status: int | None = None
    retry_after: float | None = None
    fault: str | None = None


class Timeline:
    """ASGI middleware around the sandbox that notes every /v1 request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.requests: list[Request] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        seen = Request(time.monotonic(), scope["method"], scope["path"])
        self.requests.append(seen)

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.answered, seen.status = time.monotonic(), message["status"]
                after = dict(message.get("headers", [])).get(b"retry-after")
                seen.retry_after = float(after) if after else None
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                seen.ended = time.monotonic()
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            seen.fault = scope.get(FAULT_SCOPE_KEY)
            if seen.ended is None:
                seen.ended = time.monotonic()

    def on(self, route: tuple[str, str] = SEND_ROUTE) -> list[Request]:
        return [r for r in self.requests if (r.method, r.path) == route]

    def told_to_wait(self, route: tuple[str, str] = SEND_ROUTE) -> list[tuple[float, float]]:
        """The spans the server told ``route`` to wait: from an answer carrying Retry-After
        that the client honours (429, 503) to the end of that wait."""
        return [(r.answered, r.answered + (r.retry_after or 0.0)) for r in self.on(route)
                if r.status in (429, 503) and r.retry_after and r.answered is not None]


def covered(spans: Iterable[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of [start, end] inside any of ``spans`` (overlaps counted once)."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in spans if b > start and a < end)
    total, reach = 0.0, start
    for a, b in clipped:
        a = max(a, reach)
        if b > a:
            total, reach = total + b - a, b
    return total


def spans_with_any(changes: list[tuple[float, str, str]], state: str, end: float
                   ) -> list[tuple[float, float]]:
    """The stretches in which at least one item was in ``state``, from (time, key, new state)
    changes in time order; a stretch still open is closed at ``end``."""
    inside: set[str] = set()
    spans: list[tuple[float, float]] = []
    since = 0.0
    for when, key, new in changes:
        was = bool(inside)
        (inside.add if new == state else inside.discard)(key)
        if inside and not was:
            since = when
        elif was and not inside:
            spans.append((since, when))
    if inside:
        spans.append((since, end))
    return spans


def intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]
              ) -> list[tuple[float, float]]:
    return [(max(x1, x2), min(y1, y2)) for x1, y1 in a for x2, y2 in b
            if min(y1, y2) > max(x1, x2)]


@dataclass
class Gap:
    """One gap between two sends, split by what filled it."""

    start: float  # seconds since the run began
    seconds: float
    told_to_wait: float  # the server's Retry-After (429, 503) on the send route
    posting: float  # a send request in flight, outside the above
    idle: float  # neither: no send request on its way and no wait ordered (ours)
    send_requests: list[str] = field(default_factory=list)  # "+1.2s 429 storm (3s)", ...
    longest_idle: float = 0.0
    longest_idle_at: float = 0.0  # seconds into the gap


def explain(sends: list[float], timeline: Timeline, *, began: float, over: float = 10.0,
            route: tuple[str, str] = SEND_ROUTE) -> list[Gap]:
    """Every gap between consecutive sends longer than ``over`` seconds, explained."""
    told = timeline.told_to_wait(route)
    on_route = timeline.on(route)
    flights = [(r.arrived, r.ended or r.arrived) for r in on_route]
    gaps = []
    for a, b in itertools.pairwise(sends):
        if b - a <= over:
            continue
        waited = covered(told, a, b)
        busy = covered(told + flights, a, b)
        inside = [r for r in on_route if a <= r.arrived < b]
        free = _uncovered(told + flights, a, b)
        longest = max(free, key=lambda s: s[1] - s[0], default=(a, a))
        gaps.append(Gap(
            start=round(a - began, 2), seconds=round(b - a, 2), told_to_wait=round(waited, 2),
            posting=round(busy - waited, 2), idle=round(b - a - busy, 2),
            send_requests=[_describe(r, a) for r in inside],
            longest_idle=round(longest[1] - longest[0], 2),
            longest_idle_at=round(longest[0] - a, 2)))
    return gaps


def _uncovered(spans: list[tuple[float, float]], start: float, end: float
               ) -> list[tuple[float, float]]:
    free, reach = [], start
    for a, b in sorted((max(a, start), min(b, end)) for a, b in spans if b > start and a < end):
        if a > reach:
            free.append((reach, a))
        reach = max(reach, b)
    if end > reach:
        free.append((reach, end))
    return free


def _describe(r: Request, since: float) -> str:
    took = (r.ended or r.arrived) - r.arrived
    told = f" Retry-After {r.retry_after:g}s" if r.retry_after is not None else ""
    return (f"+{r.arrived - since:.2f}s {r.status} {r.fault or 'ok'} "
            f"({took:.2f}s){told}")


def write(path: Path, timeline: Timeline, sends: list[float], began: float,
          logs: list[tuple[float, str]]) -> None:
    """The raw record, one JSON object a line: requests, sends and the client's log."""
    with path.open("w") as out:
        for r in timeline.requests:
            row = asdict(r)
            for key in ("arrived", "answered", "ended"):
                if row[key] is not None:
                    row[key] = round(row[key] - began, 3)
            out.write(json.dumps({"request": row}) + "\n")
        for t in sends:
            out.write(json.dumps({"sent": round(t - began, 3)}) + "\n")
        for t, line in logs:
            out.write(json.dumps({"log": round(t - began, 3), "line": line}) + "\n")


class LogRecorder(logging.Handler):
    """Keeps the client's log lines with monotonic times (for ``write``)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((time.monotonic(), f"{record.name}: {record.getMessage()}"))
