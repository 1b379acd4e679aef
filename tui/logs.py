"""The log file: tracebacks go here, never to the person's screen; the token never does."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import platformdirs

_TOKEN_LIKE = re.compile(r"(Bearer\s+)\S+|(access_token=)[^&\s]+", re.IGNORECASE)


class RedactSecrets(logging.Filter):
    """Masks anything that looks like a bearer token or an access_token query value."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _TOKEN_LIKE.sub(lambda m: (m.group(1) or m.group(2)) + "***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


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
