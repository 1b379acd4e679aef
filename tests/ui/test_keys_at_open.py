"""Keys typed in one burst the instant the app opens land where a person expects.

A terminal hands the app every key typed so far in one read: at open (the app still starting)
or from a fast typist. Each key goes to the widget that has the focus when the app takes it
from its queue, and a key that widget does not use comes back to the app's bindings later.
A key that moves the focus into a text box (Tab or Enter into the reply box, / into the
search) must take the keys after it along: they go into that box, in order, never to the
conversation list, where letters are commands (d marks done, u unread, f filters...).
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from tests.ui.helpers import until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.screens.inbox import InboxScreen
from tui.widgets.conversation_list import ConversationList
from tui.widgets.reply_box import ReplyBox

# What a terminal sends for these keys: (key, character).
KEYS = {"tab": ("tab", "\t"), "enter": ("enter", "\r"), "slash": ("slash", "/"),
        "down": ("down", None)}


def burst(app: SmsDeskApp, keys: list[str]) -> None:
    """Every key into the app's queue at once, as one read from the terminal delivers them
    (Pilot.press waits for the app between keys, which hides the race)."""
    for name in keys:
        key, character = KEYS.get(name, (name, name))
        app.post_message(events.Key(key, character))


def _inbox(app: SmsDeskApp) -> InboxScreen:
    assert isinstance(app.screen, InboxScreen)
    return app.screen


async def _settled_text(app: SmsDeskApp, widget_type: type[ReplyBox] | type[Input]) -> str:
    screen = _inbox(app)
    await until(lambda: bool(screen.query(widget_type)))
    box = screen.query_one(widget_type)
    await until(lambda: box.has_focus)
    for _ in range(20):  # let every queued key arrive
        await app.wait_for_refresh()
    return box.text if isinstance(box, ReplyBox) else box.value


async def test_tab_then_a_reply_typed_at_open_all_go_into_the_reply_box(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)):
        burst(app, ["tab", *"understood, see you friday"])
        text = await _settled_text(app, ReplyBox)
        assert text == "understood, see you friday"
        screen = _inbox(app)
        # None of the letters ran a list command (u: unread, d: done, f: the filter...).
        assert screen.view == "all"
        assert app.desk.focused_phone == screen.phone


async def test_enter_then_a_reply_typed_at_open_all_go_into_the_reply_box(
    tmp_path: Path,
) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)):
        burst(app, ["enter", *"on my way"])
        assert await _settled_text(app, ReplyBox) == "on my way"
        assert _inbox(app).view == "all"


async def test_moving_down_then_enter_opens_the_row_moved_to(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)):
        screen = _inbox(app)
        await until(lambda: screen.phone is not None)
        second = screen.query_one(ConversationList).get_option_at_index(1).id
        burst(app, ["down", "enter", *"yes"])
        assert await _settled_text(app, ReplyBox) == "yes"
        assert screen.phone == second


async def test_slash_then_a_search_typed_at_open_all_go_into_the_search(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)):
        burst(app, ["slash", *"dfu"])
        assert await _settled_text(app, Input) == "dfu"
        assert _inbox(app).view == "all"
