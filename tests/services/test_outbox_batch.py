"""Batch entries: one text to up to 100 numbers, one POST /message/batch, each number once."""

from __future__ import annotations

import pytest
from service_env import Env

from tui.services.outbox import Outbox, OutboxItem, SendRefused

BATCH = ("POST", "/v1/message/batch")


def _outbox(env: Env) -> tuple[Outbox, list[OutboxItem]]:
    changes: list[OutboxItem] = []
    box = Outbox(env.client, env.store, reconcile_delay=0, retry_delay=0.0)
    box.listen(changes.append)
    return box, changes


def _phones(env: Env, count: int) -> list[str]:
    return [env.subscribed_phone(i) for i in range(count)]


async def _drain(box: Outbox, passes: int = 6) -> None:
    for _ in range(passes):
        await box.process_due()


async def test_a_batch_is_one_request_and_every_number_gets_one_text(env: Env) -> None:
    phones = _phones(env, 3)
    box, changes = _outbox(env)
    item = await box.enqueue_batch("Doors open at 6", phones, campaign_ref="spring")
    assert item.kind == "batch" and item.state == "queued" and item.campaign_ref == "spring"
    await _drain(box)
    done = await box.get(item.key)
    assert done is not None and done.state == "sent"
    assert {p: r.state for p, r in done.recipients.items()} == dict.fromkeys(phones, "sent")
    assert all(r.message_id for r in done.recipients.values())
    assert env.transport.count(*BATCH) == 1
    assert [env.copies(p, "Doors open at 6") for p in phones] == [1, 1, 1]
    assert [c.state for c in changes] == ["queued", "sending", "sent"]
    # A batch is not a conversation: no stand-in texts were written.
    for phone in phones:
        assert all(m.is_local is False for m in await env.store.messages_for(phone))


async def test_a_batch_whose_answer_is_lost_is_found_and_not_sent_again(env: Env) -> None:
    phones = _phones(env, 4)
    env.transport.lose[BATCH] = 1
    box, _ = _outbox(env)
    item = await box.enqueue_batch("Last call", phones)
    await _drain(box)
    done = await box.get(item.key)
    assert done is not None and done.state == "sent"
    assert env.transport.count(*BATCH) == 1
    assert [env.copies(p, "Last call") for p in phones] == [1, 1, 1, 1]


async def test_a_batch_after_a_5xx_that_was_applied_is_sent_once(env: Env) -> None:
    phones = _phones(env, 2)
    env.transport.fail_after_apply[BATCH] = 1
    box, _ = _outbox(env)
    item = await box.enqueue_batch("See you", phones)
    await _drain(box)
    assert (await box.get(item.key)).state == "sent"  # type: ignore[union-attr]
    assert [env.copies(p, "See you") for p in phones] == [1, 1]


async def test_an_opted_out_number_is_refused_and_the_rest_still_get_the_text(env: Env) -> None:
    phones = _phones(env, 3)
    stopped = next(c for c in env.sandbox.state.contacts.values() if not c.subscribed)
    box, _ = _outbox(env)
    item = await box.enqueue_batch("Sale today", [phones[0], stopped.phone_number, *phones[1:]])
    await _drain(box)
    done = await box.get(item.key)
    assert done is not None and done.state == "sent"
    assert done.recipients[stopped.phone_number].state == "refused"
    assert "unsubscribed" in (done.recipients[stopped.phone_number].reason or "")
    assert [env.copies(p, "Sale today") for p in phones] == [1, 1, 1]
    assert env.copies(stopped.phone_number, "Sale today") == 0


async def test_the_same_key_twice_is_one_batch(env: Env) -> None:
    box, _ = _outbox(env)
    first = await box.enqueue_batch("Once", _phones(env, 2), key="campaign-1-chunk-0")
    again = await box.enqueue_batch("Once", _phones(env, 2), key="campaign-1-chunk-0")
    assert first.key == again.key
    await _drain(box)
    assert env.transport.count(*BATCH) == 1


@pytest.mark.parametrize("phones", [[], ["5125550100"], [f"+1512555{i:04d}" for i in range(101)]])
async def test_a_batch_that_cannot_be_sent_is_refused_before_anything_is_written(
    env: Env, phones: list[str],
) -> None:
    box, _ = _outbox(env)
    with pytest.raises(SendRefused):
        await box.enqueue_batch("Hi", phones)
    assert await env.store.list_pending_outbox() == []
