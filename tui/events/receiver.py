"""The webhook receiver: a Starlette app that checks, caps, parses and stores provider events.

Order of checks: the secret (401), the content type (415), the size while the body streams in
(413), then parsing (400/422 with a reason and one log line). A good event is committed to the
store (``synchronous=FULL``) before the 200, de-duplicated by its key, so a provider's retry is
stored once. Nothing is kept in memory between requests: several workers or several receivers
can share one store (SQLite WAL, ``BEGIN IMMEDIATE``, busy timeout).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tui.events import PROVIDERS, BadPayload, Event, content_type_problem, parse
from tui.safe_text import for_log
from tui.store import Store, StoreError, open_store
from tui.store.events import NewEvent

log = logging.getLogger("smsdesk.webhooks")

SECRET_HEADER: Final = "X-Webhook-Secret"
SECRET_PARAM: Final = "secret"
DEFAULT_MAX_BODY: Final = 64 * 1024


class TooLarge(Exception):
    pass


@dataclass(frozen=True)
class ReceiverConfig:
    store_path: Path
    secret: str
    max_body: int = DEFAULT_MAX_BODY

    def __post_init__(self) -> None:
        if not self.secret:
            raise ValueError("a webhook receiver needs a secret")


def stored_form(event: Event) -> NewEvent:
    return NewEvent(provider=event.provider, kind=event.kind, dedupe_key=event.dedupe_key,
                    phone=event.phone, occurred_at=event.occurred_at, text=event.text,
                    status_code=event.code, meaning=event.meaning, raw=event.raw,
                    ids=event.ids, details=event.details)


class _StoreOnce:
    """This process's connection, opened on first use (no lifespan under ASGITransport)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self) -> Store:
        with self._lock:
            if self._store is None:
                store = open_store(self.path)
                with store.db.reading() as conn:
                    # A 200 tells the provider to forget the event: it must survive a power cut.
                    conn.execute("PRAGMA synchronous = FULL")
                self._store = store
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def secret_ok(request: Request, secret: str) -> bool:
    given = request.headers.get(SECRET_HEADER) or request.query_params.get(SECRET_PARAM) or ""
    return hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode("utf-8"))


async def read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _refuse(request: Request, status: int, reason: str, body: bytes = b"") -> JSONResponse:
    client = request.client.host if request.client else "?"
    snippet = body[:200].decode("utf-8", "replace")
    log.warning("webhook %s from %s refused (%d): %s%s", request.url.path, client, status,
                for_log(reason, limit=300), f"; body starts {for_log(snippet)!s}" if body else "")
    return JSONResponse({"error": reason}, status_code=status)


def create_receiver(config: ReceiverConfig) -> Starlette:
    """The ASGI app. Routes: /webhooks/{mobiniti,optit,skycore} and /webhooks/mobiniti/<kind>."""
    stores = _StoreOnce(config.store_path)

    async def receive(request: Request, provider: str) -> JSONResponse:
        webhook = request.path_params.get("webhook")
        if not secret_ok(request, config.secret):
            return _refuse(request, 401, "the webhook secret is missing or wrong")
        content_type = request.headers.get("content-type", "")
        problem = content_type_problem(provider, content_type)
        if problem:
            return _refuse(request, 415, problem)
        try:
            body = await read_capped(request, config.max_body)
        except TooLarge:
            return _refuse(request, 413, f"the body is larger than {config.max_body} bytes")
        except ClientDisconnect:
            return _refuse(request, 400, "the sender hung up before the body was complete")
        try:
            events = parse(provider, body, content_type, webhook=webhook)
        except BadPayload as bad:
            return _refuse(request, bad.status, bad.reason, body)
        try:
            store = stores.get()
            stored = await run_in_threadpool(store.add_events, [stored_form(e) for e in events])
        except (StoreError, sqlite3.Error) as exc:
            log.error("webhook %s not stored: %s", request.url.path, for_log(exc))
            # 503: the provider keeps the event and tries again later.
            return JSONResponse({"error": "the event store is unavailable; retry later"},
                                status_code=503)
        new = sum(1 for s in stored if s is not None)
        return JSONResponse({"stored": new, "duplicates": len(stored) - new})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Open (and migrate) the store before the first webhook, which should not wait for it;
        # a store that cannot be opened is reported per request (503), not a failed start.
        with contextlib.suppress(StoreError, sqlite3.Error):
            await run_in_threadpool(stores.get)
        yield
        stores.close()

    def endpoint(provider: str) -> Callable[[Request], Awaitable[JSONResponse]]:
        async def receive_from(request: Request) -> JSONResponse:
            return await receive(request, provider)

        return receive_from

    routes = [Route(f"/webhooks/{p}", endpoint(p), methods=["POST"]) for p in PROVIDERS]
    routes.append(Route("/webhooks/mobiniti/{webhook}", endpoint("mobiniti"), methods=["POST"]))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.stores = stores
    return app
