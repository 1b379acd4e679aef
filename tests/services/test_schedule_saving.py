"""A scheduled text is on disk before it is posted; after a crash it is looked up before anything
is posted again; what cannot be decided is shown, never posted blind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from schedule_env import LIST, SCHEDULE, WHEN, copies, texts_of
from service_env import Env

from tui.api.models import ScheduledMessageCreate
from tui.services.schedule_saving import ScheduleSaving
from tui.services.scheduled import ScheduleMaybeSaved, ScheduleRefused
from tui.store.scheduled_intents import add_intent, open_intents


async def _left_by_a_crash(env: Env, phone: str, text: str, at: datetime = WHEN) -> str:
    """The row a run killed between writing the text down and hearing the answer leaves."""
    now = datetime.now(UTC)
    intent = await env.store.call(add_intent, env.store.sync.db, key=f"k-{text}", phone=phone,
                                  message=text, send_at=at, now=now, server_offset=0.0)
    return intent.key


async def test_the_text_is_on_disk_before_it_is_posted_and_gone_once_saved(env: Env) -> None:
    phone = env.subscribed_phone()
    seen_on_disk: list[list[str]] = []
    inner = env.transport.handle_async_request

    async def looking(request: httpx.Request) -> httpx.Response:
        if (request.method, request.url.path) == SCHEDULE:
            seen_on_disk.append([i.message for i in open_intents(env.store.sync.db)])
        return await inner(request)

    env.transport.handle_async_request = looking  # type: ignore[method-assign]
    saved = await texts_of(env).create(phone, "Doors open at 9", WHEN)
    assert seen_on_disk == [["Doors open at 9"]]
    assert saved.message == "Doors open at 9" and copies(env, phone, "Doors open at 9") == 1
    assert await texts_of(env).saving.intents() == []


async def test_after_a_crash_a_text_the_server_has_is_found_not_posted_again(env: Env) -> None:
    phone = env.subscribed_phone()
    await _left_by_a_crash(env, phone, "Already there")
    await env.client.create_scheduled(ScheduledMessageCreate(
        phone_number=phone, message="Already there", send_at=WHEN))
    posts = env.transport.count(*SCHEDULE)
    recovered = await texts_of(env).saving.recover()
    assert [r.outcome for r in recovered] == ["saved"]
    assert env.transport.count(*SCHEDULE) == posts  # looked up only
    assert copies(env, phone, "Already there") == 1
    assert await texts_of(env).saving.intents() == []


async def test_after_a_crash_a_text_the_server_never_got_is_posted_once(env: Env) -> None:
    phone = env.subscribed_phone()
    await _left_by_a_crash(env, phone, "Never arrived")
    recovered = await texts_of(env).saving.recover()
    assert [r.outcome for r in recovered] == ["saved"]
    assert env.transport.count(*LIST) >= 1 and env.transport.count(*SCHEDULE) == 1
    assert copies(env, phone, "Never arrived") == 1
    assert await texts_of(env).saving.recover() == []  # settled: nothing left to look up


async def test_scheduling_it_again_after_a_crash_finds_the_first_instead_of_a_second(
    env: Env,
) -> None:
    phone = env.subscribed_phone()
    await _left_by_a_crash(env, phone, "Pressed twice")
    await env.client.create_scheduled(ScheduledMessageCreate(
        phone_number=phone, message="Pressed twice", send_at=WHEN))
    again = await texts_of(env).create(phone, "Pressed twice", WHEN)
    assert again.message == "Pressed twice"
    assert copies(env, phone, "Pressed twice") == 1
    assert env.transport.count(*SCHEDULE) == 1  # only the crashed run's post


async def test_an_undecidable_one_is_kept_shown_and_looked_up_when_scheduled_again(
    env: Env,
) -> None:
    phone = env.subscribed_phone()
    env.transport.lose[SCHEDULE] = 1
    env.transport.fail_after_apply[LIST] = 100
    texts = texts_of(env)
    with pytest.raises(ScheduleMaybeSaved, match="Maybe scheduled"):
        await texts.create(phone, "Unknown fate", WHEN)
    [shown] = await texts.saving.intents()
    assert shown.state == "unclear" and "Maybe scheduled" in (shown.last_error or "")
    assert await texts.saving.recover() == []  # left for the person, not posted blind
    env.transport.fail_after_apply[LIST] = 0
    await texts.create(phone, "Unknown fate", WHEN)  # the person tries again: looked up
    assert copies(env, phone, "Unknown fate") == 1 and env.transport.count(*SCHEDULE) == 1
    assert await texts.saving.intents() == []


async def test_a_time_that_passed_while_smsdesk_was_down_is_failed_and_shown(env: Env) -> None:
    phone = env.subscribed_phone()
    await _left_by_a_crash(env, phone, "Too late", at=datetime.now(UTC) - timedelta(minutes=5))
    saving = texts_of(env).saving
    [result] = await saving.recover()
    assert result.outcome == "failed" and "has passed" in result.detail
    [shown] = await saving.intents()
    assert shown.state == "failed" and env.transport.count(*SCHEDULE) == 0
    assert await saving.forget(shown.key) and await saving.intents() == []


async def test_a_clear_refusal_leaves_nothing_behind(env: Env) -> None:
    phone = env.subscribed_phone()
    env.transport.cut[SCHEDULE] = 10
    with pytest.raises(ScheduleRefused, match="Not scheduled after 3 tries"):
        await texts_of(env).create(phone, "Never saved", WHEN)
    assert await texts_of(env).saving.intents() == []


def test_saving_is_built_once_per_section(env: Env) -> None:
    texts = texts_of(env)
    assert isinstance(texts.saving, ScheduleSaving) and texts.saving is texts.saving


async def test_a_crash_left_text_stays_to_look_up_while_the_server_cannot_be_read(
    env: Env,
) -> None:
    phone = env.subscribed_phone()
    await _left_by_a_crash(env, phone, "Offline at start")
    env.transport.down = True
    saving = texts_of(env).saving
    [result] = await saving.recover()
    assert result.outcome == "left"
    [still] = await saving.intents()
    assert still.state == "saving" and env.transport.count(*SCHEDULE) == 0
    env.transport.down = False
    assert [r.outcome for r in await saving.recover()] == ["saved"]
    assert copies(env, phone, "Offline at start") == 1


async def test_the_same_text_scheduled_again_after_it_was_saved_returns_the_saved_one(
    env: Env,
) -> None:
    """A kill after the server saved it but before the person saw "Scheduled." leaves them
    pressing schedule again: the copy saved is returned, not a second one made."""
    phone = env.subscribed_phone()
    texts = texts_of(env)
    first = await texts.create(phone, "Once only", WHEN)
    again = await texts_of(env).create(phone, "Once only", WHEN)
    assert again.id == first.id and copies(env, phone, "Once only") == 1
    assert env.transport.count(*SCHEDULE) == 1
    await env.client.delete_scheduled(first.id)  # cancelled since: a new one may be made
    third = await texts_of(env).create(phone, "Once only", WHEN)
    assert third.id != first.id and env.transport.count(*SCHEDULE) == 2


async def test_scheduling_it_again_while_the_start_up_lookup_has_it_waits_for_its_outcome(
    env: Env,
) -> None:
    import asyncio

    phone = env.subscribed_phone()
    await _left_by_a_crash(env, phone, "Both at once")
    texts = texts_of(env)
    recovered, again = await asyncio.gather(texts.saving.recover(),
                                            texts.create(phone, "Both at once", WHEN))
    assert [r.outcome for r in recovered] == ["saved"]
    assert again.message == "Both at once"
    assert copies(env, phone, "Both at once") == 1 and env.transport.count(*SCHEDULE) == 1
