"""The log file: one event per line, escaped tracebacks, masked tokens, rotation, 0600/0700."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.safety.hostile import HOSTILE
from tui import logs
from tui.logs import TRACEBACK_PREFIX, log_exception, setup_logging

EVENT_START = "20"  # every event line starts with its date (2026-…)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs" / "smsdesk.log"
    setup_logging(path)
    yield path
    root = logging.getLogger("smsdesk")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


def _lines(path: Path) -> list[str]:
    for handler in logging.getLogger("smsdesk").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8").splitlines()


def test_every_hostile_string_logs_as_one_line_without_controls(log_file: Path) -> None:
    log = logging.getLogger("smsdesk.test")
    for name, value in HOSTILE.items():
        log.warning("inbound from %s: %s", name, value)
    lines = _lines(log_file)
    assert len(lines) == len(HOSTILE)
    for line in lines:
        assert line.startswith(EVENT_START)
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in line)


def test_a_forged_line_in_an_exception_message_stays_inside_the_traceback(
    log_file: Path,
) -> None:
    try:
        raise ValueError("bad\n2026-11-30 12:00:00 ERROR smsdesk: forged \x1b[2J")
    except ValueError as error:
        log_exception(error, "while reading \x1b]2;x\x07")
    lines = _lines(log_file)
    assert lines[0].startswith(EVENT_START) and "\\x1b]2;x\\x07" in lines[0]
    assert all(line.startswith(TRACEBACK_PREFIX) for line in lines[1:])
    assert any("forged \\x1b[2J" in line for line in lines[1:])
    assert not any("\x1b" in line for line in lines)


def test_tokens_are_masked_in_messages_and_tracebacks(log_file: Path) -> None:
    logging.getLogger("smsdesk.api").info("GET /v1?access_token=s3cret&x=1 Bearer abc.def")
    try:
        raise RuntimeError("Authorization: Bearer tok-123")
    except RuntimeError as error:
        log_exception(error)
    text = "\n".join(_lines(log_file))
    assert "s3cret" not in text and "abc.def" not in text and "tok-123" not in text


def test_the_log_is_private_and_rotates(log_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700
    handler = next(h for h in logging.getLogger("smsdesk").handlers
                   if isinstance(h, logs.PrivateRotatingFile))
    handler.maxBytes = 2000
    for number in range(200):
        logging.getLogger("smsdesk").info("line %d %s", number, "x" * 40)
    rotated = sorted(log_file.parent.glob("smsdesk.log*"))
    assert len(rotated) == 1 + logs.LOG_BACKUPS
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in rotated)
    assert all(p.stat().st_size <= 2200 for p in rotated)


def test_an_existing_open_log_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "smsdesk.log"
    path.write_text("", encoding="utf-8")
    path.chmod(0o644)
    setup_logging(path)
    logging.getLogger("smsdesk").info("hello")
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        root = logging.getLogger("smsdesk")
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
