"""Webhooks carry seed 002's field names and are retried politely when the receiver is down."""

from __future__ import annotations

import json

import httpx

from tests.sandbox.conftest import FakeTime
from tui.sandbox import SandboxConfig, create_app
from tui.sandbox.webhooks import SECRET_HEADER


class Receiver:
    """A fake receiver that is down for the first ``failures`` posts."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.seen: list[tuple[str, dict[str, object], dict[str, str]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.failures > 0:
            self.failures -= 1
            raise httpx.ConnectError("receiver down", request=request)
        # The kind is only in the URL, as with the real service's per-kind settings.
        assert request.url.path.startswith("/hooks/")
        self.seen.append((request.url.path.rsplit("/", 1)[1], json.loads(request.content),
                          dict(request.headers)))
        return httpx.Response(200)


def _sandbox(clock: FakeTime, receiver: Receiver, **options: object):  # type: ignore[no-untyped-def]
    config = SandboxConfig(contacts=20, rate_limit=False, reply_probability=0.0,
                           webhook_url="http://receiver.test/hooks", webhook_secret="s3cret",
                           clock=clock.now, **options)  # type: ignore[arg-type]
    return create_app(config, monotonic=clock.monotonic,
                      webhook_transport=httpx.MockTransport(receiver))


async def test_inbound_stop_and_delivery_produce_seed_shaped_webhooks(clock: FakeTime) -> None:
    receiver = Receiver()
    sandbox = _sandbox(clock, receiver, failure_rate=0.0)
    contact = next(c for c in sandbox.state.contacts.values() if c.subscribed)
    sandbox.simulate_inbound(contact.phone_number, "Are you open?")
    sandbox.simulate_inbound(contact.phone_number, "STOP")
    sandbox.deliver_pending(clock.advance(5))
    await sandbox.webhooks.deliver_due()
    kinds = [kind for kind, _, _ in receiver.seen]
    assert kinds[:3] == ["inbound_message", "inbound_message", "unsubscribe"]
    assert "delivery_report" in kinds
    inbound = receiver.seen[0][1]
    assert set(inbound) == {"id", "first_name", "last_name", "email", "short_code",
                            "phone_number", "message", "unsubscribed_at", "created_at",
                            "updated_at", "received_at"}
    assert inbound["message"] == "Are you open?" and inbound["short_code"] == "64600"
    unsubscribe = receiver.seen[2][1]
    assert set(unsubscribe) == {"id", "first_name", "last_name", "email", "phone_number", "to",
                                "unsubscribed_at", "created_at", "updated_at"}
    assert unsubscribe["to"] == "64600" and unsubscribe["unsubscribed_at"]
    report = next(p for k, p, _ in receiver.seen if k == "delivery_report")
    assert report["total_messages"] == 1
    status = report["statuses"][0]  # type: ignore[index]
    assert set(status) == {"code", "status", "count", "recipients", "success", "bounce"}
    assert set(report["messages"][0]) == {"id", "from", "message", "phone_number", "metadata"}  # type: ignore[index]
    assert receiver.seen[0][2][SECRET_HEADER.lower()] == "s3cret"


async def test_failed_delivery_sends_rejection_and_bounce(clock: FakeTime) -> None:
    receiver = Receiver()
    sandbox = _sandbox(clock, receiver, failure_rate=1.0)
    contact = next(c for c in sandbox.state.contacts.values() if c.subscribed)
    sandbox.state.record_outgoing(contact.phone_number, "hello")
    # force a bounce code so the bounced webhook is certain
    for entry in sandbox.traffic._receipts:
        if entry[3] != "137":
            sandbox.traffic._receipts.remove(entry)
            sandbox.traffic._receipts.append((entry[0], entry[1], entry[2], "101"))
    sandbox.deliver_pending(clock.advance(5))
    await sandbox.webhooks.deliver_due()
    by_kind = {k: p for k, p, _ in receiver.seen}
    assert by_kind["rejection"] == {"code": "101", "message": "hello",
                                    "description": "The MSISDN is inactive or no longer active."}
    assert by_kind["bounced_message"]["bounces"] == 1
    assert by_kind["delivery_report"]["statuses"][0]["bounce"] is True  # type: ignore[index]


async def test_contact_status_webhook(clock: FakeTime) -> None:
    receiver = Receiver()
    sandbox = _sandbox(clock, receiver)
    contact = sandbox.traffic.simulate_contact_status(status="transferred")
    await sandbox.webhooks.deliver_due()
    kind, payload, _ = receiver.seen[0]
    assert contact is not None and kind == "contact_status"
    assert payload["status"] == "transferred" and "previous_phone_number" in payload


async def test_receiver_down_is_retried_with_backoff_then_delivered(clock: FakeTime) -> None:
    receiver = Receiver(failures=2)
    sandbox = _sandbox(clock, receiver)
    sandbox.simulate_inbound(next(iter(sandbox.state.contacts.values())).phone_number, "hi")
    assert await sandbox.webhooks.deliver_due() == 0
    assert await sandbox.webhooks.deliver_due() == 0, "not due again before the backoff"
    clock.advance(0.5)
    assert await sandbox.webhooks.deliver_due() == 0
    clock.advance(1.0)
    assert await sandbox.webhooks.deliver_due() == 1
    assert [k for k, _, _ in receiver.seen] == ["inbound_message"]


async def test_gives_up_after_the_last_attempt(clock: FakeTime) -> None:
    receiver = Receiver(failures=100)
    sandbox = _sandbox(clock, receiver, webhook_max_attempts=3)
    sandbox.simulate_inbound(next(iter(sandbox.state.contacts.values())).phone_number, "hi")
    for _ in range(5):
        await sandbox.webhooks.deliver_due()
        clock.advance(10)
    assert sandbox.webhooks.pending == 0
    assert [k for k, _ in sandbox.webhooks.given_up] == ["inbound_message"]


async def test_background_sender_never_blocks_requests(clock: FakeTime) -> None:
    receiver = Receiver(failures=1000)
    sandbox = _sandbox(clock, receiver)
    await sandbox.start()
    try:
        async with sandbox.http() as client:
            for _ in range(5):
                sandbox.simulate_inbound(
                    next(iter(sandbox.state.contacts.values())).phone_number, "hi")
                assert (await client.get("/opt-ins")).status_code == 200
    finally:
        await sandbox.stop()


async def test_each_kind_goes_to_its_own_url_and_no_header_names_it(clock: FakeTime) -> None:
    posted: list[tuple[str, str]] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        assert "x-webhook-event" not in request.headers
        posted.append((request.url.host, request.url.path))
        return httpx.Response(200)

    config = SandboxConfig(contacts=20, rate_limit=False, reply_probability=0.0, failure_rate=0.0,
                           webhook_url="http://hooks.test/webhooks/mobiniti",
                           webhook_urls={"delivery_report": "http://dlr.test/reports"},
                           clock=clock.now)
    sandbox = create_app(config, monotonic=clock.monotonic,
                         webhook_transport=httpx.MockTransport(receiver))
    contact = next(c for c in sandbox.state.contacts.values() if c.subscribed)
    sandbox.simulate_inbound(contact.phone_number, "STOP")
    sandbox.state.record_outgoing(next(c.phone_number for c in sandbox.state.contacts.values()
                                       if c.subscribed), "hello")
    sandbox.deliver_pending(clock.advance(5))
    await sandbox.webhooks.deliver_due()
    assert ("hooks.test", "/webhooks/mobiniti/inbound_message") in posted
    assert ("hooks.test", "/webhooks/mobiniti/unsubscribe") in posted
    assert ("dlr.test", "/reports") in posted
    assert not any(path.endswith("delivery_report") for _, path in posted)
    await sandbox.stop()
