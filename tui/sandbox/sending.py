"""The rules every outgoing text follows, whoever sends it (API, schedule, auto-reply)."""

from __future__ import annotations

from typing import Final

from tui.sandbox.phones import normalize
from tui.sandbox.problems import Problem, invalid

# Our choice (the seed is silent): ten concatenated segments' worth of characters.
MAX_MESSAGE_LENGTH: Final = 1600
UNSUBSCRIBED: Final = "The contact has unsubscribed."
BAD_NUMBER: Final = "The phone number is not a valid phone number."


def phone_or_problem(raw: str, field: str = "phone_number") -> str:
    e164 = normalize(raw)
    if e164 is None:
        raise invalid(field, BAD_NUMBER)
    return e164


def text_problems(text: str) -> list[str]:
    if not text.strip():
        return ["The message field is required."]
    if len(text) > MAX_MESSAGE_LENGTH:
        return [f"The message may not be greater than {MAX_MESSAGE_LENGTH} characters."]
    return []


def check_text(text: str, field: str = "message") -> None:
    problems = text_problems(text)
    if problems:
        raise invalid(field, *problems)


def refuse_unsubscribed(subscribed: bool, field: str = "phone_number") -> None:
    if not subscribed:
        raise Problem(422, "A validation error occurred", {field: [UNSUBSCRIBED]})
