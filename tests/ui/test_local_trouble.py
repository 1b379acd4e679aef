"""The app while its local database goes bad: a full disk, pages damaged under it.

The person sees a sentence, the app keeps running with what it shows, and a reply that could
not be written to the outbox stays in the reply box (not written = not sent).
"""

from __future__ import annotations

from pathlib import Path

from tests.store.damage import damage_pages_under, fill_the_disk
from tests.ui.helpers import until
from tests.ui.snapshot_data import PEOPLE, fixed_desk
from tui.app import SmsDeskApp
from tui.screens.inbox import InboxScreen
from tui.widgets.chat_log import ChatLog
from tui.widgets.reply_box import ReplyBox

MARIA = PEOPLE[0][1]
SIZE = (120, 40)


def _toasts(app: SmsDeskApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _maria_open(app: SmsDeskApp) -> InboxScreen:
    screen = app.screen
    assert isinstance(screen, InboxScreen)
    await until(lambda: screen.phone == MARIA and bool(screen.query_one(ChatLog).messages))
    return screen


async def test_a_full_disk_keeps_the_reply_in_the_box_and_says_why(tmp_path: Path) -> None:
    desk = fixed_desk(tmp_path)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _maria_open(app)
        await desk.services()
        fill_the_disk(desk.store.sync)
        box = screen.query_one(ReplyBox)
        box.focus()
        box.text = "Your order is ready " + "x" * 1500  # under the 1,600 a text may have
        await pilot.press("enter")
        await until(lambda: any("full" in t for t in _toasts(app)))
        assert any(t.startswith("Not sent, and still in the reply box") for t in _toasts(app))
        assert box.text.startswith("Your order is ready")
        assert app.is_running
        assert all(i.body[:4] != "Your" for i in await desk.store.list_outbox())


async def test_pages_damaged_under_the_running_app_keep_it_running(tmp_path: Path) -> None:
    desk = fixed_desk(tmp_path)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _maria_open(app)
        damage_pages_under(desk.store.sync)
        await pilot.press("down", "down", "up")  # other conversations: reads from the store
        await until(lambda: any("damaged" in t for t in _toasts(app)))
        await pilot.pause()
        assert app.is_running
        assert screen.query_one(ChatLog).messages  # what was on screen stays
