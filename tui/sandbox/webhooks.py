"""Mobiniti webhooks (seed 002 shapes) posted to a receiver with backoff, never blocking."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from tui.api.models import format_timestamp
from tui.sandbox.config import WEBHOOK_KINDS, SandboxConfig
from tui.sandbox.phones import digits
from tui.sandbox.records import ContactRecord, MessageRecord
from tui.sandbox.state import (
    BOUNCED,
    CONTACT_STATUS,
    INCOMING,
    RECEIPT,
    REJECTED,
    UNSUBSCRIBED,
    SandboxState,
)
from tui.sandbox.views import BOUNCE_CODES, receipt

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Webhook-Secret"
# Every webhook kind; the real service posts each to the URL set for it in its settings, and
# nothing says the kind but that URL (the sandbox sends no kind header either).
KINDS: Final = WEBHOOK_KINDS


def webhook_url_for(config: SandboxConfig, kind: str) -> str | None:
    """Where a kind is posted: its own URL, else ``<webhook_url>/<kind>``, else nowhere."""
    own = config.webhook_urls.get(kind)
    if own:
        return own
    if config.webhook_url:
        return f"{config.webhook_url.rstrip('/')}/{kind}"
    return None
MAX_PENDING: Final = 10_000


def _ts(value: Any) -> str | None:
    return format_timestamp(value) if value is not None else None


def _person(contact: ContactRecord) -> dict[str, Any]:
    return {"id": contact.id, "first_name": contact.first_name, "last_name": contact.last_name,
            "email": contact.email, "phone_number": contact.phone_number}


def inbound_payload(message: MessageRecord, contact: ContactRecord | None) -> dict[str, Any]:
    base: dict[str, Any] = (_person(contact) if contact else
                            {"id": message.id, "first_name": None, "last_name": None,
                             "email": None, "phone_number": message.phone_number})
    return {**base, "short_code": message.short_code, "message": message.message,
            "unsubscribed_at": _ts(contact.unsubscribed_at) if contact else None,
            "created_at": _ts(contact.created_at if contact else message.created_at),
            "updated_at": _ts(contact.updated_at if contact else message.updated_at),
            "received_at": _ts(message.created_at)}


def unsubscribe_payload(contact: ContactRecord, short_code: str) -> dict[str, Any]:
    return {**_person(contact), "to": short_code, "unsubscribed_at": _ts(contact.unsubscribed_at),
            "created_at": _ts(contact.created_at), "updated_at": _ts(contact.updated_at)}


def delivery_payload(message: MessageRecord, short_code: str) -> dict[str, Any]:
    found = receipt(message)
    code = message.receipt_code or ""
    recipient = digits(message.phone_number)
    national = recipient[1:] if message.phone_number.startswith("+1") else recipient
    return {
        "total_messages": 1,
        "statuses": [{"code": code, "status": found.status if found else "", "count": 1,
                      "recipients": [recipient], "success": bool(found and found.success),
                      "bounce": code in BOUNCE_CODES}],
        "messages": [{"id": message.id, "from": short_code, "message": message.message,
                      "phone_number": national,
                      # the seed shows [] for "no metadata" (a PHP empty array)
                      "metadata": dict(message.metadata) if message.metadata else []}],
    }


def status_payload(contact: ContactRecord, status: str, previous: str | None) -> dict[str, Any]:
    payload = {**_person(contact), "status": status, "created_at": _ts(contact.created_at),
               "updated_at": _ts(contact.updated_at)}
    if previous is not None:
        payload["previous_phone_number"] = previous
    return payload


def bounced_payload(contact: ContactRecord) -> dict[str, Any]:
    return {**_person(contact), "unsubscribed_at": _ts(contact.unsubscribed_at),
            "bounces": contact.bounces, "created_at": _ts(contact.created_at),
            "updated_at": _ts(contact.updated_at)}


@dataclass(order=True)
class Delivery:
    due: float
    order: int
    kind: str = field(compare=False)
    payload: dict[str, Any] = field(compare=False)
    attempts: int = field(default=0, compare=False)


class WebhookEmitter:
    """Turns state events into webhook posts. ``emitted`` keeps every payload (for tests)."""

    def __init__(self, state: SandboxState, config: SandboxConfig, *,
                 transport: httpx.AsyncBaseTransport | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.state = state
        self.config = config
        self.urls = {kind: url for kind in KINDS if (url := webhook_url_for(config, kind))}
        self.monotonic = monotonic
        self.emitted: list[tuple[str, dict[str, Any]]] = []
        self.delivered: list[tuple[str, dict[str, Any]]] = []
        self.given_up: list[tuple[str, dict[str, Any]]] = []
        self._pending: list[Delivery] = []
        self._order = itertools.count()
        self._wakeup: asyncio.Event | None = None
        self._client = httpx.AsyncClient(transport=transport, timeout=5.0)
        state.listeners.append(self._on_event)

    def _on_event(self, event: str, payload: dict[str, Any]) -> None:
        short_code = self.state.short_code
        if event == INCOMING:
            self.emit("inbound_message", inbound_payload(payload["message"], payload["contact"]))
        elif event == UNSUBSCRIBED:
            self.emit("unsubscribe", unsubscribe_payload(payload["contact"], short_code))
        elif event == RECEIPT and payload["message"].receipt_code not in ("136", "137"):
            self.emit("delivery_report", delivery_payload(payload["message"], short_code))
        elif event == CONTACT_STATUS:
            self.emit("contact_status", status_payload(payload["contact"], payload["status"],
                                                       payload["previous"]))
        elif event == BOUNCED:
            self.emit("bounced_message", bounced_payload(payload["contact"]))
        elif event == REJECTED:
            self.emit("rejection", {"code": payload["code"], "message": payload["text"],
                                    "description": payload["description"]})

    def emit(self, kind: str, payload: dict[str, Any]) -> None:
        self.emitted.append((kind, payload))
        if len(self.emitted) > MAX_PENDING:
            del self.emitted[: len(self.emitted) - MAX_PENDING]
        if kind not in self.urls:
            return
        if len(self._pending) >= MAX_PENDING:
            dropped = heapq.heappop(self._pending)
            log.warning("webhook queue full: dropped a %s event", dropped.kind)
        heapq.heappush(self._pending, Delivery(self.monotonic(), next(self._order), kind, payload))
        if self._wakeup is not None:
            self._wakeup.set()

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def deliver_due(self) -> int:
        """Try every delivery whose time has come, once. Returns how many got through."""
        ok = 0
        now = self.monotonic()
        due: list[Delivery] = []
        while self._pending and self._pending[0].due <= now:
            due.append(heapq.heappop(self._pending))
        for delivery in due:
            if await self._post(delivery):
                ok += 1
            else:
                self._retry_later(delivery)
        return ok

    async def _post(self, delivery: Delivery) -> bool:
        url = self.urls[delivery.kind]
        headers = {"User-Agent": "smsdesk-sandbox"}
        if self.config.webhook_secret:
            headers[SECRET_HEADER] = self.config.webhook_secret
        delivery.attempts += 1
        try:
            response = await self._client.post(url, json=delivery.payload, headers=headers)
        except httpx.HTTPError as exc:
            log.info("webhook %s not delivered (attempt %d): %s", delivery.kind,
                     delivery.attempts, exc)
            return False
        if response.status_code >= 500 or response.status_code == 429:
            log.info("webhook %s answered %d (attempt %d)", delivery.kind,
                     response.status_code, delivery.attempts)
            return False
        if response.status_code >= 400:   # the receiver refuses it: retrying will not help
            log.warning("webhook %s refused with %d", delivery.kind, response.status_code)
            self.given_up.append((delivery.kind, delivery.payload))
            return True
        self.delivered.append((delivery.kind, delivery.payload))
        return True

    def _retry_later(self, delivery: Delivery) -> None:
        if delivery.attempts >= self.config.webhook_max_attempts:
            log.warning("webhook %s given up after %d attempts", delivery.kind, delivery.attempts)
            self.given_up.append((delivery.kind, delivery.payload))
            return
        wait = self.config.webhook_backoff * 2 ** (delivery.attempts - 1)
        delivery.due = self.monotonic() + wait
        heapq.heappush(self._pending, delivery)

    async def run(self) -> None:
        """Background loop: deliver as events come, retry on schedule."""
        self._wakeup = asyncio.Event()
        while True:
            await self.deliver_due()
            self._wakeup.clear()
            timeout = (max(0.0, self._pending[0].due - self.monotonic()) if self._pending
                       else None)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), timeout)

    async def aclose(self) -> None:
        await self._client.aclose()
