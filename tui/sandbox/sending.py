"""The rules every outgoing text follows, whoever sends it (API, schedule, auto-reply)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from tui.api.limits import MAX_MESSAGE_LENGTH
from tui.sandbox.phones import normalize
from tui.sandbox.problems import Problem, invalid

if TYPE_CHECKING:
    from tui.sandbox.records import ContactRecord
    from tui.sandbox.state import SandboxState

UNSUBSCRIBED: Final = "The contact has unsubscribed."
PENDING: Final = ("The contact has not confirmed the opt-in yet (pending): they must answer the "
                  "opt-in text first.")
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


def refuse_unready(state: SandboxState, contact: ContactRecord, field: str = "phone_number"
                   ) -> None:
    """422 for a pending or unsubscribed contact (unless the sandbox rejects such texts later)."""
    if not contact.can_be_texted and state.refuse_unready:
        reason = UNSUBSCRIBED if not contact.subscribed else PENDING
        raise Problem(422, "A validation error occurred", {field: [reason]})


def unready_reason(contact: ContactRecord | None) -> str | None:
    """Why a text to this contact is rejected after it was accepted (rejection webhook)."""
    if contact is None or contact.can_be_texted:
        return None
    return "Unsubscribed" if not contact.subscribed else "Pending opt-in"


def text_errors(
    state: SandboxState, phone_number: str, message: str, prefix: str = ""
) -> tuple[str | None, dict[str, list[str]]]:
    """Why one text may not go (a bad or unsubscribed number, a bad body), keyed by field.

    Returns the E.164 number (None when it is not a number) and the errors; ``prefix`` keys
    them inside a batch (``messages.3.``).
    """
    errors: dict[str, list[str]] = {}
    e164 = normalize(phone_number)
    if e164 is None:
        errors[f"{prefix}phone_number"] = [BAD_NUMBER]
    elif (contact := state.contact_by_phone(e164)) is not None and not contact.can_be_texted \
            and state.refuse_unready:
        errors[f"{prefix}phone_number"] = [UNSUBSCRIBED if not contact.subscribed else PENDING]
    problems = text_problems(message)
    if problems:
        errors[f"{prefix}message"] = problems
    return e164, errors
