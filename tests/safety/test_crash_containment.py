"""An error while drawing a row or a bubble, or in a background job, never takes the app down:
it is in the log with its traceback, the person sees one line, the app goes on."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.ui.helpers import until
from tui import logs
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.screens.inbox import InboxScreen
from tui.widgets import chat_log, conversation_list
from tui.widgets.chat_log import Bubble, ChatLog
from tui.widgets.conversation_list import ConversationList
from tui.widgets.plain import NOT_SHOWN

SIZE = (120, 40)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "smsdesk.log"
    logs.setup_logging(path)
    yield path
    root = logging.getLogger("smsdesk")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


def _log_text(path: Path) -> str:
    for handler in logging.getLogger("smsdesk").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _inbox(app: SmsDeskApp) -> InboxScreen:
    assert isinstance(app.screen, InboxScreen)
    return app.screen


async def test_a_row_and_a_bubble_that_cannot_be_drawn_show_a_placeholder(
    make_desk: Callable[..., Desk], log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_row, real_bubble = conversation_list.row, chat_log.bubble_text

    def broken_row(conversation: conversation_list.ConversationLine, *args: object) -> object:
        if conversation.unread_count:
            raise ValueError("row exploded")
        return real_row(conversation, *args)  # type: ignore[arg-type]

    def broken_bubble(message: chat_log.ChatMessage, now: object) -> object:
        if message.direction == "incoming":
            raise KeyError("bubble exploded")
        return real_bubble(message, now)  # type: ignore[arg-type]

    monkeypatch.setattr(conversation_list, "row", broken_row)
    monkeypatch.setattr(chat_log, "bubble_text", broken_bubble)
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        rows = _inbox(app).query_one(ConversationList)
        await until(lambda: rows.option_count > 0)
        await until(lambda: len(_inbox(app).query_one(ChatLog).query(Bubble)) > 0)
        await pilot.pause()
        prompts = [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]
        bubbles = [str(b._text.render()) for b in _inbox(app).query(Bubble)]
        assert NOT_SHOWN in prompts and NOT_SHOWN in bubbles
        notices = [n.message for n in app._notifications]
        assert any("a conversation row" in n for n in notices)
        assert any("a chat bubble" in n for n in notices)
        assert app.is_running
    text = _log_text(log_file)
    assert "could not draw" in text and "exploded" in text and "Traceback" in text


async def test_a_failing_background_job_is_one_line_and_the_app_goes_on(
    make_desk: Callable[..., Desk], log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = make_desk()

    async def broken(phone: str) -> object:
        raise RuntimeError("store melted [/b]")

    monkeypatch.setattr(desk, "conversation", broken)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await until(lambda: any(n.title == "Error" for n in app._notifications), timeout=15)
        await pilot.pause()
        notice = next(n for n in app._notifications if n.title == "Error")
        assert "store melted [/b]" in notice.message and "\n" not in notice.message
        await pilot.press("f")
        await pilot.pause()
        assert app.is_running
    assert "store melted [/b]" in _log_text(log_file)


async def test_loop_errors_are_logged_first(
    make_desk: Callable[..., Desk], log_file: Path
) -> None:
    app = SmsDeskApp(make_desk(autostart=False))
    async with app.run_test(size=SIZE) as pilot:
        loop = asyncio.get_running_loop()
        loop.call_exception_handler({"message": "task died", "exception": OSError("gone")})
        await pilot.pause()
    text = _log_text(log_file)
    assert "task died" in text and "OSError: gone" in text


def test_uncaught_exceptions_on_any_thread_are_logged(
    log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: seen.append("main"))
    monkeypatch.setattr(threading, "excepthook", lambda a: seen.append("thread"))
    logs.install_crash_hooks()
    try:
        raise LookupError("main thread \x1b[2J")
    except LookupError as error:
        sys.excepthook(LookupError, error, error.__traceback__)

    def fail() -> None:
        raise ArithmeticError("worker thread")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()
    text = _log_text(log_file)
    assert "main thread \\x1b[2J" in text and "worker thread" in text
    assert seen == ["main", "thread"]  # and Python still reports them as before
