"""Issue #11 items 14 and 15: keys people can discover (help, palette) and every width."""

from __future__ import annotations

import asyncio
import inspect
from itertools import combinations
from pathlib import Path

from textual.widgets import Static

from tests.ui.helpers import inbox_open_on, region_text, until
from tests.ui.snapshot_data import PEOPLE, fixed_desk
from tui.app import SmsDeskApp
from tui.screens.help import HelpScreen
from tui.screens.inbox import InboxScreen
from tui.services.new_conversation import Recipient
from tui.widgets.reply_box import ReplyBox

MARIA = PEOPLE[0][1]


async def _inbox(app: SmsDeskApp) -> InboxScreen:
    return await inbox_open_on(app, MARIA)


# --- item 14: help and palette ---------------------------------------------------------------


async def test_help_lists_smsdesk_keys_by_place_in_the_screens_order_with_ids(
    tmp_path: Path,
) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _inbox(app)
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, HelpScreen))
        rows = app.screen._rows  # type: ignore[attr-defined]
        places = list(dict.fromkeys(r.where for r in rows))
        assert places == ["Inbox", "Conversation list", "Reply box", "Everywhere"]
        inbox_rows = [r for r in rows if r.where == "Inbox"]
        declared = [b.id for b in InboxScreen.BINDINGS]  # type: ignore[union-attr]
        assert [r.binding_id for r in inbox_rows] == declared  # the screen's order, not a-z
        assert inbox_rows[0].description == "Reply" and inbox_rows[2].description == "Next unread"
        for row in rows:  # every binding row names the id the keymap uses
            assert row.binding_id or row.where == "Reply box", row
        descriptions = {r.description.lower() for r in rows}
        for textual_key in ("scroll up", "page down", "cursor up", "select", "focus next"):
            assert textual_key not in descriptions
        assert screen is not app.screen


async def test_the_palette_offers_every_inbox_action_and_keys_once(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _inbox(app)
        titles = [c.title for c in app.get_system_commands(screen)]
        for action in ("Mark unread", "Mark read", "New conversation", "Saved replies",
                       "Mark done", "Mark needs reply", "Longest waiting", "Next unread",
                       "Search", "Filter", "Retry failed", "Discard failed",
                       "Edit failed text", "Show Unread", "Go to Contacts"):
            assert action in titles, action
        assert titles.count("Keys") == 1
        assert "Send" not in titles  # nothing typed yet
        await pilot.press("tab", *"on my way")
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Send" in titles
        assert screen.query_one(ReplyBox).text == "on my way"


# --- item 15: every width -------------------------------------------------------------------


async def test_at_80_columns_the_phone_number_is_on_the_title_line(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _inbox(app)
        await pilot.pause()
        assert not screen.query_one("#contact-panel").display
        title = region_text(app, screen.query_one("#chat-title", Static))
        assert "Maria Lopez" in title and "(650) 253-0000" in title


async def test_at_200_columns_the_list_and_chat_use_the_room(tmp_path: Path) -> None:
    widths = {}
    for size in ((120, 40), (200, 60)):
        app = SmsDeskApp(fixed_desk(tmp_path / str(size[0])))
        async with app.run_test(size=size) as pilot:
            screen = await _inbox(app)
            await pilot.pause()
            widths[size[0]] = {part: screen.query_one(part).region.width
                               for part in ("#inbox-left", "#inbox-chat", "#contact-panel")}
            used = sum(widths[size[0]].values())
            assert used >= size[0] - 2, (size, widths)
    for part in ("#inbox-left", "#inbox-chat", "#contact-panel"):
        assert widths[200][part] > widths[120][part], (part, widths)


async def test_nothing_overlaps_at_any_size(tmp_path: Path) -> None:
    for size in ((60, 20), (80, 24), (120, 40), (200, 60)):
        app = SmsDeskApp(fixed_desk(tmp_path / str(size[0])))
        async with app.run_test(size=size) as pilot:
            screen = await _inbox(app)
            await pilot.pause()
            parts = ["SectionTabs", "#inbox-left", "#inbox-chat", "#contact-panel",
                     "StatusBar", "Footer", "#inbox-view-line", "#inbox-search",
                     "#conversations", "#chat-title", "#chat-log", "#reply", "#segment-meter"]
            shown = {p: screen.query_one(p).region for p in parts
                     if screen.query_one(p).display and screen.query_one(p).region.area}
            for name, region in shown.items():
                assert screen.region.contains_region(region), (size, name, region)
            top_level = ["SectionTabs", "#inbox-left", "#inbox-chat", "#contact-panel",
                         "StatusBar", "Footer"]
            inner = [["#inbox-view-line", "#inbox-search", "#conversations"],
                     ["#chat-title", "#chat-log", "#reply", "#segment-meter"]]
            for group in [top_level, *inner]:
                present = [p for p in group if p in shown]
                for a, b in combinations(present, 2):
                    assert not shown[a].overlaps(shown[b]), (size, a, b, shown[a], shown[b])
            assert "(650) 253-0000" in region_text(app, screen.query_one("#chat-title"))


# --- item 11: a new conversation ----------------------------------------------------------------


async def test_new_conversation_from_the_palette_by_name_and_opt_out_refused(
    tmp_path: Path,
) -> None:
    """The palette's "New conversation"; an opted-out number is refused with the reason and
    the open conversation stays; a name typed and Enter at once opens that contact.

    Enter at once failed on 741c4f8 (main before this fix): nothing happened."""
    from tui.screens.new_conversation import NewConversationScreen

    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _inbox(app)
        command = next(c for c in app.get_system_commands(screen)
                       if c.title == "New conversation")
        ran = command.callback()  # what the palette runs on Enter
        if inspect.isawaitable(ran):
            await ran
        await until(lambda: isinstance(app.screen, NewConversationScreen))
        await pilot.press(*"312 555 0178", "enter")  # Priya Raman texted STOP
        problem = app.screen.query_one("#new-problem", Static)
        await until(lambda: "opted out (STOP)" in str(problem.render()))
        assert isinstance(app.screen, NewConversationScreen) and screen.phone == MARIA
        await pilot.press("escape")
        await until(lambda: app.screen is screen)
        looked_up = app.desk.find_recipients

        async def busy_store(typed: str) -> list[Recipient]:
            await asyncio.sleep(0.3)  # the store is busy (a contacts sync writing, say)
            return await looked_up(typed)

        app.desk.find_recipients = busy_store  # type: ignore[method-assign]
        await pilot.press("c")
        await until(lambda: isinstance(app.screen, NewConversationScreen))
        await pilot.press(*"tom bec", "enter")  # Enter before the suggestions are drawn
        await until(lambda: screen.phone == PEOPLE[3][1])
        await until(lambda: screen.query_one(ReplyBox).has_focus)
