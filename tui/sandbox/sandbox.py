"""``create_app(config) -> Sandbox``: the fake Mobiniti server, its state and background life."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp

from tui.api import models as m
from tui.sandbox import demo, views
from tui.sandbox.auth import DEMO_TOKEN, TokenBook
from tui.sandbox.chaos import Chaos
from tui.sandbox.config import SandboxConfig
from tui.sandbox.guard import BodyLimit
from tui.sandbox.handlers import HANDLERS
from tui.sandbox.providers.protexting import ProTexting
from tui.sandbox.providers.skycore import Skycore
from tui.sandbox.ratelimit import RateLimiter
from tui.sandbox.records import IdMaker
from tui.sandbox.routing import Api, RequestIds, not_found_handler
from tui.sandbox.state import SandboxState
from tui.sandbox.stats import stats_route
from tui.sandbox.traffic import Traffic
from tui.sandbox.webhooks import WebhookEmitter

log = logging.getLogger(__name__)

API_PREFIX = "/v1"
PROTEXTING_PREFIX = "/protexting"
SKYCORE_PREFIX = "/skycore"


class Sandbox:
    """One fake account. ``asgi`` is the app; ``state`` is everything in it, for tests to read."""

    def __init__(self, config: SandboxConfig, *,
                 monotonic: Callable[[], float] = time.monotonic,
                 webhook_transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self.token = DEMO_TOKEN
        self.state = SandboxState(now=config.clock, ids=IdMaker(config.seed),
                                  short_code=config.short_code,
                                  keep_metadata=config.keep_metadata,
                                  refuse_unready=config.unready_texts == "refuse",
                                  api_contacts_pending=config.api_contacts_pending)
        demo.populate(self.state, seed=config.seed, contacts=config.contacts)
        self.state.ids.start_run()  # the seed fixes the demo data, not what this run adds
        self.tokens = TokenBook()
        self.limiter = RateLimiter(enabled=config.rate_limit, monotonic=monotonic)
        self.chaos = Chaos(config.chaos, config.clock)
        # webhooks listen first: the inbound text is reported before the STOP it causes
        self.webhooks = WebhookEmitter(self.state, config, transport=webhook_transport,
                                       monotonic=monotonic)
        self.traffic = Traffic(self.state, config)
        self.protexting = ProTexting(config.protexting_token, config.clock,
                                     rate_limit=config.rate_limit, monotonic=monotonic)
        self.skycore = Skycore(config.skycore_api_key)
        api = Api(self.state, self.tokens, self.limiter, HANDLERS, shape=config.shape)
        starlette = Starlette(
            routes=[Mount(API_PREFIX, routes=api.routes()),
                    Mount(PROTEXTING_PREFIX, routes=self.protexting.routes()),
                    Mount(SKYCORE_PREFIX, routes=self.skycore.routes()),
                    stats_route(self.chaos, self.state)],
            exception_handlers={404: not_found_handler, 405: not_found_handler},
        )
        # The body limit sits outside everything else: nothing reads past it, chaos included.
        self.asgi: ASGIApp = RequestIds(BodyLimit(self.chaos.wrap(starlette)), clock=config.clock)
        self._tasks: list[asyncio.Task[None]] = []

    # --- tokens ------------------------------------------------------------------------

    def make_token(self, scopes: Iterable[str]) -> str:
        """A token with only these scopes (for 403 tests)."""
        return self.tokens.mint(scopes)

    # --- in-process use ----------------------------------------------------------------

    def transport(self) -> httpx.ASGITransport:
        return httpx.ASGITransport(app=self.asgi)

    def http(self, token: str | None = DEMO_TOKEN, base_url: str = "http://sandbox/v1"
             ) -> httpx.AsyncClient:
        """A raw httpx client on this sandbox (the demo token unless told otherwise)."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return httpx.AsyncClient(transport=self.transport(), base_url=base_url, headers=headers)

    # --- simulation steps (deterministic; the background loop calls the same ones) -----

    def simulate_inbound(self, phone: str | None = None, text: str | None = None) -> m.Message:
        record = self.traffic.simulate_inbound(phone, text)
        return views.message(self.state, record)

    def deliver_pending(self, now: datetime | None = None) -> list[m.Message]:
        return [views.message(self.state, r, ("receipt",))
                for r in self.traffic.deliver_pending(now)]

    def run_due_scheduled(self, now: datetime | None = None) -> list[m.ScheduledMessage]:
        return [views.scheduled(r) for r in self.traffic.run_due_scheduled(now)]

    def step(self, now: datetime | None = None) -> None:
        """Everything due by ``now``: receipts, scheduled texts, campaigns, replies, inbound."""
        self.traffic.step(now)

    # --- background life ---------------------------------------------------------------

    async def start(self) -> None:
        """Start the background loop (and the webhook sender). Safe to call twice."""
        if self._tasks:
            return
        loop = asyncio.get_running_loop()
        self._tasks.append(loop.create_task(self._tick_forever(), name="sandbox-traffic"))
        if self.webhooks.urls:
            self._tasks.append(loop.create_task(self.webhooks.run(), name="sandbox-webhooks"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        await self.webhooks.aclose()

    async def _tick_forever(self) -> None:
        while True:
            try:
                self.traffic.step()
            except Exception:  # one bad step must not end the demo's traffic
                log.exception("sandbox traffic step failed")
            await asyncio.sleep(self.config.tick)


def create_app(config: SandboxConfig | None = None, **kwargs: object) -> Sandbox:
    """Build a sandbox (demo data included). ``kwargs`` go to ``Sandbox`` (e.g. ``monotonic``)."""
    return Sandbox(config or SandboxConfig(), **kwargs)  # type: ignore[arg-type]
