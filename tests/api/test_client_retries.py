"""Retries: reads and updates retry with backoff; a text is never sent twice."""

from __future__ import annotations

import random

import httpx
import pytest
from api_fakes import BASE, SAMPLES, TOKEN, FakeClock, Script, ok

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.errors import RateLimited, ServerError, TransportError
from tui.api.rate import RateScheduler
from tui.api.transport import ConnectionState

TEXT = m.MessageCreate(phone_number="+15551230001", message="See you at 5")
MESSAGE = ok({"data": SAMPLES[m.Message]}, 201)


def make(script: Script, clock: FakeClock, **kw: object) -> MobinitiClient:
    return MobinitiClient(TOKEN, BASE, transport=script.transport, clock=clock,
                          scheduler=RateScheduler(clock=clock), rng=random.Random(1),
                          **kw)  # type: ignore[arg-type]


async def test_get_is_retried_after_5xx_with_growing_jittered_backoff() -> None:
    clock = FakeClock()
    script = Script(ok({}, 502), ok({}, 503), ok({"data": SAMPLES[m.Group]}))
    states: list[ConnectionState] = []
    client = MobinitiClient(TOKEN, BASE, transport=script.transport, clock=clock,
                            scheduler=RateScheduler(per_second=100.0, clock=clock))
    async with client:
        client.on_status = states.append
        group = await client.get_group("g1")
    assert group.id == "g1" and len(script.requests) == 3
    backoffs = clock.sleeps
    assert len(backoffs) == 2
    assert 0.25 <= backoffs[0] <= 0.5 and 0.5 <= backoffs[1] <= 1.0
    assert [s.kind for s in states] == ["retrying", "retrying", "online"]
    assert str(states[0]).startswith("retrying in")


async def test_put_is_retried_after_a_read_timeout() -> None:
    clock = FakeClock()
    script = Script(httpx.ReadTimeout("slow"), ok({"data": SAMPLES[m.Message]}))
    async with make(script, clock) as client:
        await client.update_message("m1", m.MessageUpdate(read=True))
    assert len(script.requests) == 2


async def test_text_after_read_timeout_is_not_resent_and_may_have_gone() -> None:
    script = Script(httpx.ReadTimeout("no answer"), MESSAGE)
    async with make(script, FakeClock()) as client:
        with pytest.raises(TransportError) as caught:
            await client.send_message(TEXT)
    assert caught.value.maybe_sent is True and caught.value.status == 0
    assert "may have reached" in str(caught.value)
    assert len(script.requests) == 1


@pytest.mark.parametrize("exc", [httpx.RemoteProtocolError("dropped"), httpx.WriteTimeout("w")])
async def test_text_after_a_broken_connection_is_not_resent(exc: Exception) -> None:
    script = Script(exc, MESSAGE)
    async with make(script, FakeClock()) as client:
        with pytest.raises(TransportError) as caught:
            await client.send_to_contact(m.ContactMessageCreate(contact_id="c1", message="hi"))
    assert caught.value.maybe_sent is True and len(script.requests) == 1


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
async def test_text_is_retried_when_it_provably_never_left(exc: Exception) -> None:
    script = Script(exc, MESSAGE)
    async with make(script, FakeClock()) as client:
        sent = await client.send_message(TEXT)
    assert sent.id == "m1" and len(script.requests) == 2


async def test_batch_after_5xx_is_not_resent() -> None:
    script = Script(ok({}, 500), MESSAGE)
    batch = m.MessageBatchCreate(message="x", phone_numbers=["+1555"])
    async with make(script, FakeClock()) as client:
        with pytest.raises(ServerError) as caught:
            await client.send_batch(batch)
    assert caught.value.maybe_sent is True and len(script.requests) == 1


async def test_create_contact_is_not_retried_after_5xx_but_is_after_connect_error() -> None:
    created = ok({"data": SAMPLES[m.Contact]}, 201)
    body = m.ContactCreate(phone_number="+15551230001")
    script = Script(ok({}, 500))
    async with make(script, FakeClock()) as client:
        with pytest.raises(ServerError):
            await client.create_contact(body)
    assert len(script.requests) == 1
    script = Script(httpx.ConnectError("refused"), created)
    async with make(script, FakeClock()) as client:
        await client.create_contact(body)
    assert len(script.requests) == 2


async def test_text_refused_with_429_waits_as_told_and_is_sent_once() -> None:
    clock = FakeClock()
    script = Script(ok({"status": 429, "message": "Too Many Attempts."}, 429,
                       **{"Retry-After": "5"}), MESSAGE)
    async with make(script, clock) as client:
        start = clock.now
        await client.send_message(TEXT)
    assert len(script.requests) == 2
    assert clock.now - start >= 5.0


async def test_429_storm_gives_up_after_max_retries() -> None:
    clock = FakeClock()
    storm = [ok({"message": "slow down"}, 429, **{"Retry-After": "2"}) for _ in range(3)]
    script = Script(*storm)
    async with make(script, clock, max_retries=2) as client:
        with pytest.raises(RateLimited):
            await client.list_contacts()
    assert len(script.requests) == 3


async def test_connection_goes_offline_when_retries_run_out() -> None:
    clock = FakeClock()
    script = Script(*[httpx.ConnectError("down") for _ in range(4)])
    states: list[ConnectionState] = []
    async with make(script, clock, max_retries=3) as client:
        client.on_status = states.append
        with pytest.raises(TransportError) as caught:
            await client.list_contacts()
    assert caught.value.maybe_sent is False
    assert [s.kind for s in states] == ["retrying"] * 3 + ["offline"]
    assert client.connection is not None and client.connection.kind == "offline"


async def test_a_failing_status_callback_does_not_break_requests() -> None:
    def broken(state: ConnectionState) -> None:
        raise RuntimeError("status bar gone")

    script = Script(ok({"data": SAMPLES[m.Group]}))
    async with make(script, FakeClock()) as client:
        client.on_status = broken
        assert (await client.get_group("g1")).id == "g1"


def test_a_missing_token_is_refused_with_what_to_do() -> None:
    with pytest.raises(ValueError, match="config set token"):
        MobinitiClient("  ")


async def test_one_5xx_to_a_text_does_not_show_offline_but_5xx_after_retries_does() -> None:
    states: list[ConnectionState] = []
    script = Script(ok({}, 500))
    async with make(script, FakeClock()) as client:
        client.on_status = states.append
        with pytest.raises(ServerError):
            await client.send_message(TEXT)
    assert states == []
    script = Script(*[ok({}, 503) for _ in range(2)])
    async with make(script, FakeClock(), max_retries=1) as client:
        client.on_status = states.append
        with pytest.raises(ServerError):
            await client.list_groups()
    assert [s.kind for s in states] == ["retrying", "offline"]
