"""The poll schedule: which routes a poll cycle touches, in what order, and at what pace.

The account allows 1 request/second per route, so an inbound text reaches the screen fast
only if nothing else queues on the poll's route (``GET /messages``) while a conversation is
open. No wall clock here: the requests are recorded and the pace is read from ``tick()``.
"""

from __future__ import annotations

import re
from datetime import datetime

import httpx
from service_env import Env, make_client

from tui.services.inbox import InboxPoller
from tui.services.outbox import Outbox


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests on and records each as ``"GET /messages INCOMING_ALL"``-like lines."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.calls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = re.sub(r"^/v1", "", request.url.path)
        route = re.sub(r"^/messages/[^/]+$", "/messages/{id}", path)
        kind = request.url.params.get("filter[type]", "")
        self.calls.append(f"{request.method} {route} {kind}".strip())
        return await self.inner.handle_async_request(request)


def poller_with_recorder(env: Env, **options: object) -> tuple[InboxPoller, Recorder]:
    recorder = Recorder(env.transport)
    client = make_client(env.sandbox, recorder)
    return InboxPoller(client, env.store, **options), recorder  # type: ignore[arg-type]


async def send_reply(env: Env, phone: str, text: str) -> str:
    box = Outbox(env.client, env.store, reconcile_delay=0)
    await box.enqueue(phone, text)
    await box.process_due()
    sent = (await env.store.messages_for(phone))[0]
    assert sent.delivery_state in (None, "queued")
    return sent.id


async def test_at_full_pace_a_poll_cycle_reads_only_new_inbound_texts(env: Env) -> None:
    poller, recorder = poller_with_recorder(env, receipts_every=0.0)
    await poller.poll_once()  # the first run reads the history
    phone = env.subscribed_phone()
    await send_reply(env, phone, "On its way")  # a receipt is due, yet it must not queue here
    poller.set_focus(phone)
    recorder.calls.clear()
    delays = [await poller.tick() for _ in range(3)]
    assert recorder.calls == ["GET /messages INCOMING_ALL"] * 3
    assert delays == [1.0, 1.0, 1.0]


async def test_receipts_come_one_by_one_on_their_own_route_the_open_conversation_first(
    env: Env,
) -> None:
    poller, recorder = poller_with_recorder(env, receipts_every=0.0)
    await poller.poll_once()
    elsewhere, here = env.subscribed_phone(1), env.subscribed_phone(2)
    other_id = await send_reply(env, elsewhere, "Your table is booked")
    open_id = await send_reply(env, here, "See you at 7")
    poller.set_focus(here)
    env.sandbox.deliver_pending(env.sandbox.state.now().replace(year=2100))
    recorder.calls.clear()
    update = await poller.refresh_receipts_one_by_one()
    assert recorder.calls == ["GET /messages/{id}", "GET /messages/{id}"]
    assert {here, elsewhere} <= update.changed_phones
    stored = {m.id: m for p in (here, elsewhere) for m in await env.store.messages_for(p)}
    assert stored[open_id].delivery_state == stored[other_id].delivery_state == "delivered"
    # Nothing is on its way any more: the next round asks the server nothing.
    recorder.calls.clear()
    await poller.refresh_receipts_one_by_one()
    assert recorder.calls == []


async def test_the_open_conversations_texts_are_asked_for_first(env: Env) -> None:
    poller, _ = poller_with_recorder(env)
    await poller.poll_once()
    here, elsewhere = env.subscribed_phone(3), env.subscribed_phone(4)
    here_id = await send_reply(env, here, "First")
    elsewhere_id = await send_reply(env, elsewhere, "Second")
    since = datetime(2000, 1, 1).astimezone()
    assert (await env.store.undelivered_ids(here, since, 1)) == [here_id]
    assert (await env.store.undelivered_ids(elsewhere, since, 1)) == [elsewhere_id]
    assert set(await env.store.undelivered_ids(None, since, 5)) == {here_id, elsewhere_id}


async def test_when_idle_the_bulk_receipt_refresh_follows_the_poll_on_its_route(
    env: Env,
) -> None:
    poller, recorder = poller_with_recorder(env, receipts_every=0.0)
    await poller.poll_once()
    await send_reply(env, env.subscribed_phone(), "Thanks!")
    recorder.calls.clear()
    await poller.tick()  # no conversation open
    assert recorder.calls == ["GET /messages INCOMING_ALL", "GET /messages OUTGOING_ALL"]


async def test_a_blurred_app_polls_slower_and_full_pace_returns_with_the_focus(env: Env) -> None:
    poller, recorder = poller_with_recorder(env, idle_interval=10.0, fast_interval=1.0,
                                            receipts_every=3600.0)
    await poller.tick()
    poller.set_focus(env.subscribed_phone())
    assert poller.fast and await poller.tick() == 1.0
    poller.set_app_focus(False)
    assert not poller.fast
    assert [await poller.tick() for _ in range(4)] == [2.0, 4.0, 8.0, 10.0]
    poller.set_app_focus(True)
    assert poller.interval == 1.0 and await poller.tick() == 1.0
    assert set(recorder.calls) <= {"GET /messages INCOMING_ALL", "GET /messages OUTGOING_ALL"}


async def test_the_time_of_the_last_good_poll_is_reported_and_kept_through_failures(
    env: Env,
) -> None:
    seen: list[datetime] = []
    poller, _ = poller_with_recorder(env, on_polled=seen.append)
    await poller.tick()
    assert len(seen) == 1 and poller.last_poll_at == seen[0]
    env.transport.down = True
    await poller.tick()
    assert len(seen) == 1 and poller.last_poll_at == seen[0]
