"""ProTexting opt-in and Skycore subscribe, end to end against the sandbox's provider endpoints."""

from __future__ import annotations

import httpx
import pytest

from tui.connectors.protexting import OptInRefused
from tui.connectors.skycore import ERROR_SENTENCES, SubscribeFailed, explain, request_xml
from tui.connectors.skycore_zones import AMBIGUOUS, ZONES, describe
from tui.sandbox import SandboxConfig, create_app
from tui.sandbox.providers.skycore import ERRORS
from tui.services.optin import NotConfigured, protexting_opt_in, skycore_subscribe


@pytest.fixture
def sandbox():  # type: ignore[no-untyped-def]
    return create_app(SandboxConfig(seed=2, contacts=3, rate_limit=True))


def _settings(sandbox) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"protexting_url": "http://sandbox/protexting",
            "protexting_token": sandbox.config.protexting_token,
            "skycore_url": "http://sandbox/skycore/API/",
            "skycore_api_key": sandbox.config.skycore_api_key}


async def test_protexting_opt_in_creates_the_contact_in_its_groups(sandbox) -> None:  # type: ignore[no-untyped-def]
    done = await protexting_opt_in(_settings(sandbox), "+16465550123", [1, 2],
                                   cta="Reply Y to join", transport=sandbox.transport())
    assert done.number == "16465550123" and not done.opted_out
    assert sandbox.protexting.contacts["16465550123"]["GroupIds"] == [1, 2]
    assert sandbox.protexting.sent_cta == [("16465550123", "Reply Y to join")]


async def test_protexting_422_names_the_failing_attribute(sandbox) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OptInRefused) as refused:
        await protexting_opt_in(_settings(sandbox), "+16465550123", [99],
                                transport=sandbox.transport())
    assert refused.value.status == 422 and "GroupIds" in refused.value.errors


async def test_protexting_wrong_token_says_what_to_check(sandbox) -> None:  # type: ignore[no-untyped-def]
    settings = {**_settings(sandbox), "protexting_token": "nope"}
    with pytest.raises(OptInRefused, match="protexting_token"):
        await protexting_opt_in(settings, "+16465550123", [1], transport=sandbox.transport())


async def test_protexting_waits_for_the_reset_when_no_requests_remain() -> None:
    waits: list[float] = []
    calls = {"n": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 2:
            return httpx.Response(429, json={"message": "slow"}, headers={"Retry-After": "7"})
        return httpx.Response(201, json={"Id": 1, "Number": "16465550123", "OptedOut": 0},
                              headers={"X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": "5"})

    from tui.connectors.protexting import ProTextingOptIn

    async def sleep(seconds: float) -> None:
        waits.append(round(seconds))

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        connector = ProTextingOptIn(http, "t", "http://p", sleep=sleep, monotonic=lambda: 0.0)
        await connector.opt_in("+16465550123", [1])
        await connector.opt_in("+16465550123", [1])  # waits 5 s, gets a 429, waits 7 s
    assert waits == [5, 7] and calls["n"] == 3


async def test_skycore_subscribe_sends_the_numbers_zone_and_data(sandbox) -> None:  # type: ignore[no-untyped-def]
    done = await skycore_subscribe(_settings(sandbox), "+12125550100", "1116",
                                   data={"first_name": "Ann <&>"},
                                   transport=sandbox.transport())
    assert done.campaign_ref == "1116"
    assert sandbox.skycore.subscribers["1116"]["12125550100"] == {"FIRST_NAME": "Ann <&>"}


@pytest.mark.parametrize(("campaign", "phone", "code"), [
    ("9999", "+12125550100", "E721"), ("", "+12125550100", "E718"),
    ("1116", "+12125559876", "E114")])
async def test_skycore_failures_are_plain_sentences(sandbox, campaign: str, phone: str,  # type: ignore[no-untyped-def]
                                                    code: str) -> None:
    with pytest.raises(SubscribeFailed) as failed:
        await skycore_subscribe(_settings(sandbox), phone, campaign,
                                transport=sandbox.transport())
    assert failed.value.code == code
    assert str(failed.value).startswith(ERROR_SENTENCES[code])


async def test_skycore_wrong_key_and_missing_settings(sandbox) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SubscribeFailed, match="API key"):
        await skycore_subscribe({**_settings(sandbox), "skycore_api_key": "x"}, "+12125550100",
                                "1116", transport=sandbox.transport())
    with pytest.raises(NotConfigured, match="skycore_api_key"):
        await skycore_subscribe({}, "+12125550100", "1116", transport=sandbox.transport())


def test_every_seed_error_code_has_a_sentence() -> None:
    seed_codes = {"E100", "E104", "E105", "E106", "E107", "E108", "E109", "E112", "E113",
                  "E114", "E120", "E503", "E718", "E721", "E901", "E904"}
    assert seed_codes <= set(ERROR_SENTENCES) and set(ERRORS) <= set(ERROR_SENTENCES)
    assert all(s.endswith(".") for s in ERROR_SENTENCES.values())
    assert "Skycore said" in explain("E904", "already subscribed")


def test_ambiguous_abbreviations_have_one_meaning_and_say_the_others() -> None:
    assert set(AMBIGUOUS) <= set(ZONES)
    assert describe("cst").startswith("CST: Central Standard Time (North America), UTC−06:00")
    assert "China Standard Time" in describe("CST")
    assert describe("IST").startswith("IST: Indian Standard Time, UTC+05:30")
    with pytest.raises(ValueError):
        describe("XYZ")


def test_request_values_are_escaped_and_tags_made_safe() -> None:
    xml = request_xml("k", "1", "1212", data={"pet name": "<dog>"}, timezone="pst")
    assert b"<PET_NAME>&lt;dog&gt;</PET_NAME>" in xml and b"<TIMEZONE>PST</TIMEZONE>" in xml
