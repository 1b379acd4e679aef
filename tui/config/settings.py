"""The settings file's shape: the profiles (one account each), their quiet hours, the default.

Stdlib dataclasses, no pydantic: this is on the path to the first screen. A new Profile field
is a dataclass field plus an entry in PROFILE_CHECKS (a check from ``tui.config.checks``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import time
from typing import Any

from tui.api.limits import DEFAULT_BASE_URL
from tui.config import checks
from tui.config.checks import Invalid

DEFAULT_PROFILE = "default"


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the place and the fix."""


@dataclass
class QuietHours:
    """Marketing texts are held outside this window in the recipient's local time."""

    start: time = time(8, 0)
    end: time = time(21, 0)

    @property
    def window(self) -> tuple[time, time]:
        return (self.start, self.end)

    @classmethod
    def from_toml(cls, raw: object, where: str = "quiet_hours",
                  problems: list[Invalid] | None = None) -> QuietHours:
        hours = {"start": checks.clock, "end": checks.clock}
        return cls(**checks.checked(checks.table(raw), hours, where, problems))


@dataclass
class Profile:
    """One account: where it is, how to reach it, and how the app behaves for it.

    Keyword construction checks every value (``Profile(poll_interval=0)`` raises ``Invalid``).
    """

    base_url: str = DEFAULT_BASE_URL
    token: str | None = None
    default_country: str = "US"
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    poll_interval: float = 10.0
    bell: bool = False
    # Toasts for texts outside the open conversation: one each, one "3 new texts", or none.
    new_text_toasts: str = "each"
    newline_key: str = "ctrl+j"
    keymap: dict[str, str] = field(default_factory=dict)
    # Shared with the providers' webhook settings (?secret=… or X-Webhook-Secret).
    webhook_secret: str | None = None
    # Campaign cost estimate: the account's price for one SMS segment (in its currency).
    price_per_segment: float = 0.01
    # Test sends of a campaign go here (the person's own mobile), E.164 or national.
    own_number: str | None = None
    # Opt-in connectors: protexting_url, protexting_token, skycore_url, skycore_api_key
    # (the secrets may come from SMSDESK_PROTEXTING_TOKEN / SMSDESK_SKYCORE_API_KEY instead).
    optin: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        checked = checks.checked(
            {f.name: getattr(self, f.name) for f in fields(self) if f.name != "quiet_hours"},
            PROFILE_CHECKS, "",
        )
        for name, value in checked.items():
            object.__setattr__(self, name, value)
        if not isinstance(self.quiet_hours, QuietHours):
            self.quiet_hours = QuietHours.from_toml(self.quiet_hours)

    @classmethod
    def from_toml(cls, raw: object, where: str, problems: list[Invalid] | None = None
                  ) -> Profile:
        values = checks.checked(checks.table(raw),
                                {**PROFILE_CHECKS, "quiet_hours": checks.table}, where, problems)
        if "quiet_hours" in values:
            values["quiet_hours"] = QuietHours.from_toml(
                values["quiet_hours"], f"{where}.quiet_hours", problems
            )
        return cls(**values)


PROFILE_CHECKS: dict[str, Callable[[Any], Any]] = {
    "base_url": checks.url,
    "token": checks.optional_text,
    "default_country": checks.country,
    "poll_interval": checks.seconds,
    "bell": checks.flag,
    "new_text_toasts": checks.toast_mode,
    "newline_key": checks.newline_key,
    "keymap": checks.keys,
    "webhook_secret": checks.optional_text,
    "price_per_segment": checks.price,
    "own_number": checks.optional_text,
    "optin": checks.optin,
}


def _default_profiles() -> dict[str, Profile]:
    return {DEFAULT_PROFILE: Profile()}


@dataclass
class Settings:
    """The whole file: a default profile name and the profiles."""

    default_profile: str = DEFAULT_PROFILE
    profiles: dict[str, Profile] = field(default_factory=_default_profiles)

    @classmethod
    def from_toml(cls, raw: Mapping[str, Any]) -> Settings:
        """The file's content, checked; ``Invalid`` names every bad value at once."""
        problems: list[Invalid] = []
        values = checks.checked(raw, {"default_profile": checks.text, "profiles": checks.table},
                                "", problems)
        profiles: dict[str, Profile] = {}
        for name, body in values.get("profiles", {}).items():
            try:
                profiles[str(name)] = Profile.from_toml(body, f"profiles.{name}", problems)
            except ValueError as exc:  # not a table, or a value the dataclass refused
                problems.append(exc if isinstance(exc, Invalid)
                                else Invalid(f"profiles.{name}", str(exc)))
        if problems:
            first = problems[0]
            raise Invalid(first.where, first.problem, "; ".join(str(p) for p in problems))
        if "profiles" in values:
            values["profiles"] = profiles
        return cls(**values)

    def to_toml(self) -> dict[str, Any]:
        """The file's content: times as ``HH:MM:SS`` text, unset values left out."""
        data = asdict(self)
        for profile in data["profiles"].values():
            hours = profile["quiet_hours"]
            hours.update({k: v.isoformat() for k, v in hours.items()})
            for key in [k for k, v in profile.items() if v is None]:
                del profile[key]
        return data

    def profile(self, name: str | None = None) -> Profile:
        wanted = name or self.default_profile
        try:
            return self.profiles[wanted]
        except KeyError:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise ConfigError(
                f"There is no profile named {wanted!r} (known: {known}). "
                f"Create it with: smsdesk config init --profile {wanted}"
            ) from None
