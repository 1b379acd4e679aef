"""The request core: one httpx client, Bearer auth, the rate scheduler, retries and status.

Retry rules (docs/api-contract.md, "Retries"): GET/PUT/PATCH/DELETE are retried with backoff and
jitter on transport errors, 5xx and 429. A POST is retried only when it provably did not reach
the server (a connect error) or the server refused it unapplied (429); any other failure of a
POST is raised, marked ``maybe_sent``, so the outbox reconciles instead of texting twice.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from tui import __version__
from tui.api.errors import ApiError, RateLimited, ServerError, TransportError, error_from_response
from tui.api.rate import Clock, Priority, RateScheduler, SystemClock
from tui.api.reading import (
    BACKGROUND_DEADLINE,
    INTERACTIVE_DEADLINE,
    MAX_ANSWER_BYTES,
    AnswerTooLarge,
    read_capped,
)
from tui.api.reasons import (
    CONNECTION_BROKE,
    TOO_LARGE,
    TOO_SLOW,
    UNREACHABLE,
    describe_answer,
    reason_of,
)
from tui.api.routes import Endpoint
from tui.api.server_clock import ServerClock
from tui.logs import remember_secret

log = logging.getLogger("smsdesk.api")

IDEMPOTENT = frozenset({"GET", "PUT", "PATCH", "DELETE"})
# httpx errors raised before a single byte of the request left this machine.
_NEVER_LEFT = (
    httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol
)

QueryParams = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class ConnectionState:
    """What the status bar shows about the connection."""

    kind: Literal["online", "retrying", "offline"]
    retry_in: float | None = None  # seconds until the next attempt, when retrying
    detail: str = ""

    def __str__(self) -> str:
        if self.kind == "retrying" and self.retry_in is not None:
            return f"retrying in {self.retry_in:.0f} s"
        return self.kind


StatusSink = Callable[[ConnectionState], None]


class Transport:
    """Sends one endpoint request, waiting for the rate limit and retrying where safe."""

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None,
        scheduler: RateScheduler,
        timeout: float,
        max_retries: int,
        clock: Clock | None,
        on_status: StatusSink,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        rng: random.Random | None = None,
        deadline: float = INTERACTIVE_DEADLINE,
        background_deadline: float = BACKGROUND_DEADLINE,
    ) -> None:
        if not token or not token.strip():
            raise ValueError("An access token is required (smsdesk config set token -).")
        if max_retries < 0:
            raise ValueError("max_retries cannot be negative")
        self._token = token.strip()
        remember_secret(self._token)  # masked in every log line and traceback
        self.base_url = base_url.rstrip("/")
        self.scheduler = scheduler
        self.clock: Clock = clock or scheduler.clock or SystemClock()
        self.max_retries = max_retries
        self.deadline = deadline
        self.max_answer_bytes = MAX_ANSWER_BYTES
        self.background_deadline = background_deadline
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._rng = rng or random.Random()
        self._on_status = on_status
        self._last_state: ConnectionState | None = None
        # The server's time from its Date headers (reconciliation windows; see server_clock).
        self.server_clock = ServerClock(self.clock.monotonic)
        self.http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={
                "Authorization": f"Bearer {self._token}",
                "Accept": "application/json",
                "User-Agent": f"smsdesk/{__version__}",
            },
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        await self.http.aclose()

    def redact(self, text: str) -> str:
        return text.replace(self._token, "***")

    def _status(self, state: ConnectionState) -> None:
        if state == self._last_state and state.kind != "retrying":
            return
        self._last_state = state
        try:
            self._on_status(state)
        except Exception:  # the status bar must never break a request
            log.exception("on_status callback failed")

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        ceiling = min(self.backoff_cap, self.backoff_base * 2.0 ** attempt)
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    async def send(
        self,
        endpoint: Endpoint,
        path: str,
        *,
        params: QueryParams = (),
        json_body: Any = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> httpx.Response:
        """One logical request; returns a 2xx response or raises an ``ApiError``."""
        route = endpoint.route
        attempt = 0
        while True:
            error, retryable = await self._attempt(endpoint, path, params, json_body, priority)
            if isinstance(error, httpx.Response):
                return error
            if not retryable or attempt >= self.max_retries:
                # One 5xx to a POST is not "offline"; unreachable, or 5xx after retries, is.
                if isinstance(error, TransportError) or (
                    isinstance(error, ServerError) and attempt > 0
                ):
                    self._status(ConnectionState("offline", detail=reason_of(error)))
                raise error
            if isinstance(error, RateLimited):
                # The scheduler already pauses the route for Retry-After; wait there, in turn.
                delay = 0.0
                shown = self.scheduler.paused_for(route)
            else:
                delay = shown = self.backoff(attempt)
            attempt += 1
            log.warning(
                "%s: %s; retry %d/%d in %.1fs", route, type(error).__name__, attempt,
                self.max_retries, shown,
            )
            self._status(ConnectionState("retrying", retry_in=shown, detail=reason_of(error)))
            if delay > 0:
                await self.clock.sleep(delay)

    async def _attempt(
        self,
        endpoint: Endpoint,
        path: str,
        params: QueryParams,
        json_body: Any,
        priority: Priority,
    ) -> tuple[ApiError | httpx.Response, bool]:
        route = endpoint.route
        method = endpoint.method
        loop = asyncio.get_running_loop()
        async with self.scheduler.slot(route, priority):
            started = self.clock.monotonic()
            # One deadline for the whole request, headers and body (a trickle never ends).
            deadline = loop.time() + self._deadline(priority)
            request = self.http.build_request(
                method, path.lstrip("/"), params=list(params), json=json_body
            )
            try:
                async with asyncio.timeout_at(deadline):
                    response = await self.http.send(request, stream=True)
            except (httpx.HTTPError, TimeoutError) as exc:
                return self._failed(exc, method, path, route, self._deadline(priority))
            self.scheduler.observe(route, response.headers, response.status_code)
            self.server_clock.observe(response.headers.get("Date"))
        # The route is free again while the body arrives: a slow page of the poller's never
        # keeps a reply (or the outbox's lookup) waiting behind it.
        try:
            async with asyncio.timeout_at(deadline):
                body = await read_capped(response, self.max_answer_bytes)
            response._content = body  # what aread() would have kept, for .content/.json()
        except (httpx.HTTPError, TimeoutError, AnswerTooLarge) as exc:
            return self._failed(exc, method, path, route, self._deadline(priority))
        finally:
            await response.aclose()
        request_id = response.headers.get("X-Request-Id")
        log.debug(
            "%s %s -> %s in %.2fs [request id %s]", method, path, response.status_code,
            self.clock.monotonic() - started, request_id,
        )
        status = response.status_code
        if 200 <= status < 300:
            self._status(ConnectionState("online"))
            return response, False
        error = error_from_response(
            status, body, response.headers, route=route, secret=self._token,
            reason=response.reason_phrase,
        )
        if not _is_json(body):
            error.reason = describe_answer(status, response.headers.get("Content-Type"), body)
        log.info("%s %s -> HTTP %s %s [request id %s]", method, path, status,
                 type(error).__name__, request_id)
        if status < 500:
            self._status(ConnectionState("online"))
        if isinstance(error, RateLimited):
            return error, True  # a 429 means the server did not apply the request
        if isinstance(error, ServerError):
            return error, method in IDEMPOTENT
        return error, False

    def _deadline(self, priority: Priority) -> float:
        return self.deadline if priority == Priority.INTERACTIVE else min(
            self.deadline, self.background_deadline)

    def _failed(self, exc: BaseException, method: str, path: str, route: str, allowed: float
                ) -> tuple[ApiError, bool]:
        """A request that got no complete answer: why, and whether a retry is safe."""
        never_left = isinstance(exc, _NEVER_LEFT)
        log.info("%s %s failed: %s", method, path, type(exc).__name__)
        if isinstance(exc, TimeoutError):
            message = ("The Mobiniti server answered too slowly (no complete answer within "
                       f"{allowed:.0f} s); the request may have reached the server")
            reason = TOO_SLOW
        elif isinstance(exc, AnswerTooLarge):
            message = (f"The Mobiniti server's answer was larger than {self.max_answer_bytes:,} "
                       "bytes, so smsdesk stopped reading it")
            reason = TOO_LARGE
        else:
            assert isinstance(exc, httpx.HTTPError)
            message = self._transport_message(exc, never_left)
            reason = (TOO_SLOW if isinstance(exc, httpx.TimeoutException) and not never_left
                      else UNREACHABLE if never_left else CONNECTION_BROKE)
        failure = TransportError(message, route=route, maybe_sent=not never_left)
        failure.reason = reason
        return failure, never_left or method in IDEMPOTENT

    def _transport_message(self, exc: httpx.HTTPError, never_left: bool) -> str:
        kind = {
            httpx.ConnectTimeout: "Connecting to the Mobiniti server timed out",
            httpx.ConnectError: "Could not connect to the Mobiniti server",
            httpx.ReadTimeout: "The Mobiniti server did not answer in time",
            httpx.WriteTimeout: "Sending the request to the Mobiniti server timed out",
            httpx.PoolTimeout: "Too many requests were waiting for a connection",
            httpx.RemoteProtocolError: "The connection to the Mobiniti server broke",
        }
        text = next(
            (t for cls, t in kind.items() if isinstance(exc, cls)),
            "The connection to the Mobiniti server failed",
        )
        detail = self.redact(str(exc)).strip()
        message = f"{text} ({detail})" if detail else text
        if not never_left:
            message += "; the request may have reached the server"
        return message


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True
