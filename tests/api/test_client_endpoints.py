"""Every row of ENDPOINTS has a client method that sends exactly what the contract table says."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from api_fakes import BASE, SAMPLES, TOKEN, Script, ok, page_json
from pydantic import BaseModel

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.errors import InvalidArgument, LimitExceeded
from tui.api.rate import Priority, RateScheduler
from tui.api.routes import ENDPOINTS, Endpoint

SEND_AT = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

BODIES: dict[type[BaseModel], BaseModel] = {
    m.ContactCreate: m.ContactCreate(phone_number="+15551230001", first_name="Ann"),
    m.ContactUpdate: m.ContactUpdate(first_name="Ann", groups=[]),
    m.UnsubscribeRequest: m.UnsubscribeRequest(phone_numbers=["+15551230001"]),
    m.ContactGroupAdd: m.ContactGroupAdd(group_id="g1"),
    m.GroupCreate: m.GroupCreate(name="VIP", keyword="JOIN"),
    m.GroupUpdate: m.GroupUpdate(name="VIP 2"),
    m.CampaignCreate: m.CampaignCreate(name="Sale", message="20% off", send_at=SEND_AT),
    m.CampaignUpdate: m.CampaignUpdate(message="25% off"),
    m.CampaignTemplateCreate: m.CampaignTemplateCreate(name="T", message="Hi"),
    m.CampaignTemplateUpdate: m.CampaignTemplateUpdate(message="Hello"),
    m.CouponCreate: m.CouponCreate(name="C", code="SAVE"),
    m.CouponUpdate: m.CouponUpdate(title="Save more"),
    m.MessageUpdate: m.MessageUpdate(read=True),
    m.ContactMessageCreate: m.ContactMessageCreate(contact_id="c1", message="hi",
                                                   metadata={"smsdesk_key": "k1"}),
    m.MessageCreate: m.MessageCreate(phone_number="+15551230001", message="hi"),
    m.MessageBatchCreate: m.MessageBatchCreate(message="hi", phone_numbers=["+15551230001"]),
    m.ScheduledMessageCreate: m.ScheduledMessageCreate(
        phone_number="+15551230001", message="later", send_at=SEND_AT
    ),
    m.ScheduledMessageUpdate: m.ScheduledMessageUpdate(send_at=SEND_AT),
    m.PhoneLookupRequest: m.PhoneLookupRequest(phone_numbers=["+15551230001"]),
}

IDS = {"id": "f82e541a-a4b1-11e8-a85f-127fd0971098", "group": "6d9265cc-a310-406d"}


def response_for(endpoint: Endpoint) -> Any:
    if endpoint.shape == "none":
        return ok(status=204)
    assert endpoint.response is not None
    sample = SAMPLES[endpoint.response]
    if endpoint.shape == "page":
        return ok(page_json(endpoint.response))
    if endpoint.shape == "list":
        return ok({"data": [sample]}, status=201 if endpoint.method == "POST" else 200)
    return ok({"data": sample}, status=201 if endpoint.method == "POST" else 200)


def client_for(script: Script) -> MobinitiClient:
    return MobinitiClient(TOKEN, BASE, transport=script.transport,
                          scheduler=RateScheduler(per_second=1000.0))


def placeholders(endpoint: Endpoint) -> list[str]:
    return [name for name in ("id", "group") if "{" + name + "}" in endpoint.path]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
async def test_each_method_sends_the_contract_row(endpoint: Endpoint) -> None:
    script = Script(response_for(endpoint))
    async with client_for(script) as client:
        method = getattr(client, endpoint.name)
        args: list[Any] = [IDS[p] for p in placeholders(endpoint)]
        if endpoint.body is not None:
            args.append(BODIES[endpoint.body])
        result = await method(*args, priority=Priority.BACKGROUND)

    (request,) = script.requests
    assert request.method == endpoint.method
    expected_path = "/v1" + endpoint.path.format(**IDS)
    assert request.url.path == expected_path
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Accept"] == "application/json"
    query = dict(request.url.params)
    if endpoint.shape == "page":
        assert query == {"limit": "100", "page": "1"}
    else:
        assert query == {}
    if endpoint.body is not None:
        assert request.headers["Content-Type"] == "application/json"
        assert script.body() == BODIES[endpoint.body].model_dump(mode="json", exclude_none=True)
    else:
        assert request.content == b""
    if endpoint.shape == "none":
        assert result is None
        return
    assert endpoint.response is not None
    if endpoint.shape == "page":
        assert isinstance(result, m.Page) and isinstance(result.data[0], endpoint.response)
    elif endpoint.shape == "list":
        assert isinstance(result, list) and isinstance(result[0], endpoint.response)
    else:
        assert isinstance(result, endpoint.response)


def test_the_client_has_exactly_one_method_per_endpoint() -> None:
    public = {
        name for name, fn in inspect.getmembers(MobinitiClient, inspect.iscoroutinefunction)
        if not name.startswith("_") and name != "aclose"
    }
    assert public == {e.name for e in ENDPOINTS}


async def test_message_list_sends_filters_include_and_utc_times() -> None:
    script = Script(ok(page_json(m.Message)))
    eastern = timezone(timedelta(hours=-4))
    async with client_for(script) as client:
        await client.list_messages(
            limit=50, page=3, sort="-created_at",
            include=["receipt", "contact.carrier", "type"],
            message_type="INCOMING_ALL", phone_number="555123",
            created_at_min=datetime(2024, 5, 1, 8, 0, 0, tzinfo=eastern),
            created_at_max=datetime(2024, 5, 2, 12, 30, 0, 250000, tzinfo=UTC),
            read=False,
        )
    query = dict(script.requests[0].url.params)
    assert query == {
        "limit": "50", "page": "3", "sort": "-created_at",
        "include": "receipt,contact.carrier,type",
        "filter[type]": "INCOMING_ALL", "filter[phone_number]": "555123",
        "filter[created_at_min]": "2024-05-01T12:00:00.000Z",
        "filter[created_at_max]": "2024-05-02T12:30:00.250Z",
        "filter[read]": "false",
    }


async def test_group_contacts_sends_group_id_filters_and_includes() -> None:
    script = Script(ok(page_json(m.Contact)))
    async with client_for(script) as client:
        page = await client.list_group_contacts(
            "g1", include=("status", "fields"), filters={"reward_points": 10}, sort="first_name"
        )
    request = script.requests[0]
    assert request.url.path == "/v1/groups/g1/contacts"
    assert dict(request.url.params) == {
        "limit": "100", "page": "1", "sort": "first_name", "include": "status,fields",
        "filter[reward_points]": "10",
    }
    assert page.data[0].id == "c1"


async def test_get_with_include_sends_comma_list() -> None:
    script = Script(ok({"data": SAMPLES[m.Message]}))
    async with client_for(script) as client:
        await client.get_message("m1", include=["receipt", "type"])
    assert dict(script.requests[0].url.params) == {"include": "receipt,type"}


async def test_ids_are_url_quoted_in_the_path() -> None:
    script = Script(ok(status=204))
    async with client_for(script) as client:
        await client.delete_contact("a b?c#d")
    assert script.requests[0].url.raw_path == b"/v1/contacts/a%20b%3Fc%23d"


@pytest.mark.parametrize("bad_id", ["", "   ", "a/b", "..", "."])
async def test_an_unusable_id_is_refused_before_any_request(bad_id: str) -> None:
    script = Script()
    async with client_for(script) as client:
        with pytest.raises(InvalidArgument):
            await client.get_contact(bad_id)
    assert script.requests == []


async def test_unknown_filter_or_include_is_refused_with_the_known_names() -> None:
    script = Script()
    async with client_for(script) as client:
        with pytest.raises(InvalidArgument, match="phone_number, reward_points"):
            await client.list_contacts(filters={"nickname": "x"})
        with pytest.raises(InvalidArgument, match="keyword"):
            await client.list_groups(include=["carrier"])
        with pytest.raises(InvalidArgument, match="INCOMING_ALL"):
            await client.list_messages(message_type="INBOUND")
    assert script.requests == []


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.list_contacts(limit=101),
        lambda c: c.list_messages(limit=500),
        lambda c: c.unsubscribe_contacts(
            m.UnsubscribeRequest(phone_numbers=[f"+1555000{i:04d}" for i in range(101)])),
        lambda c: c.send_batch(m.MessageBatchCreate(
            message="hi", phone_numbers=[f"+1555000{i:04d}" for i in range(101)])),
        lambda c: c.lookup_phone_numbers(
            m.PhoneLookupRequest(phone_numbers=[f"+1555000{i:04d}" for i in range(11)])),
    ],
    ids=["contacts-limit", "messages-limit", "unsubscribe-101", "batch-101", "lookup-11"],
)
async def test_client_side_limits_raise_before_any_request(call: Any) -> None:
    script = Script()
    async with client_for(script) as client:
        with pytest.raises(LimitExceeded, match=r"100|10"):
            await call(client)
    assert script.requests == []


async def test_limits_at_the_maximum_are_sent() -> None:
    script = Script(ok({"data": [SAMPLES[m.PhoneLookup]] * 10}),
                    ok({"data": SAMPLES[m.UnsubscribeResult]}))
    async with client_for(script) as client:
        found = await client.lookup_phone_numbers(
            m.PhoneLookupRequest(phone_numbers=[f"+1555000{i:04d}" for i in range(10)]))
        await client.unsubscribe_contacts(
            m.UnsubscribeRequest(phone_numbers=[f"+1555000{i:04d}" for i in range(100)]))
    assert len(found) == 10
    assert len(script.body(1)["phone_numbers"]) == 100


@pytest.mark.parametrize("limit", [0, -1])
async def test_a_limit_below_one_is_refused(limit: int) -> None:
    async with client_for(Script()) as client:
        with pytest.raises(InvalidArgument):
            await client.list_carriers(limit=limit)


async def test_empty_batch_and_empty_lookup_are_refused() -> None:
    async with client_for(Script()) as client:
        with pytest.raises(InvalidArgument):
            await client.send_batch(m.MessageBatchCreate(message="hi", phone_numbers=[]))
        with pytest.raises(InvalidArgument):
            await client.lookup_phone_numbers(m.PhoneLookupRequest(phone_numbers=[]))


async def test_unknown_response_fields_are_kept_and_times_are_aware() -> None:
    contact = dict(SAMPLES[m.Contact], created_at="2014-07-10T00:01:01+0000", loyalty="gold")
    script = Script(ok({"data": contact, "extra": 1}))
    async with client_for(script) as client:
        got = await client.get_contact("c1")
    assert got.created_at.tzinfo is not None
    assert got.created_at == datetime(2014, 7, 10, 0, 1, 1, tzinfo=UTC)
    assert got.model_extra == {"loyalty": "gold"}
