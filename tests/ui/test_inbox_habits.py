"""Issue #11 items 12 and 13: triage beyond read/unread, and the keys and mouse people know."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual import events

from tests.ui.helpers import inbox_open_on, until, widget_lines
from tests.ui.snapshot_data import NOW, PEOPLE, fixed_desk
from tui.api.models import Message
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.screens.contacts import ContactsScreen
from tui.screens.inbox import InboxScreen
from tui.widgets.chat_log import ChatLog
from tui.widgets.conversation_list import ConversationList
from tui.widgets.reply_box import ReplyBox
from tui.widgets.section_tabs import SectionTabs
from tui.widgets.view_line import ViewLine

SIZE = (120, 40)
MARIA, JAMES, TOM = PEOPLE[0][1], PEOPLE[1][1], PEOPLE[3][1]


async def _inbox(app: SmsDeskApp) -> InboxScreen:
    return await inbox_open_on(app, MARIA)


def _listed(screen: InboxScreen) -> list[str]:
    return [c.phone for c in screen.query_one(ConversationList)._conversations]


def _row_line(screen: InboxScreen, name: str) -> str:
    return next(line for line in widget_lines(screen.query_one(ConversationList))
                if name in line)


def _triage(app: SmsDeskApp, phone: str) -> str | None:
    conversation = app.desk.store.sync.conversation(phone)
    return conversation.triage if conversation else None


async def _scroll(pilot: object, widget: object, event: type[events.MouseEvent],
                  times: int) -> None:
    for _ in range(times):  # the wheel as the terminal reports it, at the widget
        await pilot._post_mouse_events([event], widget, offset=(2, 2))  # type: ignore[attr-defined]


def _busy_desk(tmp_path: Path) -> Desk:
    """The fixed account with 40 more conversations and a long history with Maria."""
    desk = fixed_desk(tmp_path)
    more = [Message(id=f"x{n:03d}", phone_number=f"+1720555{n:04d}", message=f"hello {n}",
                    direction="incoming", read=True, created_at=NOW - timedelta(days=1, hours=n),
                    updated_at=NOW) for n in range(40)]
    old = [Message(id=f"old{n:03d}", phone_number=MARIA, message=f"old text {n}",
                   direction="incoming", read=True,
                   created_at=NOW - timedelta(days=2, minutes=n), updated_at=NOW)
           for n in range(40)]
    desk.store.sync.store_messages(more + old)
    return desk


# --- item 12: triage --------------------------------------------------------------------


async def test_done_and_needs_reply_flags_each_have_their_filter(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        await pilot.press("d")
        await until(lambda: _triage(app, MARIA) == "done")
        await until(lambda: "✓" in _row_line(screen, "Maria"))
        screen.view = "done"
        await until(lambda: _listed(screen) == [MARIA])
        await pilot.press("exclamation_mark")  # done -> needs reply
        await until(lambda: _triage(app, MARIA) == "needs_reply")
        screen.view = "needs_reply"
        await until(lambda: MARIA in _listed(screen))
        await until(lambda: "!" in _row_line(screen, "Maria"))
        await pilot.press("exclamation_mark")  # the same key again clears the flag
        await until(lambda: _triage(app, MARIA) is None)


async def test_a_draft_is_marked_in_the_list(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        assert "✎" in _row_line(screen, "James Okafor")  # saved before the app started
        assert "✎" not in _row_line(screen, "Maria Lopez")
        await pilot.press("tab", *"on my way")
        await until(lambda: "✎" in _row_line(screen, "Maria Lopez"))


async def test_w_opens_the_conversation_waiting_longest(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        waiting = app.desk.store.sync.longest_waiting()
        assert waiting is not None and waiting.phone == TOM  # HELP, 45 minutes unanswered
        await pilot.press("w")
        await until(lambda: screen.phone == TOM and screen.view == "needs_reply")
        assert _listed(screen)[0] == TOM
        assert screen.query_one(ConversationList).highlighted_phone == TOM


# --- item 13: keys and mouse ------------------------------------------------------------------


async def test_j_k_g_and_G_move_in_the_list(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        phones = _listed(screen)
        await pilot.press("j")
        await until(lambda: screen.phone == phones[1])
        await pilot.press("k")
        await until(lambda: screen.phone == phones[0])
        await pilot.press("G")
        await until(lambda: screen.phone == phones[-1])
        await pilot.press("g")
        await until(lambda: screen.phone == phones[0])


async def test_tab_goes_into_the_reply_box_and_back_and_esc_leaves_it(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        rows, reply = screen.query_one(ConversationList), screen.query_one(ReplyBox)
        await pilot.press("tab")
        assert reply.has_focus
        await pilot.press(*"hi")
        await pilot.press("tab")
        assert rows.has_focus and reply.text == "hi"
        await pilot.press("tab")
        assert reply.has_focus
        await pilot.press("escape")
        assert rows.has_focus and reply.text == "hi"


async def test_filter_labels_and_section_tabs_are_clickable(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        labels = screen.query_one(ViewLine)
        at = widget_lines(labels)[0].index("Unread")
        await pilot.click(labels, offset=(at + 1, 0))
        await until(lambda: screen.view == "unread")
        at = widget_lines(labels)[0].index("STOP")
        await pilot.click(labels, offset=(at + 1, 0))
        await until(lambda: screen.view == "opted_out")
        tabs = screen.query_one(SectionTabs)
        at = widget_lines(tabs)[0].index("Contacts")
        await pilot.click(tabs, offset=(at + 1, 0))
        await until(lambda: isinstance(app.screen, ContactsScreen))


async def test_the_mouse_wheel_scrolls_the_list_the_chat_and_the_help(tmp_path: Path) -> None:
    app = SmsDeskApp(_busy_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        rows = screen.query_one(ConversationList)
        assert rows.scroll_y == 0 and rows.max_scroll_y > 0
        await _scroll(pilot, rows, events.MouseScrollDown, 3)
        await until(lambda: rows.scroll_y > 0)
        log = screen.query_one(ChatLog)
        await until(lambda: log.scroll_y == log.max_scroll_y > 0)  # the newest at the bottom
        bottom = log.scroll_y
        await _scroll(pilot, log, events.MouseScrollUp, 3)
        await until(lambda: log.scroll_y < bottom)
        await pilot.press("question_mark")
        await until(lambda: app.screen is not screen)
        scroller = next(w for w in app.screen.query("*") if w.max_scroll_y > 0)
        await _scroll(pilot, scroller, events.MouseScrollDown, 3)
        await until(lambda: scroller.scroll_y > 0)
