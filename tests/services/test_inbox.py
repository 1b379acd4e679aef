"""The inbox poller: catching up with a cursor, adapting its pace, keywords and read marks."""

from __future__ import annotations

import pytest
from service_env import Env

from tui.api.errors import Forbidden
from tui.services.inbox import INBOX_CURSOR, InboxPoller, InboxUpdate
from tui.services.outbox import Outbox
from tui.services.read_marks import MarkDeferred


def _poller(env: Env, **kw: object) -> tuple[InboxPoller, list[InboxUpdate], list[tuple]]:
    updates: list[InboxUpdate] = []
    states: list[tuple] = []
    poller = InboxPoller(env.client, env.store, on_update=updates.append,
                         on_connection=lambda s, r: states.append((s, r)), **kw)  # type: ignore[arg-type]
    return poller, updates, states


async def test_first_poll_backfills_then_new_texts_arrive_once(env: Env) -> None:
    poller, updates, _ = _poller(env)
    await poller.poll_once()
    assert await env.store.get_cursor(INBOX_CURSOR) is not None
    phone = env.subscribed_phone()
    env.sandbox.simulate_inbound(phone, "Is the shop open today?")
    update = await poller.poll_once()
    assert [m.body for m in update.new_inbound] == ["Is the shop open today?"]
    assert phone in update.changed_phones and updates[-1] is update
    conv = await env.store.conversation(phone)
    assert conv is not None and conv.unread_count >= 1 and conv.preview.startswith("Is the shop")
    again = await poller.poll_once()  # the overlap re-reads it; it is not new twice
    assert again.new_inbound == ()


async def test_stop_and_start_texts_flip_the_opted_out_flag(env: Env) -> None:
    poller, _, _ = _poller(env)
    await poller.poll_once()
    phone = env.subscribed_phone(2)
    env.sandbox.simulate_inbound(phone, "STOP")
    await poller.poll_once()
    conv = await env.store.conversation(phone)
    assert conv is not None and conv.opted_out and "STOP" in conv.badges
    env.sandbox.simulate_inbound(phone, "START")
    await poller.poll_once()
    assert not (await env.store.conversation(phone)).opted_out  # type: ignore[union-attr]
    env.sandbox.simulate_inbound(phone, "help")
    await poller.poll_once()
    assert "HELP" in (await env.store.conversation(phone)).badges  # type: ignore[union-attr]


async def test_the_pace_is_fast_while_open_and_backs_off_when_idle(env: Env) -> None:
    poller, _, _ = _poller(env, idle_interval=10.0, fast_interval=1.0)
    await poller.tick()
    poller.set_focus("+15550000000")
    assert await poller.tick() == 1.0
    poller.set_focus(None)
    delays = [await poller.tick() for _ in range(5)]
    assert delays == [2.0, 4.0, 8.0, 10.0, 10.0]
    env.sandbox.simulate_inbound(env.subscribed_phone(), "hello again")
    assert await poller.tick() == 1.0
    assert await poller.tick() == 2.0


async def test_network_loss_is_reported_backed_off_and_caught_up_after(env: Env) -> None:
    poller, _, states = _poller(env, fast_interval=1.0, max_offline_delay=8.0)
    await poller.tick()
    env.transport.down = True
    phone = env.subscribed_phone(3)
    env.sandbox.simulate_inbound(phone, "anyone there?")
    delays = [await poller.tick() for _ in range(5)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert states[0] == ("online", None) and states[-1][0] == "offline"
    assert poller.last_error is not None
    env.transport.down = False
    await poller.tick()
    assert states[-1] == ("online", None)
    texts = [m.body for m in await env.store.messages_for(phone)]
    assert "anyone there?" in texts


async def test_delivery_receipts_of_our_texts_are_refreshed(env: Env) -> None:
    poller, _, _ = _poller(env, receipts_every=0.0)
    await poller.poll_once()
    phone = env.subscribed_phone()
    box = Outbox(env.client, env.store, reconcile_delay=0)
    item = await box.enqueue(phone, "Receipt please")
    await box.process_due()
    sent = (await env.store.messages_for(phone))[0]
    assert sent.delivery_state in (None, "queued")
    env.sandbox.deliver_pending(env.sandbox.state.now().replace(year=2100))
    update = await poller.poll_once()
    assert phone in update.changed_phones
    sent = (await env.store.messages_for(phone))[0]
    assert sent.outbox_key == item.key and sent.delivery_state == "delivered"


async def test_mark_read_puts_every_unread_text_and_mark_unread_the_newest(env: Env) -> None:
    poller, _, _ = _poller(env)
    await poller.poll_once()
    phone = env.subscribed_phone(4)
    first = env.sandbox.simulate_inbound(phone, "one")
    second = env.sandbox.simulate_inbound(phone, "two")
    await poller.poll_once()
    assert await poller.mark_read(phone) >= 2
    assert (await env.store.conversation(phone)).unread_count == 0  # type: ignore[union-attr]
    records = {r.id: r for r in env.sandbox.state.messages}
    assert records[first.id].read and records[second.id].read
    assert await poller.mark_unread(phone)
    assert not records[second.id].read
    assert await env.store.unread_message_ids(phone) == [second.id]


async def test_a_mark_made_offline_is_kept_and_reaches_the_server_when_it_answers(
    env: Env,
) -> None:
    poller, _, _ = _poller(env)
    await poller.poll_once()
    phone = env.subscribed_phone(5)
    text = env.sandbox.simulate_inbound(phone, "unread")
    await poller.poll_once()
    assert await poller.mark_read(phone)
    record = next(r for r in env.sandbox.state.messages if r.id == text.id)
    assert record.read
    env.transport.down = True
    with pytest.raises(MarkDeferred, match="Marked unread here"):
        await poller.mark_unread(phone)
    assert await env.store.unread_message_ids(phone) == [text.id]  # kept as the person set it
    await poller.tick()  # still offline: waits
    assert record.read
    env.transport.down = False
    await poller.tick()
    assert not record.read
    assert await env.store.pending_read_marks() == []


async def test_a_refused_mark_is_put_back_and_raised(env: Env) -> None:
    poller, _, _ = _poller(env)
    await poller.poll_once()
    phone = env.subscribed_phone(5)
    env.sandbox.simulate_inbound(phone, "unread")
    await poller.poll_once()
    before = await env.store.unread_message_ids(phone)

    async def refuse(*_args: object, **_kwargs: object) -> None:
        raise Forbidden("This token may not change messages", status=403)

    env.client.update_message = refuse  # type: ignore[method-assign]
    with pytest.raises(Forbidden):
        await poller.mark_read(phone)
    assert await env.store.unread_message_ids(phone) == before
    assert await env.store.pending_read_marks() == []


async def test_first_run_history_is_shown_page_by_page_as_catch_up_not_news(env: Env) -> None:
    poller, updates, _ = _poller(env)
    await poller.poll_once()
    # One update per page of history as it arrives, then the whole poll; all marked catch-up.
    assert len(updates) >= 2 and all(u.catch_up for u in updates)
    assert updates[0].new_inbound, "the first page is shown before the backfill ends"
    env.sandbox.simulate_inbound(env.subscribed_phone(), "new one")
    update = await poller.poll_once()
    assert not update.catch_up and [m.body for m in update.new_inbound] == ["new one"]
