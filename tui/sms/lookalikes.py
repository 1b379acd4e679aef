"""Characters that force UCS-2 but have a GSM-7 equivalent (the encoding doctor's table).

Only replacements that keep the meaning of the text are listed; letters with accents are
handled separately (and only when the caller asks), because changing "María" to "Maria" is a
choice the person makes, not a silent fix.
"""

from __future__ import annotations

from typing import Final

_SINGLE_QUOTE = "'"
_DOUBLE_QUOTE = '"'
_SPACE = " "
_HYPHEN = "-"

# Character -> GSM-7 text ("" removes an invisible character).
LOOKALIKES: Final[dict[str, str]] = {
    # quotes and apostrophes (smart quotes from phones, word processors and web pages)
    "\u2018": _SINGLE_QUOTE,  # ‘ left single quotation mark
    "\u2019": _SINGLE_QUOTE,  # ’ right single quotation mark (the usual apostrophe)
    "\u201a": _SINGLE_QUOTE,  # ‚ single low-9 quotation mark
    "\u201b": _SINGLE_QUOTE,  # ‛ single high-reversed-9 quotation mark
    "\u2032": _SINGLE_QUOTE,  # ′ prime
    "\u2039": _SINGLE_QUOTE,  # ‹ single left-pointing angle quotation mark
    "\u203a": _SINGLE_QUOTE,  # › single right-pointing angle quotation mark
    "\u00b4": _SINGLE_QUOTE,  # ´ acute accent
    "\u02bc": _SINGLE_QUOTE,  # ʼ modifier letter apostrophe
    "`": _SINGLE_QUOTE,  # grave accent: ASCII, but not in the GSM default alphabet
    "\u201c": _DOUBLE_QUOTE,  # “ left double quotation mark
    "\u201d": _DOUBLE_QUOTE,  # ” right double quotation mark
    "\u201e": _DOUBLE_QUOTE,  # „ double low-9 quotation mark
    "\u201f": _DOUBLE_QUOTE,  # ‟ double high-reversed-9 quotation mark
    "\u2033": _DOUBLE_QUOTE,  # ″ double prime
    "\u00ab": _DOUBLE_QUOTE,  # « left-pointing double angle quotation mark
    "\u00bb": _DOUBLE_QUOTE,  # » right-pointing double angle quotation mark
    # dashes and hyphens
    "\u2010": _HYPHEN,  # ‐ hyphen
    "\u2011": _HYPHEN,  # ‑ non-breaking hyphen
    "\u2012": _HYPHEN,  # ‒ figure dash
    "\u2013": _HYPHEN,  # – en dash
    "\u2014": _HYPHEN,  # — em dash
    "\u2015": _HYPHEN,  # ― horizontal bar
    "\u2212": _HYPHEN,  # − minus sign
    "\u2043": _HYPHEN,  # ⁃ hyphen bullet
    "\u2022": _HYPHEN,  # • bullet
    # ellipsis
    "\u2026": "...",
    # spaces that look like a space
    "\t": _SPACE,
    "\u00a0": _SPACE,  # no-break space
    "\u1680": _SPACE,  # ogham space mark
    "\u2000": _SPACE,  # en quad
    "\u2001": _SPACE,  # em quad
    "\u2002": _SPACE,  # en space
    "\u2003": _SPACE,  # em space
    "\u2004": _SPACE,  # three-per-em space
    "\u2005": _SPACE,  # four-per-em space
    "\u2006": _SPACE,  # six-per-em space
    "\u2007": _SPACE,  # figure space
    "\u2008": _SPACE,  # punctuation space
    "\u2009": _SPACE,  # thin space
    "\u200a": _SPACE,  # hair space
    "\u202f": _SPACE,  # narrow no-break space
    "\u205f": _SPACE,  # medium mathematical space
    "\u3000": _SPACE,  # ideographic space
    # line breaks that are not LF/CR
    "\u2028": "\n",  # line separator
    "\u2029": "\n",  # paragraph separator
    "\u0085": "\n",  # next line
    # invisible characters
    "\u200b": "",  # zero width space
    "\u200c": "",  # zero width non-joiner
    "\u2060": "",  # word joiner
    "\ufeff": "",  # zero width no-break space / byte order mark
    "\u00ad": "",  # soft hyphen
    # symbols with a GSM-7 twin (extension table characters cost 2 septets)
    "\u02c6": "^",  # ˆ modifier letter circumflex accent
    "\u02dc": "~",  # ˜ small tilde
    "\u2044": "/",  # ⁄ fraction slash
    "\u2215": "/",  # ∕ division slash
    "\u2126": "\u03a9",  # Ω ohm sign -> Greek capital omega
}

# Invisible characters that glue an emoji sequence together. Removed only when they do not sit
# next to a character that stays (otherwise "❤️" or a family emoji would fall apart).
JOINERS: Final[frozenset[str]] = frozenset({"\u200d", "\ufe0e", "\ufe0f"})
