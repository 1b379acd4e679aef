"""Count and split SMS segments exactly as a carrier bills them (GSM-7 or UCS-2), plus the doctor.

Rules (docs/segments.md has the long version):
- GSM-7 when every character is in the default alphabet or its extension table (3GPP TS
  23.038); extension characters cost 2 septets. Otherwise UCS-2, counted in UTF-16 code units
  (an emoji outside the BMP is a surrogate pair: 2 units).
- One segment holds 160 septets / 70 units; a longer message is split in parts of 153 / 67
  (TS 23.040 concatenation header). An escape pair or a surrogate pair never straddles parts.
- Empty text is 0 segments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from tui.sms.gsm7 import ALL_CHARACTERS, BASIC_CHARACTERS, EXTENSION_CHARACTERS
from tui.sms.lengths import (
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    MAX_CONCAT_PARTS,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
)
from tui.sms.lookalikes import JOINERS, LOOKALIKES

Encoding = Literal["GSM-7", "UCS-2"]
GSM7: Final[Encoding] = "GSM-7"
UCS2: Final[Encoding] = "UCS-2"


def _char_class(chars: Iterable[str]) -> str:
    return "".join(sorted(re.escape(ch) for ch in chars))


# Scanning with a compiled character class keeps the per-character work in C.
_NON_GSM: Final = re.compile(f"[^{_char_class(ALL_CHARACTERS)}]")
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")
_BMP_MAX: Final = "\uffff"
# Up to this many non-GSM characters, their list is cheaper to search than the text.
_FEW: Final = 256
_DELETE_ASCII_BASIC: Final = {ord(ch): None for ch in BASIC_CHARACTERS if ch.isascii()}
# Extension characters outside Latin-1 (only "€"); the others are ASCII.
_WIDE_NON_LATIN1: Final = tuple(sorted(ch for ch in EXTENSION_CHARACTERS if ord(ch) > 0xFF))
# bytes.translate table: an ASCII extension character -> 1, anything else -> 0.
_FLAG_ASCII_EXTENSION: Final = bytes(
    1 if chr(b) in EXTENSION_CHARACTERS else 0 for b in range(256)
)


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """What a text costs. ``units`` are septets (GSM-7) or UTF-16 code units (UCS-2).

    ``non_gsm`` lists ``(position, character)`` for every character that forced UCS-2;
    positions are indexes into the Python string (code points).
    """

    encoding: Encoding
    segments: int
    units: int
    per_segment: int
    remaining: int
    parts: tuple[str, ...]
    part_units: tuple[int, ...]
    non_gsm: tuple[tuple[int, str], ...]
    characters: int

    @property
    def unit_name(self) -> str:
        return "septets" if self.encoding == GSM7 else "UTF-16 units"

    @property
    def too_long(self) -> bool:
        """More parts than a concatenation header can number (255): no carrier will take it."""
        return self.segments > MAX_CONCAT_PARTS


EMPTY: Final = SegmentInfo(
    encoding=GSM7,
    segments=0,
    units=0,
    per_segment=GSM7_SINGLE_SEPTETS,
    remaining=GSM7_SINGLE_SEPTETS,
    parts=(),
    part_units=(),
    non_gsm=(),
    characters=0,
)


def analyze(text: str) -> SegmentInfo:
    """Encoding, segment count and the actual split of ``text`` (see the module docstring)."""
    if not text:
        return EMPTY
    n = len(text)
    first_bad = _first_non_gsm(text)
    if first_bad is None:
        encoding, single, concat = GSM7, GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS
        non_gsm: tuple[tuple[int, str], ...] = ()
        flags = _gsm7_wide_flags(text)
    else:
        encoding, single, concat = UCS2, UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS
        non_gsm = _non_gsm_positions(text, first_bad)
        flags = _ucs2_wide_flags(text, non_gsm)
    wide = flags.count(1) if flags is not None else 0
    units = n + wide
    if units <= single:
        return SegmentInfo(
            encoding, 1, units, single, single - units, (text,), (units,), non_gsm, n
        )
    if flags is None:
        parts = [text[i : i + concat] for i in range(0, n, concat)]
        sizes = [len(p) for p in parts]
    else:
        parts, sizes = _split_flagged(text, flags, concat)
    return SegmentInfo(
        encoding,
        len(parts),
        units,
        concat,
        concat - sizes[-1],
        tuple(parts),
        tuple(sizes),
        non_gsm,
        n,
    )


def _first_non_gsm(text: str) -> int | None:
    """Index of the first character outside GSM-7, or None when the text is all GSM-7."""
    if text.isascii():
        # str.translate has a C fast path for ASCII: what survives deleting the basic
        # characters is extension characters plus anything that is not GSM-7 at all.
        rest = text.translate(_DELETE_ASCII_BASIC)
        if not rest or _NON_GSM.search(rest) is None:
            return None
    found = _NON_GSM.search(text)
    return None if found is None else found.start()


def _gsm7_wide_flags(text: str) -> bytes | bytearray | None:
    """One byte per character, 1 where a GSM-7 character costs 2 septets; None when none do.

    Latin-1 encoding keeps one byte per character ("€" and the Greek capitals become "?"),
    so a byte table finds the ASCII extension characters in C; "€" is marked separately.
    """
    flags: bytes | bytearray = text.encode("latin-1", "replace").translate(
        _FLAG_ASCII_EXTENSION
    )
    for ch in _WIDE_NON_LATIN1:
        at = text.find(ch)
        if at >= 0:
            flags = bytearray(flags)
            while at >= 0:
                flags[at] = 1
                at = text.find(ch, at + 1)
    return flags if 1 in flags else None


def _ucs2_wide_flags(
    text: str, non_gsm: tuple[tuple[int, str], ...]
) -> bytearray | None:
    """One byte per character, 1 where a character is a surrogate pair; None when none is."""
    if len(non_gsm) <= _FEW:
        positions = [pos for pos, ch in non_gsm if ch > _BMP_MAX]
    else:
        positions = [m.start() for m in _ASTRAL.finditer(text)]
    if not positions:
        return None
    flags = bytearray(len(text))
    for pos in positions:
        flags[pos] = 1
    return flags


def _non_gsm_positions(text: str, start: int) -> tuple[tuple[int, str], ...]:
    # Regex scanning wins when non-GSM characters are rare (one emoji in English text); a plain
    # comprehension wins when they are dense (a text in another script).
    if len(_NON_GSM.findall(text, start, start + 64)) > 16:
        return tuple([(i, ch) for i, ch in enumerate(text) if ch not in ALL_CHARACTERS])
    return tuple((m.start(), m.group()) for m in _NON_GSM.finditer(text, start))


def _split_flagged(
    text: str, flags: bytes | bytearray, limit: int
) -> tuple[list[str], list[int]]:
    """Greedy split where the characters flagged 1 cost 2 units and the others 1.

    A 2-unit character is taken whole or left for the next part, so an escape pair or a
    surrogate pair is never cut. Stretches without a 2-unit character are cut in whole parts
    at once. Otherwise, with ``k`` 2-unit characters in the full window, cutting ``k``
    characters back always fits, and so does cutting at half the window; the search starts at
    the later of the two and walks forward one character at a time: at most ``k`` steps.
    """
    n = len(text)
    count, find = flags.count, flags.find
    parts: list[str] = []
    sizes: list[int] = []
    start = 0
    while start < n:
        plain = find(1, start)
        plain = (n if plain < 0 else plain) - start
        if plain >= limit:
            whole = plain // limit
            parts += [text[start + i * limit : start + (i + 1) * limit] for i in range(whole)]
            sizes += [limit] * whole
            start += whole * limit
            continue
        end = min(n, start + limit)
        wide = count(1, start, end)
        cost = end - start + wide
        if cost > limit:
            end = max(end - wide, start + limit // 2)
            cost = end - start + count(1, start, end)
            while end < n and cost + 1 + flags[end] <= limit:
                cost += 1 + flags[end]
                end += 1
        parts.append(text[start:end])
        sizes.append(cost)
        start = end
    return parts, sizes


def segment_count(text: str) -> int:
    """Segments ``text`` is billed as (0 for empty text)."""
    return analyze(text).segments


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM-7 default alphabet or extension."""
    return _NON_GSM.search(text) is None


# --- the encoding doctor -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Replacement:
    """``original`` at ``position`` (an index into the doctor's input) became ``replacement``.

    ``replacement`` is "" when an invisible character was removed. ``original`` has two
    characters when a letter and a combining accent were joined into one GSM-7 letter.
    """

    position: int
    original: str
    replacement: str


@dataclass(frozen=True, slots=True)
class GsmSuggestion:
    """The doctor's proposal: the new text, what changed, what had to stay, and the saving."""

    text: str
    replacements: tuple[Replacement, ...]
    kept: tuple[tuple[int, str], ...]
    before: SegmentInfo
    after: SegmentInfo

    @property
    def segments_before(self) -> int:
        return self.before.segments

    @property
    def segments_after(self) -> int:
        return self.after.segments

    @property
    def saved(self) -> int:
        return self.before.segments - self.after.segments

    @property
    def changed(self) -> bool:
        return bool(self.replacements)


def doctor(text: str, *, letters: bool = False) -> GsmSuggestion:
    """Replace characters that force UCS-2 with GSM-7 equivalents and report the saving.

    Smart quotes, dashes, the ellipsis, odd spaces, invisible characters and the like are
    replaced (``tui.sms.lookalikes``). With ``letters=True`` accented letters outside GSM-7 also
    lose their accent ("á" → "a", "ç" → "c"); by default they stay and are listed in ``kept``.
    Characters without an equivalent (emoji, other scripts) stay and are listed in ``kept``;
    ``kept`` positions are indexes into the original text.
    """
    before = analyze(text)
    if not before.non_gsm:
        return GsmSuggestion(text, (), (), before, before)
    fixes = _plan(text, before.non_gsm, letters)
    out: list[str] = []
    replacements: list[Replacement] = []
    kept: list[tuple[int, str]] = []
    last = 0
    for pos, ch in before.non_gsm:
        out.append(text[last:pos])
        last = pos + 1
        fix = fixes.get(pos)
        if fix is None:
            kept.append((pos, ch))
            out.append(ch)
        elif len(fix.original) == 2:  # combining accent joined to the letter before it
            out[-1] = out[-1][:-1] + fix.replacement
            replacements.append(fix)
        else:
            out.append(fix.replacement)
            replacements.append(fix)
    out.append(text[last:])
    new_text = "".join(out)
    return GsmSuggestion(new_text, tuple(replacements), tuple(kept), before, analyze(new_text))


def suggest_gsm(text: str, *, letters: bool = False) -> str:
    """The doctor's text only (see ``doctor``)."""
    return doctor(text, letters=letters).text


def _plan(text: str, non_gsm: tuple[tuple[int, str], ...], letters: bool) -> dict[int, Replacement]:
    """Position of each non-GSM character -> its replacement (absent: the character stays)."""
    fixes: dict[int, Replacement] = {}
    for pos, ch in non_gsm:
        sub = LOOKALIKES.get(ch)
        if sub is not None:
            fixes[pos] = Replacement(pos, ch, sub)
        elif unicodedata.combining(ch) and pos > 0 and text[pos - 1] in ALL_CHARACTERS:
            composed = unicodedata.normalize("NFC", text[pos - 1] + ch)
            if len(composed) == 1 and composed in ALL_CHARACTERS:
                fixes[pos] = Replacement(pos - 1, text[pos - 1 : pos + 1], composed)
            elif letters:
                fixes[pos] = Replacement(pos, ch, "")
        elif letters and ch not in JOINERS:
            plain = _without_accent(ch)
            if plain is not None:
                fixes[pos] = Replacement(pos, ch, plain)
    stays = {pos for pos, ch in non_gsm if pos not in fixes and ch not in JOINERS}
    for pos, ch in non_gsm:
        if ch in JOINERS and pos - 1 not in stays and pos + 1 not in stays:
            fixes[pos] = Replacement(pos, ch, "")
    return fixes


def _without_accent(ch: str) -> str | None:
    """``ch`` with accents and compatibility forms removed, if that leaves GSM-7 text."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if plain and plain != ch and all(c in ALL_CHARACTERS for c in plain):
        return plain
    return None
