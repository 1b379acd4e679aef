"""The sandbox over a real socket (uvicorn in a thread on 127.0.0.1, a free port)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tui.api.client import MobinitiClient
from tui.api.errors import TransportError
from tui.api.models import ContactMessageCreate, MessageCreate
from tui.sandbox import DEMO_TOKEN, Sandbox, SandboxConfig, create_app
from tui.sandbox.serve import serve_in_thread


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, str]]:
    sandbox = create_app(SandboxConfig(contacts=30, rate_limit=True, reply_probability=0.0))
    with serve_in_thread(sandbox) as url:
        yield sandbox, url


def _headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {DEMO_TOKEN}"}


async def test_real_socket_serves_pages_and_errors(served: tuple[Sandbox, str]) -> None:
    _, url = served
    async with httpx.AsyncClient(base_url=f"{url}/v1", headers=_headers()) as client:
        page = await client.get("/contacts", params={"limit": 3})
        bad = await client.post("/message", json={"phone_number": "1", "message": ""})
        unauthorised = await client.get("/groups", headers={"Authorization": ""})
    assert page.status_code == 200 and len(page.json()["data"]) == 3
    assert page.json()["meta"]["pagination"]["links"]["next"].startswith(url)
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"phone_number", "message"}
    assert unauthorised.status_code == 401


async def test_real_socket_burst_is_rate_limited(served: tuple[Sandbox, str]) -> None:
    _, url = served
    async with httpx.AsyncClient(base_url=f"{url}/v1", headers=_headers()) as client:
        answers = [await client.get("/coupons") for _ in range(5)]
    assert answers[0].status_code == 200
    assert [a.status_code for a in answers[1:]] == [429] * 4
    assert answers[1].headers["Retry-After"] == "1"


async def test_client_send_over_the_socket(served: tuple[Sandbox, str]) -> None:
    sandbox, url = served
    phone = next(c.phone_number for c in sandbox.state.contacts.values() if c.subscribed)
    async with MobinitiClient(DEMO_TOKEN, f"{url}/v1") as client:
        sent = await client.send_message(MessageCreate(phone_number=phone, message="socket"))
        fetched = await client.get_message(sent.id)
    assert fetched.message == "socket" and fetched.direction == "outgoing"


async def test_dropped_connection_and_lost_answer_over_the_socket(
    served: tuple[Sandbox, str],
) -> None:
    sandbox, url = served
    phone = next(c.phone_number for c in sandbox.state.contacts.values() if c.subscribed)
    sandbox.chaos.force("drop")
    async with httpx.AsyncClient(base_url=f"{url}/v1", headers=_headers()) as raw:
        with pytest.raises(httpx.TransportError):
            await raw.get("/opt-ins")
    contact_id = sandbox.state.contacts_by_phone[phone]
    sandbox.chaos.force("response_lost")
    async with MobinitiClient(DEMO_TOKEN, f"{url}/v1") as client:
        with pytest.raises(TransportError) as caught:   # POST /messages: its own rate slot
            await client.send_to_contact(
                ContactMessageCreate(contact_id=contact_id, message="lost answer"))
    assert caught.value.maybe_sent
    assert [r.message for r in sandbox.state.messages].count("lost answer") == 1
