"""The sandbox serves every row of ENDPOINTS in its documented shape, raw and through the client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
from pydantic import BaseModel

from tests.sandbox.conftest import FakeTime, small_sandbox
from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.routes import BY_NAME, ENDPOINTS, Endpoint
from tui.sandbox import Sandbox


def _first(table: dict[str, Any]) -> str:
    return next(iter(table))


def _subscribed(sandbox: Sandbox) -> Any:
    return next(c for c in sandbox.state.contacts.values() if c.subscribed)


def _ids_and_body(sandbox: Sandbox, endpoint: Endpoint, clock: FakeTime
                  ) -> tuple[dict[str, str], dict[str, Any] | None]:
    """Ids that exist and a valid body for one endpoint (deletes get their own fresh object)."""
    state = sandbox.state
    contact = _subscribed(sandbox)
    later = m.format_timestamp(clock.now() + timedelta(days=1))
    ids: dict[str, str] = {}
    kind = endpoint.path.split("/")[1]
    tables: dict[str, dict[str, Any]] = {
        "contacts": state.contacts, "carriers": state.carriers, "groups": state.groups,
        "opt-ins": state.optins, "campaigns": state.campaigns, "coupons": state.coupons,
        "coupon_templates": state.coupon_templates, "messages": state.messages_by_id,
        "message": state.scheduled,
    }
    table = (state.campaign_templates if endpoint.path.startswith("/campaigns/templates")
             else tables.get(kind, {}))
    if "{id}" in endpoint.path:
        ids["id"] = _first(table)
        if endpoint.name == "delete_contact":
            ids["id"] = list(state.contacts)[-1]
        if endpoint.name in ("delete_campaign", "update_campaign"):
            ids["id"] = next(k for k, c in state.campaigns.items() if c.status != "sent")
    if endpoint.name in ("add_contact_group", "remove_contact_group", "update_contact"):
        ids["id"] = contact.id
    if "{group}" in endpoint.path:
        ids["group"] = contact.groups[0] if contact.groups else _first(state.groups)
    bodies: dict[str, dict[str, Any]] = {
        "create_contact": {"phone_number": "+14155238886", "first_name": "Ada"},
        "update_contact": {"first_name": "Grace", "reward_points": 5},
        "unsubscribe_contacts": {"phone_numbers": [contact.phone_number]},
        "add_contact_group": {"group_id": _first(state.groups)},
        "create_group": {"name": "Contract", "keyword": "CONTRACT"},
        "update_group": {"name": "Renamed"},
        "create_campaign": {"name": "C", "message": "M", "send_at": later},
        "update_campaign": {"name": "C2"},
        "create_campaign_template": {"name": "T", "message": "M"},
        "update_campaign_template": {"message": "M2"},
        "create_coupon": {"name": "K", "code": "K1"},
        "update_coupon": {"title": "Title"},
        "update_message": {"read": True},
        "send_to_contact": {"contact_id": contact.id, "message": "hello"},
        "send_message": {"phone_number": contact.phone_number, "message": "hello"},
        "send_batch": {"message": "b", "phone_numbers": [contact.phone_number]},
        "create_scheduled": {"phone_number": contact.phone_number, "message": "s",
                             "send_at": later},
        "update_scheduled": {"message": "s2"},
        "lookup_phone_numbers": {"phone_numbers": [contact.phone_number]},
    }
    if endpoint.name in ("update_scheduled", "get_scheduled", "delete_scheduled"):
        ids["id"] = next(k for k, s in state.scheduled.items() if s.status == "pending")
    return ids, bodies.get(endpoint.name)


def _check_shape(endpoint: Endpoint, response: httpx.Response) -> None:
    expected = 201 if endpoint.method == "POST" else 204 if endpoint.shape == "none" else 200
    if endpoint.name == "lookup_phone_numbers":
        expected = 200
    assert response.status_code == expected, (endpoint.name, response.text)
    assert response.headers["X-Request-Id"]
    model = endpoint.response
    if endpoint.shape == "none":
        assert response.content == b""
        return
    assert model is not None
    body = response.json()
    if endpoint.shape == "page":
        m.Page[model].model_validate(body)  # type: ignore[valid-type]
        assert set(body["meta"]["pagination"]) >= {"total", "count", "per_page", "current_page",
                                                  "total_pages", "links"}
    elif endpoint.shape == "one":
        m.Envelope[model].model_validate(body)  # type: ignore[valid-type]
    else:
        assert isinstance(body["data"], list) and body["data"]
        for item in body["data"]:
            model.model_validate(item)


async def test_every_endpoint_and_alias_answers_in_its_documented_shape(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock)
    walked: set[str] = set()
    async with sandbox.http() as client:
        for endpoint in ENDPOINTS:
            for path in (endpoint.path, *endpoint.aliases):
                if endpoint.method == "DELETE" and path != endpoint.path:
                    continue  # the alias is checked with a fresh object below
                ids, body = _ids_and_body(sandbox, endpoint, clock)
                url = path.format(**ids)
                response = await client.request(endpoint.method, url, json=body)
                _check_shape(endpoint, response)
                walked.add(endpoint.name)
        fresh = await client.post("/messages/schedule", json={
            "phone_number": _subscribed(sandbox).phone_number, "message": "x",
            "send_at": m.format_timestamp(clock.now() + timedelta(hours=1))})
        gone = await client.delete(f"/messages/schedule/{fresh.json()['data']['id']}")
        assert gone.status_code == 204
    assert walked == set(BY_NAME)


async def test_every_client_method_round_trips_against_the_sandbox(clock: FakeTime) -> None:
    sandbox = small_sandbox(clock)
    state = sandbox.state
    contact = _subscribed(sandbox)
    later = clock.now() + timedelta(days=2)
    async with MobinitiClient(sandbox.token, "http://sandbox/v1", transport=sandbox.transport(),
                              clock=clock) as api:
        group = await api.create_group(m.GroupCreate(name="Round trip", keyword="ROUND"))
        template = await api.create_campaign_template(
            m.CampaignTemplateCreate(name="T", message="Hi {first}"))
        coupon = await api.create_coupon(m.CouponCreate(name="Deal", code="DEAL1"))
        campaign = await api.create_campaign(
            m.CampaignCreate(name="C", message="Sale!", group_ids=[group.id], send_at=later))
        scheduled = await api.create_scheduled(m.ScheduledMessageCreate(
            phone_number=contact.phone_number, message="later", send_at=later))
        created = await api.create_contact(m.ContactCreate(phone_number="+14155238886",
                                                           first_name="Ada"))
        sent = await api.send_message(m.MessageCreate(
            phone_number=contact.phone_number, message="hi", metadata={"smsdesk_key": "k"}))
        message_id = state.messages[0].id
        calls: dict[str, Callable[[], Awaitable[Any]]] = {
            "list_contacts": lambda: api.list_contacts(limit=5, include=["carrier"]),
            "create_contact": lambda: api.get_contact(created.id),
            "get_contact": lambda: api.get_contact(contact.id, include=["status", "groups"]),
            "update_contact": lambda: api.update_contact(created.id,
                                                         m.ContactUpdate(last_name="Lovelace")),
            "unsubscribe_contacts": lambda: api.unsubscribe_contacts(
                m.UnsubscribeRequest(phone_numbers=["+14155238886"])),
            "add_contact_group": lambda: api.add_contact_group(
                created.id, m.ContactGroupAdd(group_id=group.id)),
            "list_group_contacts": lambda: api.list_group_contacts(group.id),
            "remove_contact_group": lambda: api.remove_contact_group(created.id, group.id),
            "delete_contact": lambda: api.delete_contact(created.id),
            "list_carriers": lambda: api.list_carriers(),
            "get_carrier": lambda: api.get_carrier(_first(state.carriers)),
            "list_groups": lambda: api.list_groups(include=["keyword"]),
            "create_group": lambda: api.get_group(group.id),
            "get_group": lambda: api.get_group(group.id, include=["keyword"]),
            "update_group": lambda: api.update_group(group.id, m.GroupUpdate(name="RT")),
            "list_optins": lambda: api.list_optins(),
            "get_optin": lambda: api.get_optin(_first(state.optins)),
            "list_campaigns": lambda: api.list_campaigns(sort="-created_at"),
            "create_campaign": lambda: api.get_campaign(campaign.id),
            "get_campaign": lambda: api.get_campaign(campaign.id),
            "update_campaign": lambda: api.update_campaign(campaign.id,
                                                           m.CampaignUpdate(name="C2")),
            "delete_campaign": lambda: api.delete_campaign(campaign.id),
            "list_campaign_templates": lambda: api.list_campaign_templates(),
            "create_campaign_template": lambda: api.get_campaign_template(template.id),
            "get_campaign_template": lambda: api.get_campaign_template(template.id),
            "update_campaign_template": lambda: api.update_campaign_template(
                template.id, m.CampaignTemplateUpdate(message="Hey")),
            "delete_campaign_template": lambda: api.delete_campaign_template(template.id),
            "list_coupons": lambda: api.list_coupons(),
            "create_coupon": lambda: api.get_coupon(coupon.id),
            "get_coupon": lambda: api.get_coupon(coupon.id),
            "update_coupon": lambda: api.update_coupon(coupon.id, m.CouponUpdate(title="T")),
            "delete_coupon": lambda: api.delete_coupon(coupon.id),
            "list_coupon_templates": lambda: api.list_coupon_templates(),
            "get_coupon_template": lambda: api.get_coupon_template(
                _first(state.coupon_templates)),
            "list_messages": lambda: api.list_messages(
                message_type="INCOMING_ALL", read=False,
                include=["receipt", "contact.carrier", "type"]),
            "get_message": lambda: api.get_message(sent.id, include=["receipt"]),
            "update_message": lambda: api.update_message(message_id, m.MessageUpdate(read=True)),
            "send_to_contact": lambda: api.send_to_contact(
                m.ContactMessageCreate(contact_id=contact.id, message="to you")),
            "send_message": lambda: api.get_message(sent.id),
            "send_batch": lambda: api.send_batch(m.MessageBatchCreate(
                message="b1", phone_numbers=[contact.phone_number])),
            "list_scheduled": lambda: api.list_scheduled(sort="send_at"),
            "create_scheduled": lambda: api.get_scheduled(scheduled.id),
            "get_scheduled": lambda: api.get_scheduled(scheduled.id),
            "update_scheduled": lambda: api.update_scheduled(
                scheduled.id, m.ScheduledMessageUpdate(message="later!")),
            "delete_scheduled": lambda: api.delete_scheduled(scheduled.id),
            "lookup_phone_numbers": lambda: api.lookup_phone_numbers(
                m.PhoneLookupRequest(phone_numbers=[contact.phone_number, "+442079460958"])),
            "delete_group": lambda: api.delete_group(group.id),
        }
        assert set(calls) == set(BY_NAME)
        results: dict[str, Any] = {}
        # table order, but every delete (and the removal from a group) at the end
        ordered = sorted(ENDPOINTS, key=lambda e: (e.method == "DELETE",
                                                   e.name in ("delete_contact", "delete_group")))
        for endpoint in ordered:
            results[endpoint.name] = await calls[endpoint.name]()
        all_messages = [x async for x in api.paginate(api.list_messages, limit=50)]
    assert sent.metadata == {"smsdesk_key": "k"} and sent.direction == "outgoing"
    assert results["update_contact"].last_name == "Lovelace"
    assert results["unsubscribe_contacts"].unsubscribed == ["+14155238886"]
    assert group.id in [g.id for g in results["add_contact_group"].groups or []]
    assert results["update_group"].name == "RT"
    assert results["update_message"].read is True
    assert results["update_scheduled"].message == "later!"
    assert all(not msg.read and msg.direction == "incoming"
               for msg in results["list_messages"].data)
    assert results["lookup_phone_numbers"][1].carrier.country == "GB"
    assert len(all_messages) == len(state.messages)
    assert group.id not in state.groups and coupon.id not in state.coupons
    for value in results.values():
        assert value is None or isinstance(value, BaseModel | list)
