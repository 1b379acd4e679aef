"""The GSM 7-bit default alphabet and extension table, checked against 3GPP TS 23.038 § 6.2.1."""

from __future__ import annotations

import pytest

from tui.sms import gsm7
from tui.sms.segments import analyze, is_gsm7

# (code, character) rows from the standard's table, one per column of the printed table's
# first and last rows and every irregular entry.
DEFAULT_ALPHABET_ROWS = [
    (0x00, "@"), (0x01, "£"), (0x02, "$"), (0x03, "¥"), (0x04, "è"), (0x05, "é"),
    (0x06, "ù"), (0x07, "ì"), (0x08, "ò"), (0x09, "Ç"), (0x0A, "\n"), (0x0B, "Ø"),
    (0x0C, "ø"), (0x0D, "\r"), (0x0E, "Å"), (0x0F, "å"), (0x10, "Δ"), (0x11, "_"),
    (0x12, "Φ"), (0x13, "Γ"), (0x14, "Λ"), (0x15, "Ω"), (0x16, "Π"), (0x17, "Ψ"),
    (0x18, "Σ"), (0x19, "Θ"), (0x1A, "Ξ"), (0x1C, "Æ"), (0x1D, "æ"), (0x1E, "ß"),
    (0x1F, "É"), (0x20, " "), (0x21, "!"), (0x22, '"'), (0x23, "#"), (0x24, "¤"),
    (0x25, "%"), (0x26, "&"), (0x27, "'"), (0x28, "("), (0x29, ")"), (0x2A, "*"),
    (0x2B, "+"), (0x2C, ","), (0x2D, "-"), (0x2E, "."), (0x2F, "/"), (0x30, "0"),
    (0x39, "9"), (0x3A, ":"), (0x3B, ";"), (0x3C, "<"), (0x3D, "="), (0x3E, ">"),
    (0x3F, "?"), (0x40, "¡"), (0x41, "A"), (0x5A, "Z"), (0x5B, "Ä"), (0x5C, "Ö"),
    (0x5D, "Ñ"), (0x5E, "Ü"), (0x5F, "§"), (0x60, "¿"), (0x61, "a"), (0x7A, "z"),
    (0x7B, "ä"), (0x7C, "ö"), (0x7D, "ñ"), (0x7E, "ü"), (0x7F, "à"),
]

EXTENSION_ROWS = [
    (0x0A, "\f"), (0x14, "^"), (0x28, "{"), (0x29, "}"), (0x2F, "\\"),
    (0x3C, "["), (0x3D, "~"), (0x3E, "]"), (0x40, "|"), (0x65, "€"),
]


@pytest.mark.parametrize(("code", "char"), DEFAULT_ALPHABET_ROWS)
def test_default_alphabet_character_has_the_standard_code(code: int, char: str) -> None:
    assert gsm7.DEFAULT_ALPHABET_CODES[char] == code
    assert gsm7.septets(char) == 1


@pytest.mark.parametrize(("code", "char"), EXTENSION_ROWS)
def test_extension_table_character_costs_two_septets(code: int, char: str) -> None:
    assert gsm7.EXTENSION_TABLE[char] == code
    assert gsm7.septets(char) == 2
    info = analyze(char)
    assert (info.encoding, info.units) == ("GSM-7", 2)


def test_default_alphabet_has_127_characters_and_the_escape() -> None:
    assert len(gsm7.DEFAULT_ALPHABET) == 128
    assert gsm7.DEFAULT_ALPHABET[gsm7.ESCAPE] == "\x1b"
    assert len(gsm7.BASIC_CHARACTERS) == 127
    assert "\x1b" not in gsm7.ALL_CHARACTERS
    assert len(gsm7.EXTENSION_CHARACTERS) == 10
    assert not gsm7.BASIC_CHARACTERS & gsm7.EXTENSION_CHARACTERS


def test_every_printable_ascii_character_except_backtick_is_gsm7() -> None:
    printable = [chr(c) for c in range(0x20, 0x7F)]
    assert [ch for ch in printable if ch not in gsm7.ALL_CHARACTERS] == ["`"]


@pytest.mark.parametrize(
    "char",
    [
        "`",  # ASCII, but 0x60 in GSM-7 is ¿
        "\t",  # tab is not in the alphabet
        "\x1b",  # ESC is an escape code, not a character
        "\u00a0",  # no-break space
        "ç",  # the standard's table has capital Ç at 0x09
        "á", "í", "ó", "ú", "â", "ê", "õ",
        "’", "“", "—", "…",
        "😀",
        "¢",
    ],
)
def test_character_outside_both_tables_forces_ucs2(char: str) -> None:
    assert not is_gsm7(char)
    info = analyze("Hi " + char)
    assert info.encoding == "UCS-2"
    assert info.non_gsm == ((3, char),)


def test_septets_of_unknown_character_raises_key_error() -> None:
    with pytest.raises(KeyError):
        gsm7.septets("😀")
