"""The app shell: sections by number key and palette, help, keymap overrides, status bar."""

from __future__ import annotations

from pathlib import Path

from tests.ui.helpers import until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.screens.contacts import ContactsScreen
from tui.screens.groups import GroupsScreen
from tui.screens.help import HelpScreen
from tui.screens.inbox import InboxScreen


async def test_number_keys_and_the_palette_switch_sections(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await until(lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to Groups")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, GroupsScreen))
        await pilot.press("1")
        await until(lambda: isinstance(app.screen, InboxScreen))


async def test_help_lists_the_screen_keys_and_closes(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        descriptions = {row.description for row in help_screen._rows}
        assert {"Next unread", "Filter", "Search", "Mark read", "Saved replies"} <= descriptions
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, InboxScreen))


async def test_keymap_override_from_the_profile(tmp_path: Path) -> None:
    desk = fixed_desk(tmp_path)
    desk.keymap = {"inbox.next_unread": "j"}
    app = SmsDeskApp(desk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await until(lambda: screen.phone is not None)
        await pilot.press("j")
        # (718) 555-0111 and Tom Becker are the unread ones; j lands on one of them.
        await until(lambda: screen.phone in {"+17185550111", "+14155550199"})


async def test_status_bar_counts_unread_and_failed_replies(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)):
        await until(lambda: app.desk_status.outbox_failed == 1)
        assert app.desk_status.unread == 2
        assert app.desk_status.outbox_sending == 1
        assert app.title == "smsdesk (2)"
