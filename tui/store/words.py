"""Search words of a contact: names, email and its domain, custom fields and phone digits.

Each word is folded (lower case, accents dropped) so "jose" finds "José"; a typed term finds
every contact with a word that starts with it. The same folding runs on what a person types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from tui.store.search import fold

_SPLIT = re.compile(r"[\s,;:/|()\[\]{}<>\"'`]+")
# A word longer than this is not something a person types the start of.
MAX_WORD = 40


def _words(text: str | None) -> list[str]:
    if not text:
        return []
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return [w[:MAX_WORD] for w in _SPLIT.split(fold(printable)) if w]


def _email_words(email: str | None) -> list[str]:
    words = _words(email)
    for word in list(words):
        local, _, domain = word.partition("@")
        words.extend(w for w in (local, domain) if w)
        words.extend(w for w in re.split(r"[._+-]+", local) if w)
    return words


def _phone_words(phone: str) -> list[str]:
    digits = "".join(ch for ch in phone if ch.isdigit())
    words = [digits]
    if phone.startswith("+1") and len(digits) == 11:
        words.append(digits[1:])  # the national number a person in the US types: 7205550100
    return words


def contact_words(
    *, first_name: str | None, last_name: str | None, email: str | None, phone: str,
    fields: Mapping[str, str] | None = None,
) -> set[str]:
    """Every word to index for one contact."""
    custom: Iterable[str] = (w for value in (fields or {}).values() for w in _words(str(value)))
    return {*_words(first_name), *_words(last_name), *_email_words(email), *_phone_words(phone),
            *custom}


def prefix_range(term: str) -> tuple[str, str]:
    """``word >= low AND word < high`` finds every word starting with ``term``."""
    return term, term + "\U0010ffff"
