"""What the server refuses in a contact's fields, known before anything is sent.

The seed lists the fields but not their formats; these follow the sandbox's rules (written in
docs/api-contract.md): an email has one ``@`` and a domain with a dot, a birth date is a real
``YYYY-MM-DD`` date, a gender is male, female or other. An import's dry run uses them, so a row
the server would answer with a 422 is counted invalid, with its reason, before the import.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from tui.safe_text import shown

GENDERS = ("male", "female", "other")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _quoted(value: str) -> str:
    return repr(shown(value, single_line=True, limit=60))


def email_problem(value: str) -> str | None:
    if _EMAIL.match(value):
        return None
    return f"email: {_quoted(value)} is not an email address (like name@example.com)"


def birth_date_problem(value: str) -> str | None:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            date.fromisoformat(value)
            return None
    except ValueError:
        return f"birth date: {_quoted(value)} is not a date in the calendar"
    return f"birth date: {_quoted(value)} is not written YYYY-MM-DD (like 1990-12-31)"


def gender_problem(value: str) -> str | None:
    if value.lower() in GENDERS:
        return None
    return f"gender: {_quoted(value)} is not male, female or other"


CHECKS = {"email": email_problem, "birth_date": birth_date_problem, "gender": gender_problem}


def field_problems(values: Mapping[str, str]) -> list[str]:
    """One sentence per field the server would refuse; empty values are not checked."""
    problems = []
    for field, check in CHECKS.items():
        value = values.get(field, "")
        problem = check(value) if value else None
        if problem:
            problems.append(problem)
    return problems
