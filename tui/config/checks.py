"""One check per kind of setting: the raw TOML value in, the typed value out, or ValueError.

Each message is a sentence for the person (``must be between 1 and 600 seconds``); ``checked``
puts the setting's place in the file in front (``profiles.work.poll_interval: …``). Key names
are checked here too: the footer and the help show them, so markup or a control character
must not get through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import time
from typing import Any

# Keys a terminal sends exactly like Enter (or that never arrive): a newline key must differ.
LIKE_ENTER = frozenset({"enter", "return", "ctrl+m", "shift+enter", "ctrl+enter",
                        "ctrl+shift+enter", "tab", "ctrl+i", "escape", "ctrl+left_square_bracket"})
TOAST_MODES = ("each", "grouped", "off")


class Invalid(ValueError):
    """One value is wrong; ``where`` is its dotted place in the file (``profiles.x.bell``)."""

    def __init__(self, where: str, problem: str, message: str | None = None) -> None:
        super().__init__(message or f"{where}: {problem}")
        self.where, self.problem = where, problem


# --- checks: each takes the raw TOML value and returns the typed one or raises ValueError ------


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text (in quotes)")
    return value


def optional_text(value: object) -> str | None:
    return None if value is None else text(value)


def flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def number(value: object, what: str) -> float:
    """A TOML number (or its text); NaN is refused by the range checks that follow."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"must be {what}")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"must be {what}") from None


def seconds(value: object) -> float:
    amount = number(value, "a number of seconds")
    if not 1.0 <= amount <= 600.0:
        raise ValueError("must be between 1 and 600 seconds")
    return amount


def price(value: object) -> float:
    amount = number(value, "a number")
    if not amount >= 0.0:  # also refuses NaN
        raise ValueError("must be 0 or more")
    return amount


def url(value: object) -> str:
    address = text(value)
    if not address.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return address.rstrip("/")


def country(value: object) -> str:
    code = text(value)
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise ValueError("must be a two-letter country code such as US or GB")
    return code.upper()


def clock(value: object) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(text(value))
    except ValueError:
        raise ValueError("must be a time of day such as 08:00 or 21:30") from None


_KEY_NAME = re.compile(r"[A-Za-z0-9_+\-.,/;:'`=*!@#$%^&()?<>|~\\]+")


def key_names(value: object) -> str:
    """Keys as Textual names them (``ctrl+j``, ``f5``, ``n``, ``question_mark``), with commas.
    The footer and the help show them: markup or a control character must not get through."""
    keys = [key.strip() for key in text(value).split(",")]
    if not all(_KEY_NAME.fullmatch(key) for key in keys):
        raise ValueError(
            f"{value!r} is not a key: write keys like ctrl+j, f5, n or question_mark, "
            "several separated by commas"
        )
    return ",".join(keys)


def newline_key(value: object) -> str:
    key = key_names(value).strip().lower()
    if key in LIKE_ENTER:
        raise ValueError(
            f"{value!r} reaches smsdesk as Enter (or not at all) in most terminals, and Enter "
            "sends; use ctrl+j (the default) or another ctrl+letter"
        )
    return key


def toast_mode(value: object) -> str:
    mode = text(value).strip().lower()
    if mode not in TOAST_MODES:
        raise ValueError(f"must be one of {', '.join(TOAST_MODES)}")
    return mode


def keys(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError("must be a table of binding id = key")
    return {str(k): key_names(v) for k, v in value.items()}


OPTIN_KEYS = ("protexting_url", "protexting_token", "skycore_url", "skycore_api_key")


def optin(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError(f"must be a table of {', '.join(OPTIN_KEYS)}")
    unknown = [str(k) for k in value if k not in OPTIN_KEYS]
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(OPTIN_KEYS)}")
    return {str(k): text(v) for k, v in value.items()}


def table(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError("must be a table")
    return value


def checked(
    raw: Mapping[str, Any], checks: Mapping[str, Callable[[Any], Any]], where: str,
    problems: list[Invalid] | None = None,
) -> dict[str, Any]:
    """Each known key through its check; an unknown key is an error (a typo must not be lost).

    With ``problems``, every bad value is added there (the file's errors are told at once) and
    only the good ones are returned; without, the first one raises.
    """
    values: dict[str, Any] = {}
    for key, value in raw.items():
        place = f"{where}.{key}" if where else str(key)
        check = checks.get(key)
        try:
            if check is None:
                raise Invalid(place, "unknown setting",
                              f"unknown setting {place!r} (remove that line)")
            try:
                values[key] = check(value)
            except Invalid:
                raise
            except ValueError as exc:
                raise Invalid(place, str(exc)) from None
        except Invalid as problem:
            if problems is None:
                raise
            problems.append(problem)
    return values
