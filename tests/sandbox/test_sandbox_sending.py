"""Sending makes outgoing texts with receipts; schedules fire; keywords act; contacts answer."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.sandbox.conftest import FakeTime, small_sandbox
from tui.api import models as m
from tui.sandbox import Sandbox, SandboxConfig, create_app


def _subscribed(sandbox: Sandbox) -> str:
    return next(c.phone_number for c in sandbox.state.contacts.values() if c.subscribed)


def _unsubscribed(sandbox: Sandbox) -> str:
    contact = next(c for c in sandbox.state.contacts.values() if c.subscribed)
    sandbox.state.unsubscribe(contact)
    return contact.phone_number


async def test_send_creates_outgoing_then_receipts_arrive_after_the_delay(
    sandbox: Sandbox, http: httpx.AsyncClient, clock: FakeTime,
) -> None:
    phone = _subscribed(sandbox)
    response = await http.post("/message", json={"phone_number": phone, "message": "hi!",
                                                 "metadata": {"smsdesk_key": "k1"}})
    assert response.status_code == 201
    sent = m.Message.model_validate(response.json()["data"])
    assert sent.direction == "outgoing" and sent.metadata == {"smsdesk_key": "k1"}
    receipt = (await http.get(f"/messages/{sent.id}", params={"include": "receipt"})).json()
    assert receipt["data"]["receipt"]["code"] == "136"
    assert sandbox.deliver_pending(clock.advance(0.5)) == []
    clock.advance(0.6)
    assert sandbox.deliver_pending() == []            # 137: dispatched, not final
    assert sandbox.state.messages_by_id[sent.id].receipt_code == "137"
    delivered = sandbox.deliver_pending(clock.advance(1.0))
    assert [d.id for d in delivered] == [sent.id]
    assert delivered[0].receipt is not None and delivered[0].receipt.success


async def test_phone_number_spellings_are_normalised(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    phone = _subscribed(sandbox)
    national = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
    response = await http.post("/message", json={"phone_number": national, "message": "x"})
    assert response.json()["data"]["phone_number"] == phone


async def test_opted_out_number_is_refused_everywhere(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    phone = _unsubscribed(sandbox)
    contact_id = sandbox.state.contacts_by_phone[phone]
    before = len(sandbox.state.messages)
    one = await http.post("/message", json={"phone_number": phone, "message": "hi"})
    assert one.json()["errors"] == {"phone_number": ["The contact has unsubscribed."]}
    to_contact = await http.post("/messages", json={"contact_id": contact_id, "message": "hi"})
    assert to_contact.json()["errors"] == {"contact_id": ["The contact has unsubscribed."]}
    batch = await http.post("/message/batch", json={
        "message": "no", "phone_numbers": [_subscribed(sandbox), phone]})
    assert batch.status_code == 422
    assert batch.json()["errors"] == {"phone_numbers.1": ["The contact has unsubscribed."]}
    assert len(sandbox.state.messages) == before, "a refused batch sends nothing"


async def test_batch_sends_one_text_to_every_number(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    phones = [c.phone_number for c in sandbox.state.contacts.values() if c.subscribed][:3]
    national = [phones[0], phones[1][2:], int(phones[2][1:])]  # +1…, 10 digits, a JSON number
    response = await http.post("/message/batch", json={
        "message": "hello all", "phone_numbers": national, "metadata": {"smsdesk_key": "b1"}})
    assert response.status_code == 201
    data = response.json()["data"]
    assert [d["phone_number"] for d in data] == phones
    assert {d["message"] for d in data} == {"hello all"}
    assert {d["metadata"]["smsdesk_key"] for d in data} == {"b1"}


async def test_mark_read_and_unread(sandbox: Sandbox, http: httpx.AsyncClient) -> None:
    unread = next(r for r in sandbox.state.messages if r.direction == "incoming" and not r.read)
    response = await http.put(f"/messages/{unread.id}", json={"read": True})
    assert response.json()["data"]["read"] is True and unread.read
    missing = await http.put(f"/messages/{unread.id}", json={})
    assert missing.status_code == 422 and "read" in missing.json()["errors"]


async def test_due_scheduled_message_is_sent_at_its_time(
    sandbox: Sandbox, http: httpx.AsyncClient, clock: FakeTime,
) -> None:
    phone = _subscribed(sandbox)
    send_at = m.format_timestamp(clock.now() + timedelta(minutes=5))
    created = await http.post("/message/schedule", json={"phone_number": phone,
                                                         "message": "later", "send_at": send_at})
    assert created.status_code == 201
    scheduled_id = created.json()["data"]["id"]
    assert sandbox.run_due_scheduled(clock.now() + timedelta(minutes=4)) == []
    done = sandbox.run_due_scheduled(clock.advance(301))
    assert [d.id for d in done] == [scheduled_id] and done[0].status == "sent"
    sent = sandbox.state.messages_by_id[done[0].message_id or ""]
    assert (sent.phone_number, sent.message, sent.direction) == (phone, "later", "outgoing")
    again = await http.put(f"/message/schedule/{scheduled_id}", json={"message": "x"})
    assert again.status_code == 422


async def test_scheduled_in_the_past_is_refused(sandbox: Sandbox, http: httpx.AsyncClient,
                                                clock: FakeTime) -> None:
    response = await http.post("/messages/schedule", json={
        "phone_number": _subscribed(sandbox), "message": "x",
        "send_at": m.format_timestamp(clock.now() - timedelta(minutes=1))})
    assert response.json()["errors"]["send_at"] == ["The send at must be a date after now."]


async def test_stop_unsubscribes_and_start_resubscribes(sandbox: Sandbox) -> None:
    phone = _subscribed(sandbox)
    contact = sandbox.state.contact_by_phone(phone)
    assert contact is not None
    sandbox.simulate_inbound(phone, "Stop")
    assert contact.unsubscribed_at is not None
    assert sandbox.state.messages[-1].message.startswith("You have been unsubscribed")
    sandbox.simulate_inbound(phone, "START")
    assert contact.subscribed
    assert sandbox.state.messages[-2].type_name == "INCOMING_KEYWORD"


async def test_help_gets_the_help_text_and_keyword_joins_the_group(sandbox: Sandbox) -> None:
    phone = _subscribed(sandbox)
    sandbox.simulate_inbound(phone, "help")
    assert "Reply STOP" in sandbox.state.messages[-1].message
    contact = sandbox.state.contact_by_phone(phone)
    vip = sandbox.state.group_by_keyword("VIP")
    assert contact is not None and vip is not None
    sandbox.simulate_inbound(phone, "vip")
    assert vip.id in contact.groups and contact.id in vip.members


async def test_contacts_answer_texts_when_they_feel_like_it(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, reply_probability=1.0, reply_delay=(5.0, 5.0))
    phone = _subscribed(sandbox)
    sandbox.state.record_outgoing(phone, "How was your visit?")
    sandbox.step(clock.advance(3))
    assert sandbox.state.messages[-1].direction == "outgoing"
    sandbox.step(clock.advance(6))
    last = sandbox.state.messages[-1]
    assert (last.direction, last.phone_number, last.read) == ("incoming", phone, False)


async def test_inbound_rate_makes_texts_arrive_by_themselves(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock, inbound_rate=60.0)
    before = len(sandbox.state.messages)
    sandbox.step(clock.now())
    for _ in range(60):
        sandbox.step(clock.advance(1))
    arrived = [r for r in sandbox.state.messages[before:] if r.direction == "incoming"]
    assert 20 <= len(arrived) <= 120


async def test_unsubscribe_batch_reports_unknown_numbers(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    phone = _subscribed(sandbox)
    response = await http.patch("/contacts/unsubscribe",
                                json={"phone_numbers": [phone, "+14155238886"]})
    assert response.json()["data"] == {"unsubscribed": [phone], "not_found": ["+14155238886"]}
    contact = sandbox.state.contact_by_phone(phone)
    assert contact is not None and not contact.subscribed


async def test_group_membership_round_trip(sandbox: Sandbox, http: httpx.AsyncClient) -> None:
    group = (await http.post("/groups", json={"name": "Testers", "keyword": "test1"})).json()
    assert group["data"]["keyword"]["keyword"] == "TEST1"
    contact_id = next(iter(sandbox.state.contacts))
    added = await http.post(f"/contacts/{contact_id}/groups",
                            json={"group_id": group["data"]["id"]})
    assert added.status_code == 201
    assert group["data"]["id"] in [g["id"] for g in added.json()["data"]["groups"]]
    members = (await http.get(f"/groups/{group['data']['id']}/contacts")).json()["data"]
    assert [c["id"] for c in members] == [contact_id]
    removed = await http.delete(f"/contacts/{contact_id}/groups/{group['data']['id']}")
    assert removed.status_code == 204
    assert (await http.get(f"/groups/{group['data']['id']}/contacts")).json()["data"] == []
    taken = await http.post("/groups", json={"name": "Again", "keyword": "TEST1"})
    assert taken.json()["errors"]["keyword"] == ["The keyword has already been taken."]


async def test_lookup_gives_stable_fake_carriers(http: httpx.AsyncClient) -> None:
    body = {"phone_numbers": ["+14155238886", "not a number"]}
    first = (await http.post("/phone-numbers/lookup", json=body)).json()["data"]
    second = (await http.post("/phone-numbers/lookup", json=body)).json()["data"]
    assert first == second
    assert first[0]["valid"] is True and first[0]["carrier"]["country"] == "US"
    assert first[1] == {"phone_number": "not a number", "valid": False, "line_type": "unknown",
                        "carrier": None}


async def test_a_contact_created_through_the_api_is_pending_until_it_opts_in(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    created = await http.post("/contacts", json={"phone_number": 16461234567})  # ProTexting's
    assert created.status_code == 201
    phone = created.json()["data"]["phone_number"]
    refused = await http.post("/message", json={"phone_number": phone, "message": "hi"})
    assert refused.status_code == 422 and "pending" in refused.json()["errors"]["phone_number"][0]
    status = await http.get(f"/contacts/{created.json()['data']['id']}",
                            params={"include": "status"})
    assert status.json()["data"]["status"]["pending"] is True
    sandbox.simulate_inbound(phone, "YES")
    sent = await http.post("/message", json={"phone_number": phone, "message": "hi"})
    assert sent.status_code == 201


async def test_texts_to_unready_numbers_can_be_accepted_then_rejected_by_webhook() -> None:
    sandbox = create_app(SandboxConfig(contacts=10, rate_limit=False, failure_rate=0.0,
                                       reply_probability=0.0, unready_texts="reject_later"))
    stopped = next(iter(sandbox.state.contacts.values()))
    sandbox.state.unsubscribe(stopped)
    async with sandbox.http() as http:
        accepted = await http.post("/message", json={"phone_number": stopped.phone_number,
                                                     "message": "promo", "from": "+15555555555"})
    assert accepted.status_code == 201
    sandbox.deliver_pending(sandbox.state.now() + timedelta(seconds=10))
    record = sandbox.state.messages_by_id[accepted.json()["data"]["id"]]
    assert record.receipt_code == "105"
    rejection = [p for kind, p in sandbox.webhooks.emitted if kind == "rejection"]
    assert rejection and rejection[-1]["description"] == "Unsubscribed"
    assert rejection[-1]["message"] == "promo"
