"""Test doubles for the API client: a fake clock and a scripted server (httpx.MockTransport)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx

from tui.api import models as m

TS = "2024-05-01T12:00:00.000Z"
TOKEN = "tok-SECRET-123456"
BASE = "https://api.test/v1"


class FakeClock:
    """Monotonic time that only moves when someone sleeps: tests never really wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now = max(self.now, self.now + max(0.0, seconds))
        await asyncio.sleep(0)


Handler = Callable[[httpx.Request], httpx.Response]


class Script:
    """A server that answers from a queue of responses (or a handler) and records requests."""

    def __init__(self, *responses: httpx.Response | Exception, handler: Handler | None = None):
        self.queue: list[httpx.Response | Exception] = list(responses)
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.queue:
            item = self.queue.pop(0)
            if isinstance(item, Exception):
                raise item
            return item
        if self.handler is not None:
            return self.handler(request)
        raise AssertionError(f"unexpected request {request.method} {request.url}")

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def body(self, index: int = -1) -> Any:
        content = self.requests[index].content
        return json.loads(content) if content else None


SAMPLES: dict[type[Any], dict[str, Any]] = {
    m.Contact: {"id": "c1", "phone_number": "+15551230001", "created_at": TS, "updated_at": TS},
    m.Carrier: {"id": "k1", "name": "Verizon"},
    m.Group: {"id": "g1", "name": "VIP", "created_at": TS, "updated_at": TS},
    m.OptIn: {"id": "o1", "name": "Email"},
    m.Campaign: {"id": "p1", "name": "Sale", "message": "20% off", "created_at": TS,
                 "updated_at": TS},
    m.CampaignTemplate: {"id": "t1", "name": "T", "message": "Hi", "created_at": TS,
                         "updated_at": TS},
    m.Coupon: {"id": "u1", "name": "C", "created_at": TS, "updated_at": TS},
    m.CouponTemplate: {"id": "ct1", "name": "CT", "created_at": TS, "updated_at": TS},
    m.Message: {"id": "m1", "phone_number": "+15551230001", "message": "hi",
                "direction": "outgoing", "created_at": TS, "updated_at": TS},
    m.ScheduledMessage: {"id": "s1", "phone_number": "+15551230001", "message": "later",
                         "send_at": TS, "created_at": TS, "updated_at": TS},
    m.PhoneLookup: {"phone_number": "+15551230001", "valid": True, "line_type": "mobile"},
    m.UnsubscribeResult: {"unsubscribed": ["+15551230001"], "not_found": []},
}


def page_json(model: type[Any], *, page: int = 1, total_pages: int = 1, per_page: int = 100,
              items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data = items if items is not None else [SAMPLES[model]]
    nxt = f"{BASE}/x?page={page + 1}" if page < total_pages else None
    return {
        "data": data,
        "meta": {"pagination": {
            "total": per_page * total_pages, "count": len(data), "per_page": per_page,
            "current_page": page, "total_pages": total_pages,
            "links": {"next": nxt} if nxt else {},
        }},
    }


def ok(payload: Any = None, status: int = 200, **headers: str) -> httpx.Response:
    if payload is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=payload, headers=headers)
