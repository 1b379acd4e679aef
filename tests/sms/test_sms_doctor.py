"""The encoding doctor: replaces the usual UCS-2 culprits and says what it saves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sms.lookalikes import LOOKALIKES
from tui.sms.segments import Replacement, analyze, doctor, is_gsm7, suggest_gsm


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("It’s", "It's"),
        ("‘quoted’", "'quoted'"),
        ("“Sale”", '"Sale"'),
        ("«Sale»", '"Sale"'),
        ("9–5", "9-5"),
        ("wait—what", "wait-what"),
        ("more…", "more..."),
        ("10\u00a0am", "10 am"),
        ("10\u202fam", "10 am"),
        ("a\u200bb", "ab"),
        ("\ufeffHello", "Hello"),
        ("soft\u00adhyphen", "softhyphen"),
        ("tab\there", "tab here"),
        ("`code`", "'code'"),
        ("e\u0301te\u0301", "été"),  # decomposed accents joined into the GSM-7 letter
    ],
)
def test_usual_culprits_are_replaced_with_gsm_equivalents(text: str, fixed: str) -> None:
    result = doctor(text)
    assert result.text == fixed
    assert is_gsm7(result.text)
    assert suggest_gsm(text) == fixed


def test_reports_segments_before_after_and_saved() -> None:
    text = "We’re open 9–5 today… “come in”! " * 3
    result = doctor(text)
    assert result.before.encoding == "UCS-2"
    assert result.after.encoding == "GSM-7"
    assert (result.segments_before, result.segments_after) == (2, 1)
    assert result.saved == 1


def test_replacements_name_position_original_and_new_text() -> None:
    result = doctor("It’s 9–5…")
    assert result.replacements == (
        Replacement(2, "’", "'"),
        Replacement(6, "–", "-"),
        Replacement(8, "…", "..."),
    )


def test_emoji_stays_and_is_listed_as_kept() -> None:
    result = doctor("Thanks’ 😀")
    assert result.text == "Thanks' 😀"
    assert result.kept == ((8, "😀"),)
    assert result.after.encoding == "UCS-2"
    assert result.saved == 0


def test_joiners_inside_an_emoji_sequence_are_kept() -> None:
    family = "👨\u200d👩\u200d👧"
    heart = "❤\ufe0f"
    result = doctor(f"Hi {family} {heart}")
    assert result.text == f"Hi {family} {heart}"
    assert not result.replacements


def test_stray_joiner_between_letters_is_removed() -> None:
    assert doctor("a\u200db\ufe0f").text == "ab"


def test_accented_letters_stay_unless_asked() -> None:
    assert doctor("María").text == "María"
    assert doctor("María").kept == ((3, "í"),)
    result = doctor("María, ça va? ﬁne", letters=True)
    assert result.text == "Maria, ca va? fine"
    assert result.after.encoding == "GSM-7"


def test_gsm_text_is_returned_unchanged() -> None:
    result = doctor("Plain text {ok}")
    assert result.text == "Plain text {ok}"
    assert not result.changed
    assert result.saved == 0


def test_every_lookalike_maps_to_gsm7_text() -> None:
    for original, replacement in LOOKALIKES.items():
        assert not is_gsm7(original), original
        assert is_gsm7(replacement), original


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from([*LOOKALIKES, "a", " ", "😀", "é", "\u0301", "\u200d"])))
def test_doctor_never_costs_more_segments_and_is_idempotent(text: str) -> None:
    result = doctor(text)
    assert result.segments_after <= result.segments_before
    assert result.after == analyze(result.text)
    assert doctor(result.text).text == result.text
