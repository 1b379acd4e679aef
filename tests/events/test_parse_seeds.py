"""Every example body in the seeds becomes the right events, with the seed's codes and meanings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.events.seed_bodies import (
    FORM,
    JSON,
    MOBINITI_BOUNCED,
    MOBINITI_CONTACT_STATUS,
    MOBINITI_DELIVERY,
    MOBINITI_INBOUND,
    MOBINITI_REJECTION,
    MOBINITI_UNSUBSCRIBE,
    OPTIT_SUBSCRIBE,
    OPTIT_UNSUBSCRIBE,
    SKYCORE_SUBSCRIBE,
    SKYCORE_UNSUBSCRIBE,
    XML,
    optit_send_result,
)
from tui.api.codes import DELIVERY_CODES
from tui.events import BadPayload, parse
from tui.events.codes import OPTIT_RESPONSE_CODES, SKYCORE_SOURCES
from tui.events.optit import OPTIT_TIME_ZONE

SEED_TIME = datetime(2016, 7, 1, 15, 11, 9, 553000, tzinfo=UTC)


def one(provider: str, body: bytes, content_type: str, webhook: str | None = None):  # type: ignore[no-untyped-def]
    events = parse(provider, body, content_type, webhook=webhook)
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize("webhook", [None, "inbound_message"])
def test_mobiniti_inbound_message(webhook: str | None) -> None:
    event = one("mobiniti", MOBINITI_INBOUND, JSON, webhook)
    assert (event.kind, event.provider, event.phone) == ("inbound_message", "mobiniti",
                                                         "+19999999999")
    assert event.text == "This is an example message"
    assert event.occurred_at == SEED_TIME
    assert event.ids["contact_id"] == "f82e541a-a4b1-11e8-a85f-127fd0971098"
    assert event.details["short_code"] == "64600"
    assert event.raw == MOBINITI_INBOUND.decode()


def test_mobiniti_unsubscribe_with_the_seeds_trailing_comma() -> None:
    event = one("mobiniti", MOBINITI_UNSUBSCRIBE, JSON)
    assert (event.kind, event.phone, event.occurred_at) == ("unsubscribe", "+19999999999",
                                                           SEED_TIME)
    assert event.details["short_code"] == "64600"


def test_mobiniti_delivery_report_has_the_code_meaning_and_message_id() -> None:
    event = one("mobiniti", MOBINITI_DELIVERY, JSON)
    assert (event.kind, event.phone, event.code) == ("delivery_report", "+19999999999", "100")
    assert event.meaning == "The message delivered successfully"
    assert event.ids["message_id"] == "a8a2b40a-86ae-4a91-a61d-7b7ccfc4b148"
    assert event.text == "This is an example message"


@pytest.mark.parametrize("code", sorted(DELIVERY_CODES))
def test_every_delivery_code_has_its_meaning(code: str) -> None:
    body = MOBINITI_DELIVERY.replace(b'"code": "100"', f'"code": "{code}"'.encode())
    event = one("mobiniti", body, JSON, "delivery_report")
    assert (event.code, event.meaning) == (code, DELIVERY_CODES[code])


def test_mobiniti_contact_status() -> None:
    event = one("mobiniti", MOBINITI_CONTACT_STATUS, JSON)
    assert (event.kind, event.code) == ("contact_status", "deactivated")
    assert event.meaning == "The carrier deactivated this number."


@pytest.mark.parametrize("status", ["suspended", "deactivated", "resumed", "transferred"])
def test_every_contact_status(status: str) -> None:
    body = MOBINITI_CONTACT_STATUS.replace(b"deactivated", status.encode())
    assert one("mobiniti", body, JSON, "contact_status").code == status


def test_mobiniti_bounced_message() -> None:
    event = one("mobiniti", MOBINITI_BOUNCED, JSON)
    assert (event.kind, event.phone, event.details["bounces"]) == ("bounced", "+19999999999",
                                                                  "2")


def test_mobiniti_rejection() -> None:
    event = one("mobiniti", MOBINITI_REJECTION, JSON)
    assert (event.kind, event.meaning, event.phone) == ("rejected", "Unsubscribed", None)


def test_the_url_kind_must_fit_the_body() -> None:
    with pytest.raises(BadPayload):
        parse("mobiniti", MOBINITI_REJECTION, JSON, webhook="inbound_message")
    with pytest.raises(BadPayload) as unknown:
        parse("mobiniti", MOBINITI_INBOUND, JSON, webhook="no_such_hook")
    assert unknown.value.status == 404


@pytest.mark.parametrize(("body", "kind", "phone", "code"), [
    (SKYCORE_SUBSCRIBE, "subscribe", "+16501112222", "N301"),
    (SKYCORE_UNSUBSCRIBE, "unsubscribe", "+16502424956", "N302"),
])
def test_skycore_postbacks(body: bytes, kind: str, phone: str, code: str) -> None:
    event = one("skycore", body, XML)
    assert (event.kind, event.phone, event.code) == (kind, phone, code)
    assert event.occurred_at == datetime(2014, 7, 2, 14, 32, 23,
                                         tzinfo=timezone(timedelta(hours=-4)))
    assert event.ids == {"campaign_ref": "1478"}
    assert event.details["short_code"] == "123456"
    assert event.details["campaign_title"] == "My Campaign Name"
    assert event.details["brand_name"] == "My Brand Name"
    assert event.details["source"] == "API"


@pytest.mark.parametrize("source", sorted(SKYCORE_SOURCES))
def test_every_skycore_source(source: str) -> None:
    body = SKYCORE_UNSUBSCRIBE.replace(b"<SOURCE>API", f"<SOURCE>{source}".encode())
    event = one("skycore", body, "text/xml; charset=utf-8")
    assert event.details["source"] == source
    assert SKYCORE_SOURCES[source] in (event.meaning or "")


def test_optit_subscribe() -> None:
    event = one("optit", OPTIT_SUBSCRIBE, FORM)
    assert (event.kind, event.phone, event.code, event.meaning) == (
        "subscribe", "+16501112222", "1", "Subscribe")
    assert event.occurred_at == datetime(2024, 3, 15, 14, 30, 22, tzinfo=OPTIT_TIME_ZONE)
    assert event.occurred_at.utcoffset() == timedelta(hours=-4)  # EDT on 15 March 2024
    assert event.ids == {"member_id": "5521", "request_id": "req-1001"}
    assert event.details["keyword"] == "PIZZA"
    assert event.details["email"] == "ana@example.com"


def test_optit_unsubscribe() -> None:
    event = one("optit", OPTIT_UNSUBSCRIBE, FORM)
    assert (event.kind, event.code) == ("unsubscribe", "2")
    assert event.occurred_at == datetime(2024, 3, 16, 9, 0, tzinfo=OPTIT_TIME_ZONE)


@pytest.mark.parametrize("code", sorted(OPTIT_RESPONSE_CODES))
def test_every_optit_response_code(code: str) -> None:
    desc, meaning = OPTIT_RESPONSE_CODES[code]
    event = one("optit", optit_send_result(code, desc), FORM)
    assert (event.kind, event.code) == ("send_result", code)
    assert event.meaning == f"{desc}: {meaning}"
    assert event.ids["request_id"] == f"send-{code}"


def test_text_with_terminal_escapes_is_made_safe() -> None:
    body = MOBINITI_INBOUND.replace(b"This is an example message",
                                    b"hi \\u001b]2;owned\\u0007 \\u001b[31mred\\u202e")
    event = one("mobiniti", body, JSON)
    assert event.text is not None and "\x1b" not in event.text and "\u202e" not in event.text
    assert "␛" in event.text


def test_wrong_content_type_is_415() -> None:
    with pytest.raises(BadPayload) as bad:
        parse("skycore", SKYCORE_SUBSCRIBE, JSON)
    assert bad.value.status == 415


def test_optit_send_result_to_an_interest_has_no_phone() -> None:
    body = (b"event_type=3&request_id=req-9&interest_id=42&response_code=2200"
            b"&response_desc=Error+-+Interest+Not+Found")
    event = one("optit", body, FORM)
    assert (event.kind, event.phone, event.code) == ("send_result", None, "2200")
    assert event.ids == {"request_id": "req-9", "interest_id": "42"}
    assert event.meaning is not None and event.meaning.startswith("Error - Interest Not Found")
