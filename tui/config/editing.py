"""``smsdesk config set``: the keys a person may set, and one value set with its check."""

from __future__ import annotations

from typing import Any

from tui.config.checks import Invalid
from tui.config.settings import PROFILE_CHECKS, ConfigError, Settings

SETTABLE_KEYS: dict[str, str] = {
    "default_profile": "the profile used when --profile is not given",
    "base_url": "API base URL",
    "token": "access token (prefer SMSDESK_TOKEN, or '-' to read it from stdin)",
    "default_country": "two-letter country for numbers typed without +",
    "quiet_hours.start": "HH:MM, recipient local time",
    "quiet_hours.end": "HH:MM, recipient local time",
    "poll_interval": "seconds between inbox polls when idle",
    "bell": "true/false: ring the terminal bell on a new text",
    "new_text_toasts": "each, grouped or off: toasts for texts outside the open conversation",
    "newline_key": "key that adds a newline in the reply box",
    "keymap.<binding id>": "override a key binding",
    "webhook_secret": "secret the providers' webhooks must carry ('-' reads it from stdin)",
    "price_per_segment": "price of one SMS segment, for campaign cost estimates",
    "own_number": "your own mobile number: campaign test sends go there",
    "optin.<key>": "opt-in connectors: protexting_url, protexting_token, skycore_url, "
                   "skycore_api_key",
}
# Secrets are taken as typed: "yes" or "off" is a secret, not a boolean.
_VERBATIM_KEYS = frozenset({"token", "webhook_secret"})


def set_value(settings: Settings, profile_name: str, key: str, value: str) -> Settings:
    """Return new settings with ``key`` set, validated; the input is not changed."""
    data = settings.to_toml()
    if key == "default_profile":
        if value not in settings.profiles:
            raise ConfigError(f"There is no profile named {value!r}.")
        data["default_profile"] = value
    else:
        profile = data["profiles"].setdefault(profile_name, {})
        head, _, rest = key.partition(".")
        if head == "keymap" and rest:
            profile.setdefault("keymap", {})[rest] = value
        elif head == "optin" and rest:
            profile.setdefault("optin", {})[rest] = value
        elif head == "quiet_hours" and rest in {"start", "end"}:
            profile.setdefault("quiet_hours", {})[rest] = value
        elif key in PROFILE_CHECKS and key not in ("keymap", "optin"):
            profile[key] = value if key in _VERBATIM_KEYS else _coerce(value)
        else:
            known = ", ".join(SETTABLE_KEYS)
            raise ConfigError(f"Unknown setting {key!r}. Known settings: {known}.")
    try:
        return Settings.from_toml(data)
    except Invalid as exc:
        raise ConfigError(f"{key}: {exc.problem}. Nothing was changed.") from None


def _coerce(value: str) -> Any:
    lowered = value.strip().lower()
    if lowered in {"true", "yes", "on"}:
        return True
    if lowered in {"false", "no", "off"}:
        return False
    return value
