"""Phone numbers: E.164, strict and provider-lenient checks, display, time zones, search."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sms.phones import (
    InvalidPhoneNumber,
    digits_query,
    display,
    is_valid,
    matches,
    normalize,
    timezone_names,
    timezone_of,
    timezones_of,
)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("(650) 253-0000", "+16502530000"),
        ("650.253.0000", "+16502530000"),
        ("650 253 0000", "+16502530000"),
        ("  6502530000 ", "+16502530000"),
        ("1-650-253-0000", "+16502530000"),
        ("+1 650 253 0000", "+16502530000"),
        ("+44 20 7946 0000", "+442079460000"),
        ("+49 30 901820", "+4930901820"),
    ],
)
def test_what_a_person_types_becomes_e164(typed: str, e164: str) -> None:
    assert normalize(typed) == e164


def test_region_decides_numbers_without_country_code() -> None:
    assert normalize("020 7946 0000", "GB") == "+442079460000"
    assert normalize("020 7946 0000", "gb") == "+442079460000"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("16501112222", "+16501112222"),  # a provider's test range: possible, not assigned
        ("+16501112222", "+16501112222"),
        ("19999999999", "+19999999999"),
        ("9999999999", "+19999999999"),
    ],
)
def test_provider_numbers_pass_lenient_but_not_strict(raw: str, e164: str) -> None:
    assert normalize(raw, strict=False) == e164
    with pytest.raises(InvalidPhoneNumber, match="not a valid phone number"):
        normalize(raw)


def test_lenient_mode_reads_international_numbers_written_without_plus() -> None:
    assert normalize("447911123456", "US", strict=False) == "+447911123456"
    assert normalize("16502530000", "GB", strict=False) == "+16502530000"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "No phone number given"),
        ("   ", "No phone number given"),
        ("hello", "does not look like a phone number"),
        ("+999 123 4567", "country code is not known"),
        ("12", "too few digits"),
        ("+1 650 253 00", "too few digits"),
        ("6502530000000000000", "too long"),
    ],
)
def test_bad_numbers_raise_a_message_a_person_understands(raw: str, says: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match=says):
        normalize(raw)


def test_invalid_phone_number_is_a_value_error() -> None:
    assert issubclass(InvalidPhoneNumber, ValueError)
    with pytest.raises(ValueError):
        normalize(12345)  # type: ignore[arg-type]
    assert not is_valid("nope")
    assert is_valid("(650) 253-0000")


@settings(max_examples=150, deadline=None)
@given(
    st.from_regex(r"\+?1?[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True),
    st.booleans(),
)
def test_normalize_is_idempotent(raw: str, strict: bool) -> None:
    try:
        once = normalize(raw, strict=strict)
    except InvalidPhoneNumber:
        return
    assert normalize(once, strict=strict) == once
    assert once.startswith("+") and once[1:].isdigit()


def test_display_uses_national_format_at_home_and_international_abroad() -> None:
    assert display("+16502530000") == "(650) 253-0000"
    assert display("+16502530000", "GB") == "+1 650-253-0000"
    assert display("+442079460000") == "+44 20 7946 0000"
    assert display("+442079460000", "GB") == "020 7946 0000"
    assert display("+14165550100") == "+1 416-555-0100"  # Canada shares +1 but is not home


def test_display_of_a_test_number_of_the_home_country_is_national() -> None:
    assert display("+16501112222") == "(650) 111-2222"


def test_display_never_fails_on_text_that_is_not_a_number() -> None:
    assert display("not a number") == "not a number"
    assert display("") == ""


def test_timezone_of_a_single_zone_number() -> None:
    zone = timezone_of("+16502530000")
    assert zone is not None and zone.key == "America/Los_Angeles"
    assert timezone_names("+12125550100") == ("America/New_York",)


def test_timezone_of_a_number_spanning_zones_is_the_first_alphabetically() -> None:
    names = timezone_names("+447911123456")
    assert len(names) > 1
    zone = timezone_of("+447911123456")
    assert zone is not None and zone.key == names[0] == sorted(names)[0]


def test_timezone_of_a_country_wide_number_with_different_clocks_is_none() -> None:
    assert timezone_of("+18005550100") is None  # US toll-free: anywhere in +1
    assert len(timezones_of("+18005550100")) > 10


def test_timezone_of_a_test_number_is_unknown_but_its_country_zones_are_listed() -> None:
    assert timezone_of("+16501112222") is None
    names = timezone_names("+16501112222")
    assert "America/New_York" in names and "Pacific/Honolulu" in names


def test_timezone_of_garbage_is_none() -> None:
    assert timezone_of("garbage") is None
    assert timezones_of("garbage") == ()


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        ("253-00", True),
        ("(650) 253", True),
        ("650253", True),
        ("+1 650", True),
        ("0000", True),
        ("253-01", False),
        ("Anna", False),
        ("5", False),  # one digit is not a search
        ("", False),
    ],
)
def test_partial_digits_find_the_number(query: str, hit: bool) -> None:
    assert matches("+16502530000", query) is hit


def test_digits_query_keeps_only_digits_of_a_phone_like_query() -> None:
    assert digits_query("253-00") == "25300"
    assert digits_query(" (650) 253 ") == "650253"
    assert digits_query("Anna 253") is None
    assert digits_query("7") is None
