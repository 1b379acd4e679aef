"""The log file: tracebacks go here, never to the person's screen; the token never does.

One event is one line: messages pass ``for_log`` so a stranger's text cannot forge a line or
send escapes to whoever reads the file with ``cat``. A traceback stays several lines, each
escaped and prefixed with ``  | `` so none of them can pass for an event. The file rotates,
is 0600 and lives in a 0700 folder. ``install_crash_hooks`` writes any unexpected exception
(main thread, other threads, the asyncio loop) to the log before anything else happens.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import os
import re
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from tui.safe_text import for_log
from tui.store.files import PRIVATE_FILE, private_folder, tighten

_TOKEN_LIKE = re.compile(r"(Bearer\s+)\S+|(access_token=)[^&\s]+", re.IGNORECASE)
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
TRACEBACK_PREFIX = "  | "

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
    """Masks bearer tokens, access_token values and known secrets in messages (tracebacks are
    masked by ``OneLineFormatter``, which formats them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class OneLineFormatter(logging.Formatter):
    """Each event on one line, control characters escaped; tracebacks indented and escaped."""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # always our escaped, masked traceback, never a cached one
        return super().format(record)

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = for_log(redact(record.message), limit=8000)
        return super().formatMessage(record)

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None]
        | tuple[None, None, None],
    ) -> str:
        kind, error, trace = ei
        if kind is None or error is None:
            return ""
        lines: list[str] = []
        for chunk in traceback.format_exception(kind, error, trace):
            lines.extend(chunk.rstrip("\n").split("\n"))
        return "\n".join(TRACEBACK_PREFIX + for_log(redact(line)) for line in lines)

    def formatStack(self, stack_info: str) -> str:
        lines = stack_info.splitlines()
        return "\n".join(TRACEBACK_PREFIX + for_log(redact(line)) for line in lines)


class PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose files (the current one and every rotated one) are 0600."""

    def _open(self) -> Any:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                             PRIVATE_FILE)
        os.close(descriptor)
        tighten(Path(self.baseFilename))
        return super()._open()


def log_path() -> Path:
    return Path(platformdirs.user_log_dir("smsdesk")) / "smsdesk.log"


def setup_logging(path: Path | None = None, level: int = logging.INFO) -> Path:
    """Send smsdesk's logs to a file (the terminal belongs to the UI)."""
    root = logging.getLogger("smsdesk")
    root.setLevel(level)
    if path is None:
        current = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
        path = Path(current[0].baseFilename) if current else log_path()
    for existing in list(root.handlers):
        if isinstance(existing, logging.FileHandler):
            if path == Path(existing.baseFilename):
                return path
            root.removeHandler(existing)  # another file asked for (tests): the new one wins
            existing.close()
    private_folder(path.parent)
    tighten(path.parent)  # a log folder made by an older smsdesk is made private too
    handler = PrivateRotatingFile(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS,
                                  encoding="utf-8", errors="backslashreplace")
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    return path


def log_exception(exc: BaseException, what: str = "unhandled error") -> Path:
    path = setup_logging()
    logging.getLogger("smsdesk").error("%s", what, exc_info=exc)
    return path


def install_crash_hooks() -> None:
    """Unexpected exceptions on any thread are written to the log before Python reports them."""
    previous_hook = sys.excepthook
    previous_thread_hook = threading.excepthook

    def excepthook(kind: type[BaseException], error: BaseException,
                   trace: TracebackType | None) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            log_exception(error.with_traceback(trace), "unexpected error")
        previous_hook(kind, error, trace)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            log_exception(args.exc_value, f"unexpected error in thread {args.thread}")
        previous_thread_hook(args)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook


def log_loop_errors(loop: asyncio.AbstractEventLoop) -> None:
    """The asyncio loop's unhandled errors (a task nobody awaited) go to the log first."""

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        message = str(context.get("message", "asyncio error"))
        if isinstance(error, BaseException):
            log_exception(error, message)
        else:
            logging.getLogger("smsdesk").error("%s: %s", message, context)
        loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
