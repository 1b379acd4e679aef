"""Segment counts and splits at every boundary the standards define (TS 23.038 / 23.040)."""

from __future__ import annotations

import pytest

from tui.sms.lengths import (
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
)
from tui.sms.segments import EMPTY, analyze, segment_count

EMOJI = "😀"  # outside the BMP: a surrogate pair, 2 UTF-16 units


def test_limits_follow_from_140_octets_and_a_6_octet_header() -> None:
    assert (GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS) == (160, 153)
    assert (UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS) == (70, 67)


def test_empty_text_is_zero_segments_with_a_full_segment_left() -> None:
    info = analyze("")
    assert info is EMPTY
    assert (info.segments, info.units, info.remaining, info.parts) == (0, 0, 160, ())


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments", "per_segment", "remaining"),
    [
        ("a", "GSM-7", 1, 1, 160, 159),
        ("a" * 160, "GSM-7", 160, 1, 160, 0),
        ("a" * 161, "GSM-7", 161, 2, 153, 145),
        ("a" * 306, "GSM-7", 306, 2, 153, 0),
        ("a" * 307, "GSM-7", 307, 3, 153, 152),
        ("a" * 459, "GSM-7", 459, 3, 153, 0),
        ("a" * 460, "GSM-7", 460, 4, 153, 152),
        ("a" * 153 * 10, "GSM-7", 1530, 10, 153, 0),
        ("a" * (153 * 10 + 1), "GSM-7", 1531, 11, 153, 152),
        ("é" * 160, "GSM-7", 160, 1, 160, 0),
        ("€" * 80, "GSM-7", 160, 1, 160, 0),
        ("€" * 81, "GSM-7", 162, 2, 153, 143),
        ("ü" * 69 + "’", "UCS-2", 70, 1, 70, 0),
        ("ü" * 70 + "’", "UCS-2", 71, 2, 67, 63),
        ("’" * 134, "UCS-2", 134, 2, 67, 0),
        ("’" * 135, "UCS-2", 135, 3, 67, 66),
        ("’" * 67 * 5, "UCS-2", 335, 5, 67, 0),
        (EMOJI * 35, "UCS-2", 70, 1, 70, 0),
        (EMOJI * 35 + "a", "UCS-2", 71, 2, 67, 62),
        ("Hello " + EMOJI, "UCS-2", 8, 1, 70, 62),
    ],
)
def test_boundaries(
    text: str, encoding: str, units: int, segments: int, per_segment: int, remaining: int
) -> None:
    info = analyze(text)
    assert (info.encoding, info.units, info.segments) == (encoding, units, segments)
    assert (info.per_segment, info.remaining) == (per_segment, remaining)
    assert "".join(info.parts) == text
    assert segment_count(text) == segments


def test_160_characters_with_one_euro_are_two_segments() -> None:
    info = analyze("a" * 159 + "€")
    assert (info.units, info.segments) == (161, 2)


def test_escape_pair_at_a_boundary_moves_whole_to_the_next_part() -> None:
    info = analyze("a" * 152 + "{" + "b" * 10)
    assert info.parts == ("a" * 152, "{" + "b" * 10)
    assert info.part_units == (152, 12)


def test_escape_pair_that_ends_exactly_on_the_boundary_stays() -> None:
    info = analyze("a" * 151 + "}" + "b" * 10)
    assert info.parts == ("a" * 151 + "}", "b" * 10)
    assert info.part_units == (153, 10)


def test_wasted_septet_can_add_a_segment_beyond_units_over_153() -> None:
    # 306 septets fit 2 parts only if no escape pair straddles the cut; here one does.
    text = "a" * 152 + "[" + "b" * 152
    info = analyze(text)
    assert info.units == 306
    assert info.segments == 3
    assert info.part_units == (152, 153, 1)


def test_all_extension_characters_split_in_pairs() -> None:
    info = analyze("|" * 100)
    assert info.part_units == (152, 48)
    assert info.parts == ("|" * 76, "|" * 24)


def test_surrogate_pair_at_a_boundary_moves_whole_to_the_next_part() -> None:
    info = analyze("’" * 66 + EMOJI + "xxx")
    assert info.parts == ("’" * 66, EMOJI + "xxx")
    assert info.part_units == (66, 5)


def test_surrogate_pair_that_ends_exactly_on_the_boundary_stays() -> None:
    info = analyze("’" * 65 + EMOJI + "x" * 10)
    assert info.part_units == (67, 10)


def test_only_emoji_split_in_pairs() -> None:
    info = analyze(EMOJI * 40)
    assert info.part_units == (66, 14)
    assert info.parts == (EMOJI * 33, EMOJI * 7)


def test_extension_character_costs_one_unit_in_a_ucs2_message() -> None:
    info = analyze("€’")
    assert (info.encoding, info.units) == ("UCS-2", 2)


def test_non_gsm_lists_every_culprit_with_its_position() -> None:
    info = analyze("It’s “fine” 😀 ok")
    assert info.non_gsm == ((2, "’"), (5, "“"), (10, "”"), (12, EMOJI))


def test_non_gsm_in_a_text_of_another_script_lists_every_character() -> None:
    text = "価格" * 50 + " ok"
    info = analyze(text)
    assert len(info.non_gsm) == 100
    assert info.non_gsm[:2] == ((0, "価"), (1, "格"))


def test_gsm_text_reports_no_culprits_and_septets_as_unit_name() -> None:
    info = analyze("Sale: 20% off {today}!")
    assert info.non_gsm == ()
    assert info.unit_name == "septets"
    assert info.units == len("Sale: 20% off {today}!") + 2


def test_carriage_return_and_newline_are_one_septet_each() -> None:
    assert analyze("a\r\nb").units == 4


def test_more_than_255_parts_is_too_long() -> None:
    assert not analyze("a" * 153 * 255).too_long
    assert analyze("a" * (153 * 255 + 1)).too_long
