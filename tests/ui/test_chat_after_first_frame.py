"""The chat pane (chat log, reply box, meter) joins after the first frame; keys never wait.

The first frame draws the list; the pane's widgets are mounted once it is on the terminal.
A person who presses Enter and types before that gets the pane at once, with every letter
in the reply box (none taken as a list key), and the open conversation shown in it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.ui.helpers import until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.screens.inbox import InboxScreen
from tui.widgets.chat_log import ChatLog
from tui.widgets.reply_box import ReplyBox


def _inbox(app: SmsDeskApp) -> InboxScreen:
    assert isinstance(app.screen, InboxScreen)
    return app.screen


async def test_the_pane_is_mounted_after_the_first_frame_with_the_conversation(
    tmp_path: Path,
) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)):
        await until(lambda: bool(_inbox(app).query(ChatLog))
                    and bool(_inbox(app).query_one(ChatLog).messages))
        screen = _inbox(app)
        assert screen.phone is not None
        assert screen.query_one(ReplyBox).placeholder.startswith("Type a reply")


async def test_enter_and_typing_before_the_pane_is_there_reach_the_reply_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[Callable[[], Awaitable[None]]] = []
    # The first frame's callbacks never run: the pane exists only if a key asks for it.
    monkeypatch.setattr(SmsDeskApp, "when_first_frame_shown",
                        lambda self, callback: held.append(callback))
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: _inbox(app).phone is not None)
        screen = _inbox(app)
        assert not screen.query(ReplyBox)
        await pilot.press("enter", "d", "o", "n", "e")
        await until(lambda: bool(screen.query(ReplyBox))
                    and screen.query_one(ReplyBox).text == "done")
        assert screen.query_one(ReplyBox).has_focus
        assert screen.query_one(ChatLog) is not None
        await until(lambda: bool(screen.query_one(ChatLog).messages))
        assert app.is_running
        for callback in held:  # the late callbacks change nothing
            await callback()
        await pilot.pause()
        assert screen.query_one(ReplyBox).text == "done"
        assert len(screen.query(ReplyBox)) == 1


async def test_tab_before_the_pane_is_there_focuses_the_reply_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SmsDeskApp, "when_first_frame_shown", lambda self, callback: None)
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: _inbox(app).phone is not None)
        await pilot.press("tab", "h", "i")
        screen = _inbox(app)
        await until(lambda: bool(screen.query(ReplyBox))
                    and screen.query_one(ReplyBox).text == "hi")
        assert screen.query_one(ReplyBox).has_focus
