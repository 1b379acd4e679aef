"""The GSM 7-bit default alphabet and its extension table, as 3GPP TS 23.038 § 6.2.1 defines them.

Names follow the standard: the *default alphabet* (128 code points, one septet each) and the
*default alphabet extension table* (reached with the escape code 0x1B, so each character costs
two septets). National language shift tables (§ 6.2.1.2.4) are not used: US carriers do not
support them, so a message using them would not be sent as GSM-7 anyway.
"""

from __future__ import annotations

from typing import Final

# 0x1B in the default alphabet is ESC (escape to the extension table), not a character.
ESCAPE: Final = 0x1B

# The default alphabet in code order 0x00-0x7F, 16 per line; "\x1b" stands in at 0x1B (ESC).
# 0x09 is "Ç" as the table in TS 23.038 shows it (the Unicode mapping notes that the intent may
# have been "ç"; we follow the standard's table, so "ç" is not GSM-7 and costs UCS-2).
DEFAULT_ALPHABET: Final[str] = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)

# Default alphabet extension table: character -> code after the 0x1B escape.
EXTENSION_TABLE: Final[dict[str, int]] = {
    "\f": 0x0A,  # FORM FEED (page break)
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}

# Character -> septet code in the default alphabet (ESC excluded: it is not a character).
DEFAULT_ALPHABET_CODES: Final[dict[str, int]] = {
    ch: code for code, ch in enumerate(DEFAULT_ALPHABET) if code != ESCAPE
}

BASIC_CHARACTERS: Final[frozenset[str]] = frozenset(DEFAULT_ALPHABET_CODES)
EXTENSION_CHARACTERS: Final[frozenset[str]] = frozenset(EXTENSION_TABLE)
ALL_CHARACTERS: Final[frozenset[str]] = BASIC_CHARACTERS | EXTENSION_CHARACTERS

# Septets a character costs in a GSM-7 message.
SEPTETS_BASIC: Final = 1
SEPTETS_EXTENSION: Final = 2  # ESC + code


def septets(ch: str) -> int:
    """Septets ``ch`` costs in GSM-7; raises ``KeyError`` when it is not in either table."""
    if ch in BASIC_CHARACTERS:
        return SEPTETS_BASIC
    if ch in EXTENSION_CHARACTERS:
        return SEPTETS_EXTENSION
    raise KeyError(ch)
