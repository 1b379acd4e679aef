"""Turning what a person types into search terms: words, phone digits, FTS5 and LIKE patterns."""

from __future__ import annotations

import unicodedata

from tui.frozen_record import frozen_record

_PHONE_CHARS = frozenset("0123456789+-() .")
# Fewer digits than this is a word ("4u"), not a piece of a phone number.
MIN_PHONE_DIGITS = 2


# Letters that do not decompose into a base letter + accent but that people type without it.
_PLAIN_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae",
                                "œ": "oe", "þ": "th", "ð": "d"})


def fold(text: str) -> str:
    """Case and accents folded the way people search: "Müller" and "MULLER" become "muller"."""
    if text.isascii():
        return text.lower()
    # Compatibility forms ("𝓐", "ᴬ") only become letters after NFKD, and casefold maps some
    # scripts (Cherokee) to upper case: decompose, fold, decompose again, then lower, so that
    # folding twice changes nothing.
    once = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in once.lower() if not unicodedata.combining(ch))
    return bare.translate(_PLAIN_LETTERS)


FOLD_FUNCTION = "smsdesk_fold"


def sql_fold(text: str | None) -> str:
    """``fold`` for SQLite (registered as ``smsdesk_fold``): NULL folds to ''."""
    return fold(text) if text else ""


@frozen_record
class Term:
    text: str  # the word as typed, lower-cased (and accents folded when asked)
    digits: str  # its digits when it looks like part of a phone number, else ""


def split_terms(query: str, *, fold_accents: bool = False) -> list[Term]:
    """Words of the query; a phone-looking chunk ("(650) 253-00") stays one term.

    Lower-cased; with ``fold_accents`` also without accents (for indexes of folded text)."""
    # Control characters (a pasted NUL) would end an FTS5 string early; nobody searches for them.
    text = "".join(ch if ch.isprintable() else " " for ch in query).strip()
    text = fold(text) if fold_accents else text.lower()
    if not text:
        return []
    if all(ch in _PHONE_CHARS for ch in text):
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= MIN_PHONE_DIGITS:
            return [Term(digits, digits)]
    terms: list[Term] = []
    for word in text.split():
        digits = "".join(ch for ch in word if ch.isdigit())
        looks_phone = all(ch in _PHONE_CHARS for ch in word) and len(digits) >= MIN_PHONE_DIGITS
        terms.append(Term(word, digits if looks_phone else ""))
    return terms


def fts_phrase(text: str) -> str:
    """A trigram FTS5 phrase matching ``text`` anywhere (quotes escaped, no operators)."""
    return '"' + text.replace('"', '""') + '"'


def like_contains(text: str) -> str:
    """A LIKE pattern (ESCAPE '\\') matching ``text`` anywhere."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
