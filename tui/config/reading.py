"""Reading the config file at start (stdlib ``tomllib``), and where the token comes from.

The file lives at ``platformdirs.user_config_dir("smsdesk")/config.toml`` unless
``SMSDESK_CONFIG`` names another. The token may also come from ``SMSDESK_TOKEN``: it is a
secret, only ever shown masked, and a file that holds it readable by others gets a warning.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from tui.config.checks import Invalid
from tui.config.settings import ConfigError, Profile, Settings

CONFIG_ENV = "SMSDESK_CONFIG"
TOKEN_ENV = "SMSDESK_TOKEN"


@dataclass
class Loaded:
    """Settings as read, with the file they came from and anything the person should know."""

    settings: Settings
    path: Path
    exists: bool
    warnings: list[str] = field(default_factory=list)


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("smsdesk")) / "config.toml"


def mask_token(token: str | None) -> str:
    """Show just enough of a token to recognise it: ``mbn_…1a2b``."""
    if not token:
        return "(not set)"
    prefix = token.split("_", 1)[0] + "_" if "_" in token[:8] else ""
    return f"{prefix}…{token[-4:]}" if len(token) > 8 else "…"


def load(path: Path | None = None) -> Loaded:
    """Read and validate the config. A missing file gives the defaults; a bad one a ConfigError."""
    path = path or config_path()
    if not path.exists():
        return Loaded(Settings(), path, exists=False)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ConfigError(
            f"The config file {path} is a folder. Move it away (smsdesk then starts with the "
            f"defaults) or point {CONFIG_ENV} at a file."
        ) from None
    except PermissionError:
        raise ConfigError(
            f"You may not read the config file {path}. Run: chmod u+r {path}"
        ) from None
    except OSError as exc:
        raise ConfigError(f"Cannot read the config file {path}: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text. Fix or remove it.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: {exc}. The file was left as it is; fix that line or move the file away."
        ) from None
    try:
        settings = Settings.from_toml(data)
    except Invalid as exc:
        # ``config set`` cannot help here (it reads the file first): the hint is an editor.
        raise ConfigError(
            f"{path}: {exc}. The file was left as it is: open it in an "
            "editor and fix those lines (the settings smsdesk knows: smsdesk config set --help)."
        ) from None
    loaded = Loaded(settings, path, exists=True)
    holds_token = any(p.token for p in settings.profiles.values())
    if holds_token and os.name == "posix":
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            loaded.warnings.append(
                f"{path} holds a token but can be read by others (mode {mode:o}). "
                f"Run: chmod 600 {path}"
            )
    return loaded


WEBHOOK_SECRET_ENV = "SMSDESK_WEBHOOK_SECRET"


def resolve_webhook_secret(profile: Profile) -> str | None:
    """``SMSDESK_WEBHOOK_SECRET`` wins over the file, like the token."""
    return os.environ.get(WEBHOOK_SECRET_ENV) or profile.webhook_secret


def resolve_token(profile: Profile) -> str | None:
    """``SMSDESK_TOKEN`` wins over the file so a token never has to be written down."""
    return os.environ.get(TOKEN_ENV) or profile.token
