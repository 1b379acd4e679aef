"""A reply that may or may not have gone out: shown as such, and only the person decides."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.ui.helpers import until
from tests.ui.snapshot_data import NOW, PEOPLE, fixed_desk
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.screens.inbox import InboxScreen
from tui.screens.unclear import UnclearReplyScreen
from tui.widgets.chat_log import ChatLog

MARIA = PEOPLE[0][1]
WHY = ("Maybe sent: the server has 2 identical texts to this number and none says which one "
       "is this one. Check with the recipient, then choose 'it went out' or 'send again'.")


def _desk_with_unclear_reply(tmp_path: Path) -> Desk:
    desk = fixed_desk(tmp_path)
    desk.store.sync.add_outbox(key="k-unclear", phone=MARIA, body="Table for two at 8?",
                               created_at=NOW - timedelta(seconds=30))
    desk.store.sync.update_outbox("k-unclear", state="unclear", last_error=WHY, now=NOW)
    return desk


@pytest.mark.parametrize(("key", "state"), [("o", "sent"), ("a", "queued"), ("escape", "unclear")])
async def test_an_unclear_reply_is_shown_and_the_person_decides(
    tmp_path: Path, key: str, state: str,
) -> None:
    app = SmsDeskApp(_desk_with_unclear_reply(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await until(lambda: screen._conversation is not None
                    and screen._conversation.unclear_keys == ["k-unclear"])
        bubble = next(m for m in screen.query_one(ChatLog).messages
                      if m.body == "Table for two at 8?")
        assert bubble.state == "unclear" and bubble.detail == WHY
        await pilot.press("ctrl+t")
        await until(lambda: isinstance(app.screen, UnclearReplyScreen))
        await pilot.press(key)
        await until(lambda: app.screen is screen)
        await pilot.pause(0.2)
        found = await app.desk.store.get_outbox("k-unclear")
        assert found is not None and found.state == state
        assert found.attempts == 0  # nothing was posted by the dialog itself
