"""Properties of the splitter, checked against a plain character-by-character reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sms.gsm7 import ALL_CHARACTERS, BASIC_CHARACTERS, EXTENSION_CHARACTERS
from tui.sms.segments import analyze

GSM_CHARS = sorted(ALL_CHARACTERS)
BASIC = sorted(BASIC_CHARACTERS)

gsm_text = st.text(alphabet=st.sampled_from(GSM_CHARS), max_size=700)
basic_text = st.text(alphabet=st.sampled_from(BASIC), max_size=700)
# Mostly GSM, with culprits and astral characters mixed in.
mixed_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(GSM_CHARS),
        st.sampled_from(["’", "—", "😀", "🇺", "\u200d", "漢", "\U0010ffff", "\t"]),
        st.characters(codec="utf-8"),  # utf-8 has no lone surrogates
    ),
    max_size=700,
)


def _width(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in EXTENSION_CHARACTERS else 1
    return 2 if ord(ch) > 0xFFFF else 1


def _reference(text: str) -> tuple[str, list[str]]:
    """One character at a time, as the standard describes it."""
    gsm = all(ch in ALL_CHARACTERS for ch in text)
    single, concat = (160, 153) if gsm else (70, 67)
    total = sum(_width(ch, gsm) for ch in text)
    if total <= single:
        return ("GSM-7" if gsm else "UCS-2"), [text] if text else []
    parts, current, used = [], "", 0
    for ch in text:
        w = _width(ch, gsm)
        if used + w > concat:
            parts.append(current)
            current, used = "", 0
        current += ch
        used += w
    parts.append(current)
    return ("GSM-7" if gsm else "UCS-2"), parts


@settings(max_examples=300)
@given(mixed_text)
def test_analyze_agrees_with_the_character_by_character_reference(text: str) -> None:
    info = analyze(text)
    encoding, parts = _reference(text)
    assert info.encoding == encoding
    assert list(info.parts) == parts
    assert info.segments == len(parts)


@settings(max_examples=300)
@given(st.one_of(gsm_text, mixed_text))
def test_parts_rejoin_to_the_text_and_none_is_over_the_limit(text: str) -> None:
    info = analyze(text)
    assert "".join(info.parts) == text
    assert all(0 < u <= info.per_segment for u in info.part_units)
    assert sum(info.part_units) == info.units
    assert info.remaining == info.per_segment - (info.part_units[-1] if text else 0)
    gsm = info.encoding == "GSM-7"
    for part, units in zip(info.parts, info.part_units, strict=True):
        assert units == sum(_width(ch, gsm) for ch in part)
        if not gsm:
            assert len(part.encode("utf-16-le")) // 2 == units


@settings(max_examples=300)
@given(gsm_text)
def test_gsm_only_text_never_reports_ucs2(text: str) -> None:
    info = analyze(text)
    assert info.encoding == "GSM-7"
    assert info.non_gsm == ()


@settings(max_examples=200)
@given(basic_text)
def test_basic_gsm_text_costs_one_septet_per_character(text: str) -> None:
    assert analyze(text).units == len(text)


@settings(max_examples=200)
@given(mixed_text)
def test_every_non_gsm_position_points_at_its_character(text: str) -> None:
    info = analyze(text)
    assert all(text[pos] == ch for pos, ch in info.non_gsm)
    expected = [(i, ch) for i, ch in enumerate(text) if ch not in ALL_CHARACTERS]
    assert list(info.non_gsm) == expected
