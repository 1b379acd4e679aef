"""The safe-text boundary: controls visible, markup literal, emoji sequences intact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.safe_text import csv_cell, csv_uncell, for_log, shorten, shown

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
THUMB = "👍🏽"
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


def test_escape_sequences_become_visible_placeholders() -> None:
    assert shown("a\x1b[2Jb") == "a␛[2Jb"
    assert shown("\x1b]52;c;ZXZpbA==\x07") == "␛]52;c;ZXZpbA==␇"
    assert "\x1b" not in shown("\x9b31m")


def test_nul_bidi_and_invisible_characters_are_removed() -> None:
    assert shown("a\x00b") == "ab"
    assert shown("abc\u202edcba\u2066x\u2069") == "abcdcbax"
    assert shown("pay\u200bpal") == "paypal"


def test_markup_is_left_as_literal_text() -> None:
    assert shown("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"


def test_emoji_sequences_survive_cleaning_and_shortening() -> None:
    for emoji in (FAMILY, THUMB, ENGLAND, "❤️", "1️⃣"):
        assert shown(emoji) == emoji
    cut = shorten("ab" + FAMILY, 5)
    assert cut.endswith("…") and "\u200d" not in cut[-2:]


def test_single_line_marks_line_breaks() -> None:
    assert shown("one\r\ntwo\n\nthree", single_line=True) == "one ⏎ two ⏎ three"
    assert shown("one\r\ntwo") == "one\ntwo"


def test_limit_shortens_huge_values_quickly() -> None:
    assert shown("x" * 10_000_000, limit=40) == "x" * 39 + "…"


def test_log_lines_cannot_be_forged() -> None:
    line = for_log("ok\n2026-01-01 ERROR forged\x1b[31m")
    assert "\n" not in line and "\x1b" not in line and "\\n" in line


def test_csv_cells_never_start_a_formula_and_round_trip() -> None:
    for bad in ("=HYPERLINK(1)", "+1+1", "-2", "@SUM(A1)"):
        assert csv_cell(bad).startswith("'")
        assert csv_uncell(csv_cell(bad)) == bad
    assert csv_cell("+17205550100") == "+17205550100"


@given(st.text())
def test_no_control_character_ever_reaches_the_screen(text: str) -> None:
    for single in (False, True):
        out = shown(text, single_line=single)
        assert all(c == "\n" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in out)
        assert "\x1b" not in out


@given(st.text())
def test_log_text_is_one_line(text: str) -> None:
    assert "\n" not in for_log(text) and "\r" not in for_log(text)
