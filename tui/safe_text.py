"""Text from strangers made safe to show, log or export: the one boundary for foreign strings.

Anyone can text the number or name a contact, so a name, a text, a provider field or a server
message is data, never markup and never terminal control. Everything from outside passes here:

- ``shown``: for the screen. Control characters (C0, DEL, C1, ESC) become visible placeholders
  (``␛`` for ESC), NUL is dropped, bidi overrides/isolates and invisible spacing are removed,
  emoji sequences (ZWJ, variation selectors, skin tones, tag flags) are kept intact. With
  ``single_line`` newlines become `` ⏎ ``; ``limit`` shortens with an ellipsis without cutting
  an emoji sequence in half. The UI wraps the result in ``Content``/``Text`` (never markup).
- ``for_log``: one event, one line: every control character escaped (``\\n``, ``\\x1b``).
- ``csv_cell`` / ``csv_uncell``: exports that a spreadsheet cannot turn into a formula.
- ``json_escaped``: a JSON document (``ensure_ascii=False``) with DEL, C1, bidi and invisible
  characters written as ``\\uXXXX`` escapes: the same data, nothing raw for a terminal.
- ``typed``: text the person wrote (``$EDITOR``, a paste, a saved reply) kept to be sent:
  escape sequences and control characters removed, line breaks and emoji kept.

No Textual here: the log, the store, the CLI and exports use it too.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi embeddings, overrides, isolates and marks: they reorder what follows on screen.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Invisible characters used to hide or spoof text. ZWJ (U+200D) and ZWNJ (U+200C) are kept:
# emoji sequences and several scripts need them.
INVISIBLE = frozenset("\u200b\u2060\ufeff\u180e\u2061\u2062\u2063\u2064")
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85\x0b\x0c")
# Characters that glue to the one before: never cut a text just before them.
_JOINERS = frozenset("\u200d\ufe0e\ufe0f\u20e3")
_LOG_ESCAPED = BIDI_CONTROLS | INVISIBLE | frozenset("\u2028\u2029")
NEWLINE_MARK = " ⏎ "
ELLIPSIS = "…"
# Whole escape sequences (CSI, OSC, DCS/SOS/PM/APC, two-byte ESC x), 7-bit and 8-bit forms.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _placeholder(char: str) -> str:
    """A visible stand-in for a control character: the Unicode 'control pictures'."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀..␟, ESC is ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls and lone surrogates have no picture


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def shown(value: object, *, single_line: bool = False, limit: int | None = None) -> str:
    """``value`` as plain text that is safe to put on the terminal (see the module doc)."""
    text = "" if value is None else str(value)
    if limit is not None and len(text) > limit * 4 + 64:
        text = text[: limit * 4 + 64]  # a 10 MB field is not scanned whole to show 40 cells
    # \r\n is one line break; a lone \r is a line break too, never a return to overwrite
    # what was shown ("amount: $1000\rpaid" must not read "paid").
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    previous = ""
    for char in text:
        if char == "\x00" or char in BIDI_CONTROLS or char in INVISIBLE:
            continue
        if char in LINE_BREAKS and char not in "\x0b\x0c":
            piece = NEWLINE_MARK if single_line else "\n"
        elif char == "\t":
            piece = " " if single_line else "    "
        elif _is_control(char):
            piece = _placeholder(char)
        else:
            piece = char
        if single_line and piece == NEWLINE_MARK and previous == NEWLINE_MARK:
            continue
        out.append(piece)
        previous = piece
    result = "".join(out)
    if single_line:
        result = result.strip(" ")
    if limit is not None:
        result = shorten(result, limit)
    return result


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in ``…`` when cut, never inside an emoji sequence."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and (_glues(text[cut]) or text[cut - 1] == "\u200d"):
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def _glues(char: str) -> bool:
    code = ord(char)
    return (
        char in _JOINERS
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or unicodedata.combining(char) != 0
    )


def for_log(value: object, *, limit: int = 2000) -> str:
    """One log line: control characters escaped as ``\\xNN``/``\\n``, bidi and invisibles too."""
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[:limit] + f"…(+{len(text) - limit} chars)"
    out: list[str] = []
    for char in text:
        if char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif _is_control(char) or char in _LOG_ESCAPED:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _looks_like_phone(text: str) -> bool:
    return text.startswith("+") and len(text) > 1 and text[1:].isdigit()


def csv_cell(value: object) -> str:
    """A cell for an exported CSV: safe text, and never read as a formula by a spreadsheet.

    A cell starting with ``= + - @`` (or tab/CR) gets a leading apostrophe, which spreadsheets
    treat as "this is text". E.164 numbers (``+17205550100``) are left as they are: they are
    our own normalised output, not a formula, and importing them back must work.
    """
    text = shown(value)
    # Some spreadsheets trim leading spaces before reading a formula ("  =1+1", a tab shown
    # as spaces), so those are guarded too.
    if text.lstrip(" ").startswith(FORMULA_STARTS) and not _looks_like_phone(text):
        return "'" + text
    return text


def csv_uncell(text: str) -> str:
    """Undo ``csv_cell``'s guard when reading our own export back in."""
    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def typed(value: str) -> str:
    """Text a person wrote or pasted, to be sent as it is meant: ``\r\n`` becomes ``\n``;
    escape sequences, NUL, other control characters and bidi overrides are removed (a text
    must not carry terminal commands or reorder itself); tabs, newlines, emoji, RTL marks and
    every script are kept."""
    text = _ESCAPE_SEQUENCE.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(
        char for char in text
        if char in "\n\t" or not (_is_control(char) or char in _OVERRIDES or char == "\ufeff")
    )


_JSON_ESCAPED = _LOG_ESCAPED | frozenset(chr(c) for c in range(0x7F, 0xA0))


def json_escaped(document: str) -> str:
    """``document`` (from ``json.dumps(..., ensure_ascii=False)``) with DEL, C1 controls, bidi
    and invisible characters as ``\\uXXXX`` escapes: still the same JSON, and nothing in it can
    drive a terminal (json already escapes C0). These characters only occur inside strings."""
    if not any(char in _JSON_ESCAPED or 0xD800 <= ord(char) <= 0xDFFF for char in document):
        return document
    return "".join(
        f"\\u{ord(char):04x}" if char in _JSON_ESCAPED or 0xD800 <= ord(char) <= 0xDFFF
        else char
        for char in document
    )
