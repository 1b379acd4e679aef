"""The client against the in-process sandbox: same models both sides, real limiter, real errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from api_fakes import FakeClock

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.errors import Forbidden, NotFound, ValidationFailed
from tui.api.rate import Priority, RateScheduler
from tui.sandbox import create_app
from tui.sandbox.config import SandboxConfig
from tui.sandbox.shapes import Shape

BASE = "http://sandbox/v1"
PHONE = "+14155552671"


class Counting(httpx.AsyncBaseTransport):
    """Counts the statuses the sandbox answered with."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.statuses: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.statuses.append(response.status_code)
        return response


async def test_sync_and_replies_against_the_rate_limited_sandbox_never_get_429(
    server_shape: Shape,
) -> None:
    clock = FakeClock()
    sandbox = create_app(SandboxConfig(contacts=120, shape=server_shape),
                         monotonic=clock.monotonic)
    counting = Counting(httpx.ASGITransport(app=sandbox.asgi))
    async with MobinitiClient(sandbox.token, BASE, transport=counting, clock=clock) as client:
        sync = asyncio.create_task(
            _collect(client.paginate(client.list_contacts, limit=20, priority=Priority.BACKGROUND))
        )
        polls = [asyncio.create_task(client.list_messages(message_type="INCOMING_ALL",
                                                          priority=Priority.BACKGROUND))
                 for _ in range(5)]
        replies = [asyncio.create_task(client.send_message(
            m.MessageCreate(phone_number=PHONE, message=f"reply {i}"))) for i in range(3)]
        contacts = await asyncio.wait_for(sync, timeout=10)
        await asyncio.wait_for(asyncio.gather(*polls, *replies), timeout=10)
    assert len(contacts) == 120
    assert 429 not in counting.statuses
    assert client.scheduler.headroom().remaining is not None


async def _collect(items: AsyncIterator[m.Contact]) -> list[m.Contact]:
    return [c async for c in items]


async def test_round_trip_of_a_conversation_and_its_errors(server_shape: Shape) -> None:
    sandbox = create_app(SandboxConfig(contacts=10, rate_limit=False, shape=server_shape))
    transport = httpx.ASGITransport(app=sandbox.asgi)
    async with MobinitiClient(sandbox.token, BASE, transport=transport,
                              scheduler=RateScheduler(per_second=1000.0)) as client:
        contact = await client.create_contact(m.ContactCreate(phone_number=PHONE))
        # Created through the API: pending until it answers the opt-in text (seed).
        with pytest.raises(ValidationFailed) as pending:
            await client.send_to_contact(m.ContactMessageCreate(contact_id=contact.id,
                                                                message="too early"))
        assert "pending" in str(pending.value)
        sandbox.simulate_inbound(PHONE, "YES")
        sent = await client.send_to_contact(
            m.ContactMessageCreate(contact_id=contact.id, message="hi",
                                   metadata={"smsdesk_key": "k-1"}))
        assert sent.direction == "outgoing" and sent.metadata.get("smsdesk_key") == "k-1"
        page = await client.list_messages(message_type="OUTGOING_ALL", phone_number=PHONE[-7:],
                                          include=["receipt", "type"], sort="-created_at")
        assert sent.id in {msg.id for msg in page.data}
        read = await client.update_message(sent.id, m.MessageUpdate(read=True))
        assert read.read is True
        with pytest.raises(ValidationFailed) as exists:
            await client.create_contact(m.ContactCreate(phone_number=PHONE))
        assert "phone_number" in exists.value.errors and exists.value.request_id
        with pytest.raises(NotFound):
            await client.get_contact("00000000-0000-0000-0000-000000000000")
    narrow = sandbox.make_token(["contacts.view"])
    async with MobinitiClient(narrow, BASE, transport=transport) as client:
        with pytest.raises(Forbidden) as denied:
            await client.list_messages()
    assert denied.value.scope == "messages.view"
