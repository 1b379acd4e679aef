"""Compliance checks: STOP/START/HELP keywords, opt-out wording, footers and quiet hours.

Keyword lists live in ``tui.sms.keywords`` and the calling-hours rule in ``tui.sms.tcpa``;
quiet-hours logic in ``tui.sms.quiet_hours`` is re-exported here so callers have one place.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

from tui.sms.keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS
from tui.sms.quiet_hours import NoSendWindow, Window, next_allowed_send, quiet_hours_block

__all__ = [
    "OPT_OUT_FOOTER",
    "KeywordKind",
    "NoSendWindow",
    "Window",
    "classify_keyword",
    "has_opt_out_language",
    "looks_like_opt_out",
    "next_allowed_send",
    "quiet_hours_block",
]

KeywordKind = Literal["opt_out", "opt_in", "help"]

# The footer the composer offers when a campaign has no opt-out instruction.
OPT_OUT_FOOTER: Final = "Reply STOP to opt out."

_SEPARATORS: Final = re.compile(r"[\s\-_]+")
# Punctuation, symbols and emoji around a keyword ("STOP.", "stop!!", "'Stop'", "STOP 🛑").
_EDGES: Final = re.compile(r"^[\W_]+|[\W_]+$")


def _keyword_form(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _SEPARATORS.sub("", _EDGES.sub("", text)).upper()


_KEYWORDS: Final[dict[str, KeywordKind]] = {
    **{_keyword_form(k): "opt_out" for k in OPT_OUT_KEYWORDS},
    **{_keyword_form(k): "opt_in" for k in OPT_IN_KEYWORDS},
    **{_keyword_form(k): "help" for k in HELP_KEYWORDS},
}
_LONGEST_KEYWORD: Final = max(map(len, _KEYWORDS))


def classify_keyword(body: str | None) -> KeywordKind | None:
    """What an inbound text means as a keyword, judged on the whole message.

    Case, surrounding spaces and punctuation are ignored ("stop", " STOP. ", "Stop!"), and so
    are spaces or hyphens inside ("OPT OUT", "opt-out", "STOP ALL"). "Please stop" is not a
    keyword: ``looks_like_opt_out`` is for sentences.
    """
    if not body:
        return None
    # A keyword is short; a long text cannot be one, whatever its edges are.
    if len(body) > 4 * _LONGEST_KEYWORD + 16:
        return None
    return _KEYWORDS.get(_keyword_form(body))


_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_TEXTS: Final = r"(?:texts?|txts?|messages?|msgs?|sms|spam)"
_SENDING: Final = r"(?:texting|txting|messaging|sending|contacting|calling|" + _TEXTS + ")"
_OPT_OUT_SENTENCE: Final = re.compile(
    r"^\W*(?:stop|unsubscribe|unsub|quit|cancel|end|revoke|opt\W?out)\b"
    r"|\b(?:stop|quit|cease|end)\W+" + _SENDING
    + r"\b|\bplease\W+stop\b|\bstop\W*(?:it|now|please|pls)?\W*$"
    r"|\bremove\W+(?:me|my\W+(?:number|phone|cell|#|info))\b"
    r"|\btake\W+(?:me|my\W+(?:number|phone|cell))\W+off\b"
    r"|\b(?:unsubscribe|unsub|opt\W?out|optout|revoke)\b"
    r"|\b(?:don'?t|do\W+not|never)\W+(?:ever\W+)?(?:text|txt|message|msg|contact|sms|send|call)\b"
    r"|\bno\W+more\W+" + _TEXTS
    + r"|\bleave\W+me\W+alone\b"
    r"|\bwrong\W+(?:number|person|#)\b"
    r"|\b(?:end|cancel|stop)\W+(?:my|this|the|your)\W+(?:subscription|membership|list)\b"
    r"|\b(?:delete|lose|erase)\W+my\W+(?:number|info|contact)\b",
    re.IGNORECASE,
)


def looks_like_opt_out(body: str | None) -> bool:
    """True when free text probably asks to stop ("please stop texting me", "remove me").

    Meant to flag a conversation for a person to review, so it errs towards True. Exact
    opt-out keywords are included.
    """
    if not body:
        return False
    if classify_keyword(body) == "opt_out":
        return True
    return _OPT_OUT_SENTENCE.search(body.translate(_APOSTROPHES)) is not None


_STOP_WORDS: Final = r"(?:stop\W?all|stop|end|cancel|unsubscribe|quit|opt\W?out|optout)"
_OUTCOMES: Final = r"(?:opt\W?out|optout|end|stop|unsubscribe|unsub|cancel|quit|be\W+removed)"
_FOOTER: Final = re.compile(
    # "Reply STOP to opt out", "Txt STOP to end", "Text STOP to 12345", "reply with STOP"
    r"\b(?:reply|respond|txt|text|send|msg|message)\W{1,3}(?:with\W{1,3})?(?:the\W+word\W+)?"
    + _STOP_WORDS
    + r"\b"
    # "STOP to unsubscribe", "STOP=end", "stop 2 quit"
    r"|\bstop\W{0,3}(?:to|2|=|:|-|for)\W{0,3}" + _OUTCOMES + r"\b"
    # "END to stop", "QUIT to cancel": only in capitals, or "end to end" would count
    r"|(?-i:\b(?:STOPALL|END|CANCEL|UNSUBSCRIBE|QUIT)\b)\W{0,3}(?:to|2|=|:|-)\W{0,3}"
    + _OUTCOMES
    + r"\b",
    re.IGNORECASE,
)


def has_opt_out_language(text: str | None) -> bool:
    """True when a campaign text tells people how to opt out ("Reply STOP to opt out").

    Recognises the usual footers: "Reply STOP to opt out", "Txt STOP to end",
    "STOP to unsubscribe", "Text STOP to 12345 to quit", "reply with STOP".
    """
    if not text:
        return False
    return _FOOTER.search(text.translate(_APOSTROPHES)) is not None
