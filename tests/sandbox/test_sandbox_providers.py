"""ProTexting opt-in (seed 004) and Skycore subscribe (seed 003) behave like their documents."""

from __future__ import annotations

import httpx
import pytest
from defusedxml import ElementTree

from tui.sandbox import Sandbox

OPT_IN = "/protexting/v1/contacts-opt-in/create"
SKYCORE = "/skycore/API/"
GOOD = "+12124960311"


@pytest.fixture
async def raw(sandbox: Sandbox):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url="http://sandbox") as c:
        yield c


def _token(sandbox: Sandbox) -> dict[str, str]:
    return {"access_token": sandbox.config.protexting_token}


async def test_protexting_opt_in_creates_the_contact(sandbox: Sandbox,
                                                     raw: httpx.AsyncClient) -> None:
    response = await raw.post(OPT_IN, params=_token(sandbox),
                              json={"PhoneNumber": "12124960311", "GroupIds": [1],
                                    "CTAMessage": "Reply Y to join"})
    assert response.status_code == 201
    body = response.json()
    assert body["Number"] == "12124960311" and body["OptedOut"] == 0 and body["Id"] == 1
    assert {"FirstName", "LastName", "BirthDay", "Email", "Zip", "City", "DateCreated",
            "DateUpdated"} <= set(body)
    assert response.headers["X-Rate-Limit-Limit"] == "60"
    assert response.headers["X-Rate-Limit-Remaining"] == "59"
    assert sandbox.protexting.sent_cta == [("12124960311", "Reply Y to join")]


async def test_protexting_422_names_the_attribute(sandbox: Sandbox,
                                                  raw: httpx.AsyncClient) -> None:
    response = await raw.post(OPT_IN, params=_token(sandbox),
                              json={"PhoneNumber": "123", "GroupIds": [99]})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()}
    assert fields == {"PhoneNumber", "GroupIds"}
    missing = await raw.post(OPT_IN, params=_token(sandbox), json={"GroupIds": [1]})
    assert missing.json() == [{"field": "PhoneNumber", "message": "Phone Number cannot be blank."}]


async def test_protexting_bad_token_is_401(raw: httpx.AsyncClient) -> None:
    response = await raw.post(OPT_IN, params={"access_token": "nope"},
                              json={"PhoneNumber": GOOD, "GroupIds": [1]})
    assert response.status_code == 401


def _skycore(action: str = "subscribe", key: str = "sky_demo_api_key", ref: str = "1116",
             mobile: str = "12124960311", extra: str = "") -> bytes:
    return (f"<REQUEST><ACTION>{action}</ACTION><API_KEY>{key}</API_KEY>"
            f"<CAMPAIGNREF>{ref}</CAMPAIGNREF><MOBILE>{mobile}</MOBILE>{extra}"
            f"</REQUEST>").encode()


async def _answer(raw: httpx.AsyncClient, body: bytes) -> dict[str, str]:
    response = await raw.post(SKYCORE, content=body, headers={"Content-Type": "text/xml"})
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "RESPONSE"
    return {child.tag: child.text or "" for child in root}


async def test_skycore_subscribe_succeeds_then_refuses_a_second_time(
    sandbox: Sandbox, raw: httpx.AsyncClient,
) -> None:
    data = "<DATA><FIRST_NAME>John</FIRST_NAME><PET>Dog</PET></DATA><TIMEZONE>EST</TIMEZONE>"
    first = await _answer(raw, _skycore(extra=data))
    assert first == {"STATUS": "Success", "CAMPAIGNREF": "1116", "MOBILE": "12124960311"}
    assert sandbox.skycore.subscribers["1116"]["12124960311"] == {"FIRST_NAME": "John",
                                                                   "PET": "Dog"}
    again = await _answer(raw, _skycore())
    assert again["STATUS"] == "Failure" and again["ERRORCODE"] == "E904"
    assert "already subscribed" in again["ERRORINFO"]


@pytest.mark.parametrize(("body", "code"), [
    (_skycore(key="wrong"), "E104"),
    (_skycore(ref=""), "E718"),
    (_skycore(ref="9999"), "E721"),
    (_skycore(mobile=""), "E901"),
    (_skycore(mobile="123"), "E904"),
    (_skycore(mobile="12125559876"), "E114"),
    (_skycore(action="unsubscribe"), "E107"),
    (_skycore(extra="<TIMEZONE>XYZ</TIMEZONE>"), "E100"),
    (b"<REQUEST><ACTION>subscribe", "E108"),
    (b"", "E100"),
])
async def test_skycore_error_codes(raw: httpx.AsyncClient, body: bytes, code: str) -> None:
    answer = await _answer(raw, body)
    assert answer["STATUS"] == "Failure" and answer["ERRORCODE"] == code
    assert answer["ERRORINFO"]


async def test_skycore_refuses_entity_expansion(raw: httpx.AsyncClient) -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<REQUEST><ACTION>&b;</ACTION></REQUEST>")
    answer = await _answer(raw, bomb)
    assert answer["ERRORCODE"] == "E108"
