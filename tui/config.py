"""Settings and named profiles, read from and written to one TOML file.

The file lives at ``platformdirs.user_config_dir("smsdesk")/config.toml`` unless
``SMSDESK_CONFIG`` names another. The token may also come from ``SMSDESK_TOKEN``; it is a
secret, so files that hold it are written with mode 0600 and it is only ever shown masked.

Start-up speed: this module is on the path to the first screen, so it reads the file with the
stdlib only (``tomllib`` and the small checks below; no pydantic, ~90 ms of imports).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import time
from pathlib import Path
from typing import Any

import platformdirs

from tui.api.limits import DEFAULT_BASE_URL

# Keys a terminal sends exactly like Enter (or that never arrive): a newline key must differ.
LIKE_ENTER = frozenset({"enter", "return", "ctrl+m", "shift+enter", "ctrl+enter",
                        "ctrl+shift+enter", "tab", "ctrl+i", "escape", "ctrl+left_square_bracket"})
TOAST_MODES = ("each", "grouped", "off")

CONFIG_ENV = "SMSDESK_CONFIG"
TOKEN_ENV = "SMSDESK_TOKEN"
DEFAULT_PROFILE = "default"


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, the place and the fix."""


class Invalid(ValueError):
    """One value is wrong; ``where`` is its dotted place in the file (``profiles.x.bell``)."""

    def __init__(self, where: str, problem: str, message: str | None = None) -> None:
        super().__init__(message or f"{where}: {problem}")
        self.where, self.problem = where, problem


# --- checks: each takes the raw TOML value and returns the typed one or raises ValueError ------

def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text (in quotes)")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _number(value: object, what: str) -> float:
    """A TOML number (or its text); NaN is refused by the range checks that follow."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"must be {what}")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"must be {what}") from None


def _seconds(value: object) -> float:
    number = _number(value, "a number of seconds")
    if not 1.0 <= number <= 600.0:
        raise ValueError("must be between 1 and 600 seconds")
    return number


def _price(value: object) -> float:
    number = _number(value, "a number")
    if not number >= 0.0:  # also refuses NaN
        raise ValueError("must be 0 or more")
    return number


def _url(value: object) -> str:
    url = _text(value)
    if not url.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return url.rstrip("/")


def _country(value: object) -> str:
    code = _text(value)
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        raise ValueError("must be a two-letter country code such as US or GB")
    return code.upper()


def _clock(value: object) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(_text(value))
    except ValueError:
        raise ValueError("must be a time of day such as 08:00 or 21:30") from None


_KEY_NAME = re.compile(r"[A-Za-z0-9_+\-.,/;:'`=*!@#$%^&()?<>|~\\]+")


def _key_names(value: object) -> str:
    """Keys as Textual names them (``ctrl+j``, ``f5``, ``n``, ``question_mark``), with commas.
    The footer and the help show them: markup or a control character must not get through."""
    keys = [key.strip() for key in _text(value).split(",")]
    if not all(_KEY_NAME.fullmatch(key) for key in keys):
        raise ValueError(
            f"{value!r} is not a key: write keys like ctrl+j, f5, n or question_mark, "
            "several separated by commas"
        )
    return ",".join(keys)


def _newline_key(value: object) -> str:
    key = _key_names(value).strip().lower()
    if key in LIKE_ENTER:
        raise ValueError(
            f"{value!r} reaches smsdesk as Enter (or not at all) in most terminals, and Enter "
            "sends; use ctrl+j (the default) or another ctrl+letter"
        )
    return key


def _toast_mode(value: object) -> str:
    mode = _text(value).strip().lower()
    if mode not in TOAST_MODES:
        raise ValueError(f"must be one of {', '.join(TOAST_MODES)}")
    return mode


def _keys(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError("must be a table of binding id = key")
    return {str(k): _key_names(v) for k, v in value.items()}


OPTIN_KEYS = ("protexting_url", "protexting_token", "skycore_url", "skycore_api_key")


def _optin(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError(f"must be a table of {', '.join(OPTIN_KEYS)}")
    unknown = [str(k) for k in value if k not in OPTIN_KEYS]
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(OPTIN_KEYS)}")
    return {str(k): _text(v) for k, v in value.items()}


def _table(value: object) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError("must be a table")
    return value


def _checked(
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
        return cls(**_checked(_table(raw), {"start": _clock, "end": _clock}, where, problems))


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
        checked = _checked(
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
        values = _checked(_table(raw), {**PROFILE_CHECKS, "quiet_hours": _table}, where,
                          problems)
        if "quiet_hours" in values:
            values["quiet_hours"] = QuietHours.from_toml(
                values["quiet_hours"], f"{where}.quiet_hours", problems
            )
        return cls(**values)


PROFILE_CHECKS: dict[str, Callable[[Any], Any]] = {
    "base_url": _url,
    "token": _optional_text,
    "default_country": _country,
    "poll_interval": _seconds,
    "bell": _flag,
    "new_text_toasts": _toast_mode,
    "newline_key": _newline_key,
    "keymap": _keys,
    "webhook_secret": _optional_text,
    "price_per_segment": _price,
    "own_number": _optional_text,
    "optin": _optin,
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
        values = _checked(raw, {"default_profile": _text, "profiles": _table}, "", problems)
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


def save(settings: Settings, path: Path) -> None:
    """Write atomically with mode 0600: a crash mid-write never leaves half a file.

    A symlinked config (dotfiles kept in a repository) is written through to its target, so
    the link stays a link. A failure is a ConfigError naming the file and what to do, never
    the temporary file or a bare errno.
    """
    try:
        target = path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError):
        raise ConfigError(f"Cannot save the config: {path} is a symbolic link that points to "
                          "itself. Remove the link, or point it at a file.") from None
    import tomli_w  # only when writing: reading is on the start-up path

    text = tomli_w.dumps(settings.to_toml())
    if target.is_dir():
        raise ConfigError(f"Cannot save the config: {target} is a folder. Move it away, or "
                          f"point {CONFIG_ENV} at a file.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file 0600: the token is never readable by others, not even briefly.
        fd, tmp = tempfile.mkstemp(prefix=".config-", dir=target.parent)
    except OSError as exc:
        raise ConfigError(_cannot_save(target, exc, folder=True)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(_cannot_save(target, exc, folder=False)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cannot_save(target: Path, exc: OSError, *, folder: bool) -> str:
    """Why the config could not be written, in words, with what to do about it."""
    where = target.parent
    if isinstance(exc, PermissionError):
        return (f"Cannot save the config {target}: you may not write in the folder {where}. "
                f"Run: chmod u+w {where}, or point {CONFIG_ENV} at a file you own.")
    reasons = {
        errno.EROFS: "the disk it is on is read-only",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your disk quota is used up",
        errno.ENOTDIR: f"{where} is not a folder",
        errno.ELOOP: "it is a symbolic link that points to itself",
    }
    reason = reasons.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
    fix = f"Free some space, or point {CONFIG_ENV} at another file." if exc.errno in (
        errno.ENOSPC, errno.EDQUOT) else f"Point {CONFIG_ENV} at a file you can write."
    what = "create the folder for" if folder and not where.exists() else "save"
    return f"Cannot {what} the config {target}: {reason}. The old file was left as it is. {fix}"


WEBHOOK_SECRET_ENV = "SMSDESK_WEBHOOK_SECRET"


def resolve_webhook_secret(profile: Profile) -> str | None:
    """``SMSDESK_WEBHOOK_SECRET`` wins over the file, like the token."""
    return os.environ.get(WEBHOOK_SECRET_ENV) or profile.webhook_secret


def resolve_token(profile: Profile) -> str | None:
    """``SMSDESK_TOKEN`` wins over the file so a token never has to be written down."""
    return os.environ.get(TOKEN_ENV) or profile.token


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
