"""The outbox sends every text exactly once: lost answers, 5xx, restarts and refusals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from service_env import Env, make_client

from tui.services.outbox import Outbox, OutboxItem, SendRefused
from tui.store import AsyncStore, open_store


def _outbox(env: Env, **kw: object) -> Outbox:
    changes: list[OutboxItem] = []
    box = Outbox(env.client, env.store, on_change=changes.append, reconcile_delay=0,
                 retry_delay=0.0, **kw)  # type: ignore[arg-type]
    box.changes = changes  # type: ignore[attr-defined]
    return box


async def test_a_reply_is_written_first_then_sent_and_shown_in_its_conversation(env: Env) -> None:
    phone = env.subscribed_phone()
    box = _outbox(env)
    item = await box.enqueue(phone, "On our way!")
    assert item.state == "queued"
    shown = await env.store.messages_for(phone)
    assert shown[0].outbox_state == "queued" and shown[0].is_local
    await box.process_due()
    done = await env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent" and done.message_id
    shown = await env.store.messages_for(phone)
    assert [m.id for m in shown if m.body == "On our way!"] == [done.message_id]
    assert shown[0].outbox_state == "sent" and shown[0].outbox_key == item.key
    assert [c.state for c in box.changes] == ["queued", "sending", "sent"]  # type: ignore[attr-defined]
    assert env.copies(phone, "On our way!") == 1


async def test_reply_whose_answer_is_lost_after_the_server_applied_it_is_sent_once(
    env: Env,
) -> None:
    phone = env.subscribed_phone()
    env.transport.lose[("POST", "/v1/message")] = 1
    box = _outbox(env)
    item = await box.enqueue(phone, "Your table is ready")
    for _ in range(5):
        await box.process_due()
    done = await env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent"
    assert env.copies(phone, "Your table is ready") == 1
    assert env.transport.count("POST", "/v1/message") == 1
    assert env.transport.count("GET", "/v1/messages") >= 1  # it looked before anything else


async def test_reply_answered_with_a_5xx_after_being_applied_is_sent_once(env: Env) -> None:
    phone = env.subscribed_phone()
    env.transport.fail_after_apply[("POST", "/v1/message")] = 1
    box = _outbox(env)
    item = await box.enqueue(phone, "See you at 5")
    for _ in range(5):
        await box.process_due()
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    assert env.copies(phone, "See you at 5") == 1


async def test_a_lost_request_that_never_arrived_is_retried_only_after_a_lookup(env: Env) -> None:
    phone = env.subscribed_phone()
    box = _outbox(env)
    item = await box.enqueue(phone, "Retry me")
    # Simulate "the request timed out before the server applied it": mark sending, no record.
    await env.store.update_outbox(item.key, state="sending", attempts=1, last_error="timeout")
    await box.process_due()  # reconcile: absent -> queued again
    requeued = await env.store.get_outbox(item.key)
    assert requeued is not None and requeued.state == "queued"
    assert env.transport.count("POST", "/v1/message") == 0
    await env.store.update_outbox(item.key, next_attempt_at=None)
    await box.process_due()
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    assert env.copies(phone, "Retry me") == 1


async def test_kill_during_send_is_reconciled_on_restart_not_sent_again(env: Env) -> None:
    phone = env.subscribed_phone()
    first = Outbox(env.client, env.store, reconcile_delay=0)
    item = await first.enqueue(phone, "Sent just before the crash")
    # The POST reached the server, then the app was killed before it heard back.
    env.transport.lose[("POST", "/v1/message")] = 1
    sending = await env.store.update_outbox(item.key, state="sending", attempts=1)
    assert sending is not None
    from tui.api.models import MessageCreate
    with pytest.raises(Exception):  # noqa: B017 - the lost answer
        await env.client.send_message(MessageCreate(
            phone_number=phone, message=item.body, metadata={"smsdesk_key": item.key}))
    await env.store.close()

    # Restart: a new store, client and outbox on the same file.
    store = AsyncStore(open_store(env.path))
    client = make_client(env.sandbox, env.transport)
    try:
        second = Outbox(client, store, reconcile_delay=0)
        pending = await store.list_pending_outbox()
        assert [(p.key, p.state) for p in pending] == [(item.key, "sending")]
        await second.process_due()
        done = await store.get_outbox(item.key)
        assert done is not None and done.state == "sent"
        assert env.copies(phone, "Sent just before the crash") == 1
        assert env.transport.count("POST", "/v1/message") == 1
    finally:
        await client.aclose()
        await store.close()
    env.store = AsyncStore(open_store(env.path))


async def test_opted_out_numbers_are_refused_before_anything_is_written(env: Env) -> None:
    phone = env.subscribed_phone()
    await env.store.set_opted_out(phone, True)
    box = _outbox(env)
    with pytest.raises(SendRefused, match="opted out"):
        await box.enqueue(phone, "hello?")
    assert await env.store.list_outbox() == []
    with pytest.raises(SendRefused, match="empty"):
        await box.enqueue(env.subscribed_phone(1), "   ")
    with pytest.raises(SendRefused, match="international"):
        await box.enqueue("650-253-0000", "hi")


async def test_a_refusal_by_the_server_fails_with_its_reason_and_no_retry(env: Env) -> None:
    contact = next(c for c in env.sandbox.state.contacts.values() if c.subscribed)
    box = _outbox(env)
    item = await box.enqueue(contact.phone_number, "Last chance")
    contact.unsubscribed_at = datetime.now(UTC)  # unsubscribed on the server after we queued
    await box.process_due()
    failed = await env.store.get_outbox(item.key)
    assert failed is not None and failed.state == "failed"
    assert failed.last_error is not None and "opted out" in failed.last_error
    assert (await env.store.conversation(contact.phone_number)).opted_out  # type: ignore[union-attr]
    await box.process_due()
    assert env.transport.count("POST", "/v1/message") == 1
    shown = await env.store.messages_for(contact.phone_number)
    assert shown[0].outbox_state == "failed" and shown[0].last_error == failed.last_error


async def test_network_down_keeps_the_text_queued_and_sends_it_when_back(env: Env) -> None:
    phone = env.subscribed_phone()
    box = _outbox(env)
    item = await box.enqueue(phone, "Sent when the wifi is back")
    env.transport.down = True
    await box.process_due()
    waiting = await env.store.get_outbox(item.key)
    assert waiting is not None and waiting.state == "queued" and waiting.last_error
    env.transport.down = False
    await env.store.update_outbox(item.key, next_attempt_at=None)
    await box.process_due()
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    assert env.copies(phone, "Sent when the wifi is back") == 1


async def test_failed_text_can_be_retried_or_discarded_by_the_person(env: Env) -> None:
    phone = env.subscribed_phone()
    box = _outbox(env, max_attempts=1)
    env.transport.down = True
    item = await box.enqueue(phone, "try again later")
    await env.store.update_outbox(item.key, state="failed", last_error="no network")
    other = await box.enqueue(phone, "still queued")
    with pytest.raises(SendRefused, match="queued and cannot be retried"):
        await box.retry(other.key)
    with pytest.raises(SendRefused, match="no longer in the outbox"):
        await box.discard(str(uuid.uuid4()))
    env.transport.down = False
    retried = await box.retry(item.key)
    assert retried.state == "queued" and retried.attempts == 0
    await box.process_due()
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    with pytest.raises(SendRefused, match="sent and cannot be discarded"):
        await box.discard(item.key)


async def test_discarding_a_queued_text_removes_it_from_the_conversation(env: Env) -> None:
    phone = env.subscribed_phone()
    box = _outbox(env)
    item = await box.enqueue(phone, "never mind")
    await box.discard(item.key)
    assert (await env.store.get_outbox(item.key)).state == "cancelled"  # type: ignore[union-attr]
    assert [m for m in await env.store.messages_for(phone) if m.body == "never mind"] == []
    await box.process_due()
    assert env.copies(phone, "never mind") == 0
