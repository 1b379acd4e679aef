"""The receiver: secret, content type, size cap, hostile bodies, durable de-duplicated storage."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.events.hostile_bodies import HOSTILE
from tests.events.seed_bodies import (
    FORM,
    JSON,
    MOBINITI_DELIVERY,
    MOBINITI_INBOUND,
    OPTIT_SUBSCRIBE,
    SKYCORE_SUBSCRIBE,
    XML,
)
from tui.events.receiver import ReceiverConfig, create_receiver
from tui.store import open_store

SECRET = "s3cret-for-tests"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_receiver(ReceiverConfig(tmp_path / "events.db", SECRET, max_body=64 * 1024))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://receiver") as http:
        yield http
    app.state.stores.close()


def stored(tmp_path: Path) -> list[str]:
    store = open_store(tmp_path / "events.db")
    try:
        return [e.kind for e in reversed(store.list_received_events(limit=1000))]
    finally:
        store.close()


async def post(client: httpx.AsyncClient, path: str, body: bytes, content_type: str, *,
               secret: str | bytes | None = SECRET) -> httpx.Response:
    headers: dict[str, str | bytes] = {"content-type": content_type}
    if secret is not None:
        headers["X-Webhook-Secret"] = secret
    return await client.post(path, content=body, headers=headers)


async def test_a_good_event_is_stored_and_answered_200(client: httpx.AsyncClient,
                                                       tmp_path: Path) -> None:
    response = await post(client, "/webhooks/mobiniti", MOBINITI_INBOUND, JSON)
    assert response.status_code == 200
    assert response.json() == {"stored": 1, "duplicates": 0}
    assert stored(tmp_path) == ["inbound_message"]


async def test_a_retried_identical_webhook_is_stored_once(client: httpx.AsyncClient,
                                                          tmp_path: Path) -> None:
    for path, body, ctype in [("/webhooks/mobiniti/inbound_message", MOBINITI_INBOUND, JSON),
                              ("/webhooks/mobiniti", MOBINITI_DELIVERY, JSON),
                              ("/webhooks/optit", OPTIT_SUBSCRIBE, FORM),
                              ("/webhooks/skycore", SKYCORE_SUBSCRIBE, XML)]:
        first = await post(client, path, body, ctype)
        again = await post(client, path, body, ctype)
        assert first.json() == {"stored": 1, "duplicates": 0}
        assert again.status_code == 200 and again.json() == {"stored": 0, "duplicates": 1}
    assert stored(tmp_path) == ["inbound_message", "delivery_report", "subscribe", "subscribe"]


async def test_the_secret_may_come_in_the_query(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/webhooks/optit?secret={SECRET}", content=OPTIT_SUBSCRIBE,
                                 headers={"content-type": FORM})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "secret", [None, "", "wrong", SECRET[:-1], SECRET + "x", "ä".encode("latin-1") * 9])
async def test_without_the_right_secret_401(client: httpx.AsyncClient, tmp_path: Path,
                                            secret: str | bytes | None) -> None:
    response = await post(client, "/webhooks/mobiniti", MOBINITI_INBOUND, JSON, secret=secret)
    assert response.status_code == 401
    assert stored(tmp_path) == []


async def test_wrong_content_type_is_415(client: httpx.AsyncClient) -> None:
    assert (await post(client, "/webhooks/skycore", SKYCORE_SUBSCRIBE, JSON)).status_code == 415
    assert (await post(client, "/webhooks/mobiniti", MOBINITI_INBOUND, "")).status_code == 415


async def test_a_body_over_the_cap_is_413_while_it_streams(client: httpx.AsyncClient) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(10_000):
            sent += 1
            yield b" " * 4096

    response = await client.post("/webhooks/mobiniti", content=endless(), headers={
        "content-type": JSON, "X-Webhook-Secret": SECRET})
    assert response.status_code == 413
    big = await post(client, "/webhooks/mobiniti", b" " * 70_000 + b"{}", JSON)
    assert big.status_code == 413


async def test_unknown_paths_and_methods(client: httpx.AsyncClient) -> None:
    assert (await post(client, "/webhooks/nobody", b"{}", JSON)).status_code == 404
    assert (await post(client, "/webhooks/mobiniti/nonsense", MOBINITI_INBOUND,
                       JSON)).status_code == 404
    assert (await client.get("/webhooks/mobiniti")).status_code == 405


GOOD = [("/webhooks/mobiniti", JSON), ("/webhooks/optit", FORM), ("/webhooks/skycore", XML)]


def good_body(n: int) -> tuple[str, bytes, str]:
    path, ctype = GOOD[n % 3]
    if ctype == JSON:
        return path, MOBINITI_INBOUND.replace(b"example message", b"message %d" % n), ctype
    if ctype == FORM:
        return path, OPTIT_SUBSCRIBE.replace(b"req-1001", b"req-%d" % n), ctype
    return path, SKYCORE_SUBSCRIBE.replace(b"14:32:23", b"14:%02d:23" % (n % 60)), ctype


async def test_hostile_bodies_get_4xx_and_good_ones_between_them_are_all_stored(
        client: httpx.AsyncClient, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert len(HOSTILE) >= 25
    counter = itertools.count()
    answers = {}
    for name, provider, ctype, body in HOSTILE:
        path, good, good_type = good_body(next(counter))
        assert (await post(client, path, good, good_type)).status_code == 200
        response = await post(client, f"/webhooks/{provider}", body, ctype)
        answers[name] = response.status_code
        assert "error" in response.json()
    path, good, good_type = good_body(next(counter))
    assert (await post(client, path, good, good_type)).status_code == 200
    assert all(400 <= status < 500 for status in answers.values()), answers
    assert len(stored(tmp_path)) == len(HOSTILE) + 1
    refused = [r for r in caplog.records if r.name == "smsdesk.webhooks"]
    assert len(refused) == len(HOSTILE)
    assert not any("\x1b" in r.getMessage() for r in refused)


async def test_two_receivers_on_one_store_store_a_retried_event_once(tmp_path: Path) -> None:
    """Several workers (each its own connection, no shared memory) share the store safely."""
    import asyncio

    apps = [create_receiver(ReceiverConfig(tmp_path / "events.db", SECRET)) for _ in range(2)]
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://r")
               for a in apps]
    try:
        bodies = [good_body(n) for n in range(12)]
        answers = await asyncio.gather(*(
            post(client, path, body, ctype)
            for path, body, ctype in bodies for client in clients))
        assert all(a.status_code == 200 for a in answers)
        assert sum(a.json()["stored"] for a in answers) == len(bodies)
        assert sum(a.json()["duplicates"] for a in answers) == len(bodies)
        assert len(stored(tmp_path)) == len(bodies)
    finally:
        for client in clients:
            await client.aclose()
        for app in apps:
            app.state.stores.close()


async def test_a_store_that_cannot_be_written_answers_503_so_the_provider_retries(
        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    app = create_receiver(ReceiverConfig(blocker / "events.db", SECRET))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://r") as http:
        response = await post(http, "/webhooks/mobiniti", MOBINITI_INBOUND, JSON)
    assert response.status_code == 503
    assert "retry" in response.json()["error"]
