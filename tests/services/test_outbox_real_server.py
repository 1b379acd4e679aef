"""Against a server that answers like Laravel/Fractal: never two texts, whatever the clock says.

The must-show cases of issue #10: on the ``php`` shape (bare answers, 10-digit numbers), a lost
answer, a bare answer and a 5xx after the text was applied each leave exactly one text on the
server, also with this computer's clock 5 minutes ahead of or behind the server's; a lookup that
cannot decide sends nothing again and leaves the text visibly "unclear".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from service_env import Env

from tui.services.outbox import Outbox

SEND = ("POST", "/v1/message")
LOOKUP = ("GET", "/v1/messages")
SKEWS = {"clock-5-min-ahead": timedelta(minutes=5), "clock-5-min-behind": timedelta(minutes=-5),
         "clock-right": timedelta(0)}


def _outbox(env: Env, skew: timedelta) -> Outbox:
    return Outbox(env.client, env.store, reconcile_delay=0, retry_delay=0.0,
                  utcnow=lambda: datetime.now(UTC) + skew)


async def _drain(box: Outbox, passes: int = 6) -> None:
    for _ in range(passes):
        await box.process_due()
        pending = await box.store.list_pending_outbox()
        for item in pending:  # no waiting in tests: whatever is scheduled is due now
            await box.store.update_outbox(item.key, next_attempt_at=None)


@pytest.mark.parametrize("skew", SKEWS.values(), ids=SKEWS.keys())
@pytest.mark.parametrize("fault", ["lost-answer", "bare-answer", "5xx-after-apply"])
@pytest.mark.parametrize("warm", [False, True], ids=["first-request", "after-a-poll"])
@pytest.mark.parametrize("metadata", [True, False], ids=["keys-kept", "keys-dropped"])
async def test_one_text_on_the_server_whatever_goes_wrong_and_whatever_the_clock(
    php_env: Env, fault: str, skew: timedelta, warm: bool, metadata: bool,
) -> None:
    env = php_env
    env.sandbox.state.keep_metadata = metadata
    phone = env.subscribed_phone()
    if fault == "lost-answer":
        env.transport.lose[SEND] = 1
    elif fault == "5xx-after-apply":
        env.transport.fail_after_apply[SEND] = 1
    if warm:  # the client has heard the server's Date already (an inbox poll)
        await env.client.list_messages(limit=1)
    box = _outbox(env, skew)
    item = await box.enqueue(phone, "Your order is ready")
    await _drain(box)
    done = await env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent", done
    assert env.copies(phone, "Your order is ready") == 1
    assert env.transport.count(*SEND) == 1
    shown = [m for m in await env.store.messages_for(phone) if m.body == "Your order is ready"]
    assert len(shown) == 1 and shown[0].outbox_state == "sent"


async def test_the_answer_of_a_php_server_is_read_bare_and_never_reconciled(php_env: Env) -> None:
    phone = php_env.subscribed_phone()
    box = _outbox(php_env, timedelta(0))
    item = await box.enqueue(phone, "Bare is fine")
    await box.process_due()
    done = await php_env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent" and done.message_id
    assert php_env.transport.count(*LOOKUP) == 0  # read at once, no lookup needed


async def test_identical_texts_without_keys_make_it_unclear_and_nothing_is_resent(
    php_env: Env,
) -> None:
    env = php_env
    env.sandbox.state.keep_metadata = False
    phone = env.subscribed_phone()
    # Someone else (the web app) sent the same words to the same number a minute ago.
    env.sandbox.state.record_outgoing(phone, "See you tomorrow")
    env.transport.lose[SEND] = 1
    box = _outbox(env, timedelta(0))
    item = await box.enqueue(phone, "See you tomorrow")
    await _drain(box)
    unclear = await env.store.get_outbox(item.key)
    assert unclear is not None and unclear.state == "unclear"
    assert "identical texts" in (unclear.last_error or "")
    assert "went out" in (unclear.last_error or "") and "send again" in (unclear.last_error or "")
    assert env.transport.count(*SEND) == 1 and env.copies(phone, "See you tomorrow") == 2
    shown = [m for m in await env.store.messages_for(phone) if m.outbox_key == item.key]
    assert shown[0].outbox_state == "unclear" and shown[0].last_error == unclear.last_error
    # The person decides: it went out. Nothing is posted.
    done = await box.confirm_sent(item.key)
    assert done.state == "sent" and env.transport.count(*SEND) == 1


async def test_an_unclear_text_is_sent_again_only_when_the_person_says_so(php_env: Env) -> None:
    env = php_env
    env.sandbox.state.keep_metadata = False
    phone = env.subscribed_phone()
    env.sandbox.state.record_outgoing(phone, "Thanks!")
    env.transport.lose[SEND] = 1
    box = _outbox(env, timedelta(0))
    item = await box.enqueue(phone, "Thanks!")
    await _drain(box)
    assert (await env.store.get_outbox(item.key)).state == "unclear"  # type: ignore[union-attr]
    await box.send_again(item.key)
    await _drain(box)
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    assert env.transport.count(*SEND) == 2


async def test_a_lookup_that_keeps_failing_ends_unclear_never_resent(php_env: Env) -> None:
    env = php_env
    phone = env.subscribed_phone()
    env.transport.lose[SEND] = 1
    env.transport.lose[LOOKUP] = 1000
    box = _outbox(env, timedelta(0))
    item = await box.enqueue(phone, "Call me")
    await _drain(box, passes=box.max_lookup_failures + 2)
    unclear = await env.store.get_outbox(item.key)
    assert unclear is not None and unclear.state == "unclear"
    assert "could not check" in (unclear.last_error or "")
    assert env.transport.count(*SEND) == 1 and env.copies(phone, "Call me") == 1


async def test_a_text_another_process_is_sending_is_left_alone(php_env: Env) -> None:
    env = php_env
    phone = env.subscribed_phone()
    box = _outbox(env, timedelta(0))
    item = await box.enqueue(phone, "Leased")
    # Another smsdesk took it and is posting it right now.
    now = datetime.now(UTC)
    await env.store.update_outbox(item.key, state="sending", attempts=1,
                                  lease=("other-host:42:abcd", now + timedelta(seconds=60)))
    assert await box.process_due() == []
    assert env.transport.count(*LOOKUP) == 0 and env.transport.count(*SEND) == 0
    # Its lease runs out (it died): now this process reconciles — and finds nothing, so it
    # sends the text once.
    await env.store.update_outbox(item.key, lease=("other-host:42:abcd",
                                                   now - timedelta(seconds=1)))
    await _drain(box)
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    assert env.copies(phone, "Leased") == 1


async def test_an_unreadable_lookup_is_tried_again_before_anything_is_called_unclear(
    php_env: Env,
) -> None:
    env = php_env
    phone = env.subscribed_phone()
    env.transport.lose[SEND] = 1
    env.transport.garble[LOOKUP] = 2
    box = _outbox(env, timedelta(0))
    item = await box.enqueue(phone, "Garbled once")
    await _drain(box)
    done = await env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent"
    assert env.transport.count(*SEND) == 1 and env.copies(phone, "Garbled once") == 1
