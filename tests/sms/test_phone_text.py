"""The first paint's phone numbers: the same text as ``phones.display`` for local +1 numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.sms import phones
from tui.sms.phone_text import display_now, rough_display

US_AREA_CODES = ["201", "212", "303", "312", "415", "503", "617", "650", "702", "808", "917"]


@given(area=st.sampled_from(US_AREA_CODES), exchange=st.integers(200, 999),
       line=st.integers(0, 9999))
def test_rough_us_number_reads_like_the_real_formatter(area: str, exchange: int, line: int) -> None:
    e164 = f"+1{area}{exchange}{line:04d}"
    assert rough_display(e164, "US") == phones.display(e164, "US")


def test_rough_leaves_other_countries_in_e164_until_phonenumbers_is_loaded() -> None:
    assert rough_display("+442079460000", "US") == "+442079460000"
    assert rough_display("+16502530000", "GB") == "+16502530000"
    assert rough_display("not a number", "US") == "not a number"


def test_once_phonenumbers_is_loaded_the_real_formatter_is_used() -> None:
    assert display_now("+442079460000", "US") == phones.display("+442079460000", "US")
