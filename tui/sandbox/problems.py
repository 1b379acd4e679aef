"""The seed's error answers: one exception handlers raise, sent as ``{status, message, errors}``."""

from __future__ import annotations

from collections.abc import Sized
from typing import Final

GENERIC_400: Final = "An error has occurred with your request and is unable to be processed."
VALIDATION: Final = "A validation error occurred"


class Problem(Exception):
    """An API error answer. ``errors`` maps a field to its messages, like the seed's 422."""

    def __init__(
        self,
        status: int,
        message: str,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}

    def body(self) -> dict[str, object]:
        return {"status": self.status, "message": self.message, "errors": self.errors}


def invalid(field: str, *messages: str) -> Problem:
    """A 422 for one field."""
    return Problem(422, VALIDATION, {field: list(messages)})


def invalid_many(errors: dict[str, list[str]]) -> Problem:
    return Problem(422, VALIDATION, errors)


def not_found(what: str) -> Problem:
    return Problem(404, f"The {what} was not found. Check the id, or list them to find it.")


def bad_request(field: str, message: str) -> Problem:
    return Problem(400, GENERIC_400, {field: [message]})


def check_list_size(items: Sized, field: str, limit: int) -> None:
    """The seed's batch limits: a list field that is present, not empty, at most ``limit``."""
    label = field.replace("_", " ")
    if not items:
        raise invalid(field, f"The {label} field is required.")
    if len(items) > limit:
        raise invalid(field, f"The {label} may not have more than {limit} items.")
