"""The log file: tracebacks go here, never to the person's screen; the token never does."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import platformdirs

_TOKEN_LIKE = re.compile(r"(Bearer\s+)\S+|(access_token=)[^&\s]+", re.IGNORECASE)


# Secrets this process knows (the profile's token): masked wherever they appear, bare too.
_KNOWN_SECRETS: set[str] = set()


def remember_secret(value: str | None) -> None:
    """Mask ``value`` in every log line and traceback from now on (short values are ignored)."""
    if value and len(value.strip()) >= 8:
        _KNOWN_SECRETS.add(value.strip())


def redact(text: str) -> str:
    text = _TOKEN_LIKE.sub(lambda m: (m.group(1) or m.group(2)) + "***", text)
    for secret in _KNOWN_SECRETS:
        text = text.replace(secret, "***")
    return text


class RedactSecrets(logging.Filter):
    """Masks bearer tokens, access_token values and known secrets, in messages and tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # A crash report is a log record too: its traceback text is masked the same way.
            record.exc_text = redact(_FORMATTER.formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FORMATTER = logging.Formatter()


def log_path() -> Path:
    return Path(platformdirs.user_log_dir("smsdesk")) / "smsdesk.log"


def setup_logging(path: Path | None = None, level: int = logging.INFO) -> Path:
    """Send smsdesk's logs to a file (the terminal belongs to the UI)."""
    path = path or log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger("smsdesk")
    root.setLevel(level)
    if not any(isinstance(h, logging.FileHandler) for h in root.handlers):
        root.addHandler(handler)
    return path


def log_exception(exc: BaseException) -> Path:
    path = setup_logging()
    logging.getLogger("smsdesk").error("unhandled error", exc_info=exc)
    return path
