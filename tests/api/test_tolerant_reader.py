"""What a Laravel/Fractal server sends is read, not refused (contract: "What we accept").

Each case is one that made whole pages of ``GET /messages`` unreadable before (issue #10).
"""

from __future__ import annotations

from typing import Any

import pytest
from api_fakes import BASE, TOKEN, Script, ok

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.rate import RateScheduler

FRACTAL_PAGE = {"total": 1, "count": 1, "per_page": 100, "current_page": 1, "total_pages": 1,
                "links": []}


def _client(script: Script) -> MobinitiClient:
    return MobinitiClient(TOKEN, BASE, transport=script.transport,
                          scheduler=RateScheduler(per_second=1000.0))


def _message(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "m1", "phone_number": "5125550100", "message": "Hi there",
                            "created_at": "2024-05-01T12:00:00+0000"}
    base.update(overrides)
    return base


@pytest.mark.parametrize(("message", "direction"), [
    (_message(**{"from": "5125550100"}), "incoming"),
    (_message(**{"from": "64600"}), "outgoing"),
    (_message(type={"data": {"name": "OUTGOING_CAMPAIGN"}}), "outgoing"),
    (_message(type={"name": "INCOMING_REPLY", "direction": "incoming"}), "incoming"),
    (_message(direction="outgoing"), "outgoing"),
], ids=["from-the-contact", "from-the-short-code", "wrapped-type", "bare-type", "written"])
async def test_a_fractal_page_of_messages_is_read_with_derived_fields(
    message: dict[str, Any], direction: str,
) -> None:
    message = {**message, "metadata": [], "receipt": {"data": {"code": 100}}}
    script = Script(ok({"data": [message], "meta": {"pagination": FRACTAL_PAGE}}))
    async with _client(script) as client:
        page = await client.list_messages()
    read = page.data[0]
    assert read.direction == direction
    assert read.phone_number == "+15125550100"
    assert read.metadata == {} and read.read is False
    assert read.updated_at == read.created_at
    assert read.receipt is not None and read.receipt.success and read.receipt.updated_at is None
    assert page.meta.pagination is not None and page.meta.pagination.links.next is None


async def test_a_message_saying_nothing_of_its_direction_takes_the_filters() -> None:
    script = Script(ok({"data": [_message()], "meta": []}),
                    ok({"data": [_message()], "meta": []}))
    async with _client(script) as client:
        inbound = await client.list_messages(message_type="INCOMING_ALL")
        outbound = await client.list_messages(message_type="OUTGOING_ALL")
    assert inbound.data[0].direction == "incoming"
    assert outbound.data[0].direction == "outgoing"


async def test_a_bare_201_answer_to_a_send_is_the_message() -> None:
    script = Script(ok(_message(direction="outgoing", metadata={"smsdesk_key": "k1"}), 201))
    async with _client(script) as client:
        sent = await client.send_message(m.MessageCreate(phone_number="+15125550100",
                                                         message="Hi there"))
    assert sent.id == "m1" and sent.metadata == {"smsdesk_key": "k1"}


async def test_a_contact_with_php_empty_arrays_and_numeric_fields_is_read() -> None:
    contact = {"id": 42, "phone_number": 19999999999, "created_at": "2016-07-01T15:11:09.553Z",
               "fields": [], "groups": {"data": [{"id": 7, "name": "VIP"}]},
               "carrier": {"data": []}, "reward_points": 5}
    script = Script(ok({"data": contact}))
    async with _client(script) as client:
        read = await client.get_contact("42")
    assert read.id == "42" and read.phone_number == "+19999999999"
    assert read.fields is None and read.carrier is None
    assert read.groups is not None and read.groups[0].id == "7"


def test_a_scheduled_time_under_another_name_and_metadata_values_of_any_kind() -> None:
    scheduled = m.ScheduledMessage.model_validate(
        {"id": "s1", "phone_number": "+15125550100", "message": "later",
         "scheduled_at": "2024-05-01 12:00:00", "created_at": "2024-05-01T11:00:00Z"})
    assert scheduled.send_at.isoformat() == "2024-05-01T12:00:00+00:00"
    message = m.Message.model_validate(_message(direction="incoming",
                                                metadata={"n": 3, "ok": True, "gone": None}))
    assert message.metadata == {"n": "3", "ok": "true"}


def test_requests_stay_strict() -> None:
    with pytest.raises(ValueError):
        m.MessageBatchCreate.model_validate({"message": "x", "phone_numbers": ["+1"],
                                             "typo": 1})
