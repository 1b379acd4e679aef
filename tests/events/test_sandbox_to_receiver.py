"""The sandbox's webhooks of every kind, posted to the real receiver: all accepted and stored."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.sandbox.conftest import FakeTime
from tui.events.receiver import ReceiverConfig, create_receiver
from tui.sandbox import SandboxConfig, create_app
from tui.store import open_store


async def test_every_sandbox_webhook_kind_is_accepted_by_the_receiver(tmp_path: Path) -> None:
    clock = FakeTime()
    receiver = create_receiver(ReceiverConfig(tmp_path / "store.db", "contract-secret"))
    sandbox = create_app(
        SandboxConfig(contacts=30, rate_limit=False, reply_probability=0.0, failure_rate=1.0,
                      webhook_url="http://receiver/webhooks/mobiniti",
                      webhook_secret="contract-secret", clock=clock.now),
        monotonic=clock.monotonic, webhook_transport=httpx.ASGITransport(app=receiver))
    people = [c for c in sandbox.state.contacts.values() if c.subscribed]
    sandbox.simulate_inbound(people[0].phone_number, "Are you open?")
    sandbox.simulate_inbound(people[1].phone_number, "STOP")
    sandbox.traffic.simulate_contact_status(people[2].id, "transferred")
    async with sandbox.http() as http:
        for person in people[3:20]:
            sent = await http.post("/message", json={"phone_number": person.phone_number,
                                                     "message": f"Hi {person.first_name}"})
            assert sent.status_code == 201
    sandbox.deliver_pending(clock.advance(5))
    await sandbox.webhooks.deliver_due()
    try:
        assert sandbox.webhooks.given_up == []
        sent_kinds = {kind for kind, _ in sandbox.webhooks.delivered}
        assert sent_kinds == {"inbound_message", "unsubscribe", "contact_status",
                              "delivery_report", "rejection", "bounced_message"}
        store = open_store(tmp_path / "store.db")
        stored = {e.kind for e in store.list_received_events(limit=1000)}
        store.close()
        assert stored == {"inbound_message", "unsubscribe", "contact_status", "delivery_report",
                          "rejected", "bounced"}
        assert len(sandbox.webhooks.delivered) >= 40
    finally:
        receiver.state.stores.close()
        await sandbox.webhooks.aclose()
