"""Each fault kind does what it says, deterministically, including "applied but answer lost"."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.sandbox.conftest import FakeTime, small_sandbox
from tui.api.client import MobinitiClient
from tui.api.errors import TransportError
from tui.api.models import MessageCreate
from tui.sandbox import FAULT_KINDS, ChaosConfig


def _phone(sandbox_state: object) -> str:
    contacts = sandbox_state.contacts.values()  # type: ignore[attr-defined]
    return next(c.phone_number for c in contacts if c.subscribed)


async def test_drop_is_a_transport_error_and_applies_nothing(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock)
    before = len(sandbox.state.messages)
    sandbox.chaos.force("drop")
    async with sandbox.http() as client:
        with pytest.raises(httpx.TransportError):
            await client.post("/message", json={"phone_number": _phone(sandbox.state),
                                                 "message": "hi"})
    assert len(sandbox.state.messages) == before


async def test_response_lost_applies_the_send_but_the_client_sees_a_broken_connection(
    clock: FakeTime,
) -> None:
    sandbox = small_sandbox(clock)
    phone = _phone(sandbox.state)
    sandbox.chaos.force("response_lost")
    async with MobinitiClient(sandbox.token, "http://sandbox/v1", transport=sandbox.transport(),
                              clock=clock) as client:
        with pytest.raises(TransportError) as caught:
            await client.send_message(MessageCreate(phone_number=phone, message="was it sent?"))
    assert caught.value.maybe_sent
    sent = [r for r in sandbox.state.messages if r.message == "was it sent?"]
    assert len(sent) == 1 and sent[0].phone_number == phone


async def test_server_errors_and_storms(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, chaos=ChaosConfig(storm_requests=3))
    sandbox.chaos.force("server_error", "server_error", "server_error", "storm")
    async with sandbox.http() as client:
        errors = [await client.get("/groups") for _ in range(3)]
        storm = [await client.get("/groups") for _ in range(3)]
        after = await client.get("/groups")
    assert {e.status_code for e in errors} <= {500, 502, 503}
    assert all(e.headers["X-Request-Id"] for e in errors)
    assert [s.status_code for s in storm] == [429, 429, 429]
    assert all(int(s.headers["Retry-After"]) >= 1 for s in storm)
    assert after.status_code == 200
    assert sandbox.chaos.counts["storm"] == 3


async def test_a_storm_refuses_its_own_route_only_and_its_retry_after_is_honest(
    clock: FakeTime,
) -> None:
    """A storm is one route's (the seed limits each route); waiting the Retry-After it told
    gets through. (Old storms refused the next N requests on any route, and each refusal told
    a fresh random 1-3 s: a client that waited as told was refused again, up to 9 s a storm.)"""
    sandbox = small_sandbox(clock, chaos=ChaosConfig(storm_requests=10))
    sandbox.chaos.force("storm")
    async with sandbox.http() as client:
        first = await client.get("/groups/g1")
        other_route = await client.get("/opt-ins")
        other_id = await client.get("/groups/g2")  # the same route: another id
        told = int(first.headers["Retry-After"])
        clock.advance(told - 0.5)
        early = await client.get("/groups")  # another route still
        same_early = await client.get("/groups/g1")
        clock.advance(0.5)
        after = await client.get("/groups/g1")
    assert first.status_code == 429 and 1 <= told <= 3
    assert other_route.status_code == 200 and early.status_code == 200
    assert other_id.status_code == 429 and int(other_id.headers["Retry-After"]) == told
    assert same_early.status_code == 429 and int(same_early.headers["Retry-After"]) == 1
    assert after.status_code != 429  # waited as told: through
    assert sandbox.chaos.counts["storm"] == 3


async def test_malformed_body_is_cut_json_after_the_request_was_applied(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock)
    sandbox.chaos.force("malformed")
    async with sandbox.http() as client:
        response = await client.post("/groups", json={"name": "Half"})
    assert response.status_code == 201
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert any(g.name == "Half" for g in sandbox.state.groups.values())


async def test_latency_and_slow_body_still_answer_completely(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, chaos=ChaosConfig(latency=(0.05, 0.05),
                                                     slow_body_chunk_delay=0.0))
    sandbox.chaos.force("latency", "slow_body")
    async with sandbox.http() as client:
        started = time.monotonic()
        slow = await client.get("/groups")
        assert time.monotonic() - started >= 0.05
        trickled = await client.get("/groups")
    assert slow.json() == trickled.json()


async def test_chaos_rate_is_deterministic_for_a_seed(clock: FakeTime) -> None:
    kinds = ("server_error", "storm")

    async def run() -> list[int]:
        sandbox = small_sandbox(clock, chaos=ChaosConfig(rate=0.5, kinds=kinds, seed=3))
        async with sandbox.http() as client:
            return [(await client.get("/opt-ins")).status_code for _ in range(30)]

    first, second = await run(), await run()
    assert first == second
    assert 200 in first and 429 in first and {500, 502, 503} & set(first)


def test_unknown_fault_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="response_lost"):
        ChaosConfig(kinds=("nope",))
    assert "response_lost" in FAULT_KINDS
