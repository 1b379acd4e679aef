"""Settings and named profiles, read from and written to one TOML file.

Start-up speed: reading is on the path to the first screen, so it uses the stdlib only
(``tomllib`` and dataclasses; no pydantic, ~90 ms of imports). One job per module:

- ``checks``: one check per kind of value (numbers, URLs, times, key names…);
- ``settings``: the dataclasses (Settings, Profile, QuietHours) and ConfigError;
- ``reading``: where the file is, reading and checking it, the token from the environment;
- ``writing``: saving it atomically with mode 0600 (``tomli_w`` imported only then);
- ``editing``: ``config set``'s keys and one value set.

Callers import from ``tui.config`` (``from tui.config import Profile``, ``cfg.load()``).
"""

from __future__ import annotations

from tui.config.checks import LIKE_ENTER, OPTIN_KEYS, TOAST_MODES, Invalid
from tui.config.editing import SETTABLE_KEYS, set_value
from tui.config.reading import (
    CONFIG_ENV,
    TOKEN_ENV,
    WEBHOOK_SECRET_ENV,
    Loaded,
    config_path,
    load,
    mask_token,
    resolve_token,
    resolve_webhook_secret,
)
from tui.config.settings import (
    DEFAULT_PROFILE,
    PROFILE_CHECKS,
    ConfigError,
    Profile,
    QuietHours,
    Settings,
)
from tui.config.writing import save

__all__ = [
    "CONFIG_ENV", "DEFAULT_PROFILE", "LIKE_ENTER", "OPTIN_KEYS", "PROFILE_CHECKS",
    "SETTABLE_KEYS", "TOAST_MODES", "TOKEN_ENV", "WEBHOOK_SECRET_ENV", "ConfigError", "Invalid",
    "Loaded", "Profile", "QuietHours", "Settings", "config_path", "load", "mask_token",
    "resolve_token", "resolve_webhook_secret", "save", "set_value",
]
