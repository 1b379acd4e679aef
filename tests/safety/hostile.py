"""A shared corpus of hostile strings: put every one into every place a stranger's text can reach.

Anyone can text the number or name a contact, so tests feed these into names, texts, toasts,
the terminal title, server error messages and exports, and check that the app keeps running,
shows each one literally (or with visible placeholders) and writes no raw control to the
terminal. ``EMOJI`` holds sequences that must come out intact.

Use::

    from tests.safety.hostile import HOSTILE, EMOJI, terminal_leaks, readable_core
"""

from __future__ import annotations

import re

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # ZWJ sequence
THUMB_MEDIUM = "👍🏽"  # skin tone modifier
FLAG_FR = "🇫🇷"  # regional indicator pair
FLAG_ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag sequence
KEYCAP_ONE = "1\ufe0f\u20e3"  # keycap
RED_HEART = "\u2764\ufe0f"  # variation selector 16
RAINBOW_FLAG = "🏳\ufe0f\u200d🌈"  # VS16 + ZWJ

EMOJI: dict[str, str] = {
    "zwj family": FAMILY,
    "skin tone": THUMB_MEDIUM,
    "flag": FLAG_FR,
    "tag flag": FLAG_ENGLAND,
    "keycap": KEYCAP_ONE,
    "variation selector": RED_HEART,
    "rainbow flag": RAINBOW_FLAG,
}

LONG = "Z" * 10_000

HOSTILE: dict[str, str] = {
    # Rich/Textual markup of every kind
    "close bold": "[/b]",
    "close all": "[/]",
    "close bold twice": "[b]x[/b][/b]",
    "open bold": "[b]bold?",
    "action link": "[@click=app.quit]click me[/]",
    "action on screen": "[@click=screen.dismiss]x[/]",
    "link markup": "[link=https://evil.example/]free money[/link]",
    "style markup": "[red on white]red?[/red on white]",
    "on click markup": "[on_click=app.bell]x[/]",
    "variable markup": "$accent [$accent]x[/] $primary",
    "escaped bracket": "\\[b]not bold\\[/b]",
    "unbalanced brackets": "[[[]]]][/[[/",
    "emoji code": ":warning: :smile:",
    # terminal escape families
    "csi clear screen": "\x1b[2Jwiped",
    "csi colour": "\x1b[31mred\x1b[0mtail",
    "csi cursor home": "\x1b[Hhome\x1b[Kerase",
    "osc 2 title": "\x1b]2;pwned title\x07after",
    "osc 0 title st": "\x1b]0;pwned\x1b\\after",
    "osc 52 clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07copied",
    "osc 8 link": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "dcs": "\x1bPq#0;2;0;0;0#1;2;100;100;0\x1b\\dcs",
    "apc": "\x1b_Gf=100;AAAA\x1b\\apc",
    "c1 csi": "\x9b2J8bit",
    "c1 osc": "\x9d2;c1 title\x9c",
    "bell": "ring\x07ring",
    "backspace": "abc\x08\x08\x08xyz",
    "cr overwrite": "amount: $1000\rpaid    ",
    "nul": "nu\x00ll",
    "del": "de\x7fl",
    "newline forge": "hello\n2026-11-30 ERROR forged log line",
    "form feed vtab": "a\x0cb\x0bc",
    # bidi and invisibles
    "bidi override": "abc\u202egnp.exe",
    "bidi isolates": "\u2066\u2067x\u2069\u2068y\u2069",
    "rtl mark": "\u200fright\u200e",
    "zero width": "pay\u200bpal\ufeff\u2060",
    # size and shaping
    "very long": LONG,
    "long line of markup": "[b]" * 500,
    "combining marks": "Z\u0351\u0358\u0300\u0301\u0302\u0303\u0304\u0305a\u0336l\u0337g\u0338o",
    "wide cjk": "中文名字很长的联系人",
    "arabic": "مرحبا بك",
    "lone surrogate": "bad\ud800half",
    # emoji that must survive
    **{f"emoji {name}": f"hi {value} there" for name, value in EMOJI.items()},
}

# Sequences Textual itself writes: SGR styles, cursor moves/visibility, synchronized output,
# mouse/keyboard modes, and our own title write (checked separately by the tests).
_OWN_SEQUENCES = re.compile(
    r"\x1b\[[0-9;:]*m"  # SGR
    r"|\x1b\[\d*(?:;\d*)?[HABCDGf]"  # cursor moves
    r"|\x1b\[\?[0-9;]*[hl]"  # private modes (cursor, sync, mouse)
    r"|\x1b\[\?[0-9;]*\$p"  # mode queries (DECRQM) a real terminal driver sends
    r"|\r\n"  # line ends of a real terminal driver
    r"|\x1b\[[0-2]?K"  # erase in line
    r"|\x1b\[>[0-9;]*u|\x1b\[<u"  # kitty keyboard
    r"|\x1b\]2;[^\x07\x1b]*\x07"  # terminal title (OSC 2)
    r"|\x1b\]22;[a-z-]*(?:\x07|\x1b\\)"  # mouse pointer shape (OSC 22)
    r"|\x1b\]8;[^\x07\x1b]*\x1b\\"  # OSC 8 link written by Textual for styled links
)
_RAW_CONTROLS = re.compile("[\x00\x08\x0d\x1b\x7f-\x9f]")


def terminal_leaks(output: str, corpus: dict[str, str] | None = None) -> list[str]:
    """What in ``output`` (all a driver wrote) came raw from foreign text; ``[]`` when none.

    Two checks: after removing the sequences Textual writes itself, no ESC, C1, NUL, BS, CR or
    DEL is left; and no control character of a corpus string appears with its neighbours
    (``"ed\\x1b[0m"``), which catches a payload hiding among Textual's own sequences.
    """
    leaks: list[str] = []
    rest = _OWN_SEQUENCES.sub("", output)
    for found in _RAW_CONTROLS.finditer(rest):
        leaks.append(repr(rest[max(0, found.start() - 20):found.end() + 20]))
    for name, value in (corpus if corpus is not None else HOSTILE).items():
        for index, char in enumerate(value):
            if (ord(char) < 0x20 and char not in "\n\t") or 0x7F <= ord(char) <= 0x9F:
                window = value[max(0, index - 2):index + 6]
                if len(window) >= 5 and window in output:
                    leaks.append(f"{name}: {window!r}")
    return leaks


def readable_core(value: str, size: int = 12) -> str:
    """A stretch of ``value`` that must appear literally on screen once it is shown safely.

    The longest run of letters, digits, brackets and punctuation without controls, bidi or
    invisible characters, cut to ``size`` characters, so a test can look for it in what the
    screen shows (lists and titles shorten, so short is better).
    """
    from tui.safe_text import shown

    cleaned = shown(value, single_line=True)
    runs = re.findall(r"[^\s␀-␡\ufffd…⏎]+", cleaned)
    best = max(runs, key=len, default="")
    return best[:size]
