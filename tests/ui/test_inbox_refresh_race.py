"""A background refresh of the list never undoes a row the person has just moved to."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.screens.inbox import InboxScreen
from tui.widgets.conversation_list import ConversationList


async def test_a_refresh_right_after_a_move_keeps_the_new_row(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await until(lambda: screen.phone is not None)
        rows = screen.query_one(ConversationList)
        target = rows.get_option_at_index(2).id
        assert target is not None and target != screen.phone
        rows.highlighted = 2  # its message is not handled yet when the poll's refresh runs
        await screen.refresh_list().wait()
        await pilot.pause()
        await until(lambda: screen.phone == target)
        assert rows.highlighted_phone == target
