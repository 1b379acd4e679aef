"""A text to a number that cannot take it yet (pending opt-in) or any more (unsubscribed) is shown
as failed with its reason, whether the server refuses it at once or rejects it later."""

from __future__ import annotations

from service_env import Env

from tui.services.inbox import InboxPoller
from tui.services.outbox import Outbox


async def test_a_refused_text_to_a_pending_contact_fails_with_the_servers_reason(
    env: Env,
) -> None:
    phone = env.subscribed_phone()
    contact = env.sandbox.state.contact_by_phone(phone)
    assert contact is not None
    contact.pending = True  # created through the API, has not answered the opt-in text
    box = Outbox(env.client, env.store, reconcile_delay=0)
    item = await box.enqueue(phone, "Welcome!")
    await box.process_due()
    failed = await env.store.get_outbox(item.key)
    assert failed is not None and failed.state == "failed"
    assert "pending" in (failed.last_error or "") and "Not sent" in (failed.last_error or "")
    shown = [m for m in await env.store.messages_for(phone) if m.outbox_key == item.key]
    assert shown[0].outbox_state == "failed" and "pending" in (shown[0].last_error or "")
    assert env.copies(phone, "Welcome!") == 0


async def test_a_text_accepted_then_rejected_shows_failed_with_the_receipts_meaning(
    env: Env,
) -> None:
    env.sandbox.state.refuse_unready = False  # this server accepts, then rejects
    phone = env.subscribed_phone()
    contact = env.sandbox.state.contact_by_phone(phone)
    assert contact is not None
    box = Outbox(env.client, env.store, reconcile_delay=0)
    poller = InboxPoller(env.client, env.store, receipts_every=0.0)
    await poller.poll_once()
    env.sandbox.state.unsubscribe(contact)  # STOP from another device, unknown to this app
    item = await box.enqueue(phone, "Last chance!")
    await box.process_due()
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    env.sandbox.deliver_pending(env.sandbox.state.now().replace(year=2100))
    await poller.poll_once()
    shown = [m for m in await env.store.messages_for(phone) if m.outbox_key == item.key]
    assert shown[0].delivery_state == "failed" and shown[0].delivery_code == "105"
    rejected = [p for kind, p in env.sandbox.webhooks.emitted if kind == "rejection"]
    assert rejected[-1] == {"code": "105", "message": "Last chance!",
                            "description": "Unsubscribed"}
