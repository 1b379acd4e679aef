"""``smsdesk --demo``: the sandbox's webhooks reach the app through the receiver, in-process."""

from __future__ import annotations

from tests.ui.helpers import until
from tui.desk import DeskEvent, EventsArrived
from tui.launch import build_demo_desk


async def test_a_demo_text_arrives_by_webhook_and_joins_its_conversation() -> None:
    desk = build_demo_desk(contacts=40, inbound_rate=0.0)
    arrived: list[EventsArrived] = []

    def heard(event: DeskEvent) -> None:
        if isinstance(event, EventsArrived):
            arrived.append(event)

    desk.listen(heard)
    desk.attach()
    try:
        sandbox = (await desk.services()).sandbox
        assert sandbox is not None
        contact = next(c for c in sandbox.state.contacts.values() if c.unsubscribed_at is None)
        sandbox.simulate_inbound(phone=contact.phone_number, text="hello by webhook")
        await until(lambda: any(e.kind == "inbound_message" and e.text == "hello by webhook"
                                for batch in arrived for e in batch.events), timeout=20)
        bodies = [m.body for m in await desk.store.messages_for(contact.phone_number)]
        assert bodies.count("hello by webhook") == 1
    finally:
        await desk.close()
