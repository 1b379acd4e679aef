"""Effects of provider events: texts join conversations once, opt-outs, receipts, rejections."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.events.seed_bodies import (
    FORM,
    JSON,
    MOBINITI_DELIVERY,
    MOBINITI_INBOUND,
    MOBINITI_REJECTION,
    OPTIT_UNSUBSCRIBE,
    SKYCORE_SUBSCRIBE,
    XML,
    optit_send_result,
)
from tests.store.store_factories import T0, contact, message
from tui.events import parse
from tui.events.receiver import stored_form
from tui.services.events import EventFeed, EventsApplied
from tui.store import AsyncStore, open_store

PHONE = "+19999999999"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[AsyncStore]:
    s = AsyncStore(open_store(tmp_path / "s.db"))
    yield s
    await s.close()


async def deliver(store: AsyncStore, provider: str, body: bytes, ctype: str) -> EventsApplied:
    await store.call(store.sync.add_events, [stored_form(e) for e in parse(provider, body, ctype)])
    seen: list[EventsApplied] = []
    feed = EventFeed(store, on_applied=seen.append, now=lambda: T0 + timedelta(minutes=5))
    applied = await feed.apply_pending()
    assert applied is not None and seen == [applied]
    return applied


def inbound_at(minutes: float, text: str = "Is the shop open?") -> bytes:
    data = json.loads(MOBINITI_INBOUND)
    data.update(message=text, received_at=(T0 + timedelta(minutes=minutes)).isoformat())
    return json.dumps(data).encode()


async def test_an_inbound_webhook_text_lands_in_its_conversation(store: AsyncStore) -> None:
    applied = await deliver(store, "mobiniti", inbound_at(0), JSON)
    assert applied.changed_phones == {PHONE}
    assert [(p, t) for p, t, _ in applied.new_inbound] == [(PHONE, "Is the shop open?")]
    [text] = await store.messages_for(PHONE)
    assert (text.body, text.direction, text.read) == ("Is the shop open?", "incoming", False)
    assert (await store.conversation(PHONE)).unread_count == 1  # type: ignore[union-attr]


async def test_the_poller_later_reads_the_same_text_and_it_is_not_duplicated(
        store: AsyncStore) -> None:
    await deliver(store, "mobiniti", inbound_at(0), JSON)
    result = await store.store_messages([message("srv-1", PHONE, "Is the shop open?",
                                                 minutes=0.02)])
    assert result.new == ()  # not announced twice
    [text] = await store.messages_for(PHONE)
    assert text.id == "srv-1"
    # and again: the server's id is now known, so nothing changes
    await store.store_messages([message("srv-1", PHONE, "Is the shop open?", minutes=0.02)])
    assert len(await store.messages_for(PHONE)) == 1


async def test_a_webhook_after_the_poller_adds_nothing(store: AsyncStore) -> None:
    await store.store_messages([message("srv-1", PHONE, "Is the shop open?")])
    applied = await deliver(store, "mobiniti", inbound_at(0.01), JSON)
    assert applied.new_inbound == ()
    assert len(await store.messages_for(PHONE)) == 1


async def test_stop_by_webhook_shows_the_stop_badge(store: AsyncStore) -> None:
    await deliver(store, "mobiniti", inbound_at(0, "STOP"), JSON)
    conversation = await store.conversation(PHONE)
    assert conversation is not None and conversation.opted_out and "STOP" in conversation.badges


async def test_unsubscribe_updates_contact_mirror_and_badge(store: AsyncStore) -> None:
    phone = "+16501112222"
    await store.upsert_contacts([contact("c1", phone, "Ana")])
    await store.store_messages([message("m1", phone, "hi")])
    await deliver(store, "optit", OPTIT_UNSUBSCRIBE, FORM)
    stored = await store.contact_by_phone(phone)
    assert stored is not None and not stored.subscribed
    assert (await store.conversation(phone)).opted_out  # type: ignore[union-attr]
    await deliver(store, "skycore", SKYCORE_SUBSCRIBE, XML)
    stored = await store.contact_by_phone(phone)
    assert stored is not None and stored.subscribed
    conversation = await store.conversation(phone)
    assert conversation is not None and not conversation.opted_out
    assert "START" in conversation.badges


async def test_an_opt_in_for_a_stranger_makes_no_empty_conversation(store: AsyncStore) -> None:
    await deliver(store, "skycore", SKYCORE_SUBSCRIBE, XML)
    assert await store.conversation("+16501112222") is None


async def test_a_delivery_report_updates_the_text_state(store: AsyncStore) -> None:
    await store.store_messages([message("a8a2b40a-86ae-4a91-a61d-7b7ccfc4b148", PHONE, "x",
                                        direction="outgoing", code="137")])
    for code, state in (("100", "delivered"), ("125", "failed")):
        body = MOBINITI_DELIVERY.replace(b'"code": "100"', f'"code": "{code}"'.encode())
        applied = await deliver(store, "mobiniti", body, JSON)
        assert applied.changed_phones == {PHONE}
        [text] = await store.messages_for(PHONE)
        assert (text.delivery_code, text.delivery_state) == (code, state)


async def test_a_rejection_marks_our_text_failed_with_the_reason_in_the_outbox(
        store: AsyncStore) -> None:
    item = await store.add_outbox(key="k1", phone=PHONE, body="Deal of the day", created_at=T0)
    await store.outbox_sent("k1", message("srv-9", PHONE, "Deal of the day",
                                          direction="outgoing", code="136",
                                          metadata={"smsdesk_key": "k1"}))
    body = MOBINITI_REJECTION.replace(b'"message": ""', b'"message": "Deal of the day"')
    applied = await deliver(store, "mobiniti", body, JSON)
    assert applied.outbox_keys == ("k1",)
    [text] = await store.messages_for(PHONE)
    assert text.delivery_state == "failed"
    outbox = await store.get_outbox(item.key)
    assert outbox is not None and outbox.last_error == "Rejected by mobiniti: Unsubscribed"


async def test_optit_stopped_send_result_opts_the_number_out(store: AsyncStore) -> None:
    await store.store_messages([message("m1", "+16501112222", "hi")])
    await deliver(store, "optit", optit_send_result("3300", "Error - Mobile Number Stopped"),
                  FORM)
    assert (await store.conversation("+16501112222")).opted_out  # type: ignore[union-attr]


async def test_each_event_is_applied_once(store: AsyncStore) -> None:
    await deliver(store, "mobiniti", inbound_at(0), JSON)
    feed = EventFeed(store, on_applied=lambda _: None)
    assert await feed.apply_pending() is None


async def test_the_same_text_sent_twice_is_two_texts(store: AsyncStore) -> None:
    """Webhook texts have no id: "yes" twice in a minute must not be taken for one retry."""
    await deliver(store, "mobiniti", inbound_at(0, "yes"), JSON)
    await deliver(store, "mobiniti", inbound_at(0.5, "yes"), JSON)
    assert [m.body for m in await store.messages_for(PHONE)] == ["yes", "yes"]
    # the poller then reads both: each claims one stand-in, nothing is doubled
    await store.store_messages([message("s1", PHONE, "yes", minutes=0),
                                message("s2", PHONE, "yes", minutes=0.5)])
    assert sorted(m.id for m in await store.messages_for(PHONE)) == ["s1", "s2"]


async def test_poller_first_then_two_webhooks_of_the_same_text(store: AsyncStore) -> None:
    await store.store_messages([message("s1", PHONE, "yes", minutes=0),
                                message("s2", PHONE, "yes", minutes=0.5)])
    await deliver(store, "mobiniti", inbound_at(0, "yes"), JSON)
    await deliver(store, "mobiniti", inbound_at(0.5, "yes"), JSON)
    assert sorted(m.id for m in await store.messages_for(PHONE)) == ["s1", "s2"]


async def test_the_chat_shows_why_a_rejected_text_failed(store: AsyncStore) -> None:
    from tui.conversation_view import chat_item

    await store.add_outbox(key="k1", phone=PHONE, body="Deal of the day", created_at=T0)
    await store.outbox_sent("k1", message("srv-9", PHONE, "Deal of the day",
                                          direction="outgoing", code="137",
                                          metadata={"smsdesk_key": "k1"}))
    body = MOBINITI_REJECTION.replace(b'"message": ""', b'"message": "Deal of the day"')
    await deliver(store, "mobiniti", body, JSON)
    [text] = await store.messages_for(PHONE)
    item = chat_item(text)
    assert (item.state, item.detail) == ("failed", "Rejected by mobiniti: Unsubscribed")
