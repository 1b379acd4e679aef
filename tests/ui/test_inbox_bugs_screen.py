"""Issue #11 bugs 4, 5, 7 and 9 (long texts, failed texts, search, layout) on a fixed account.

Each test names the commit it failed on (run in a scratch worktree of that commit).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets._toast import Toast

from tests.ui.helpers import inbox_open_on, region_text, until, widget_lines
from tests.ui.snapshot_data import NOW, PEOPLE, fixed_desk
from tui.api.models import Contact, Message
from tui.app import SmsDeskApp
from tui.desk import ConversationChanged, Desk
from tui.screens.inbox import InboxScreen
from tui.widgets.chat_log import ChatLog
from tui.widgets.contact_panel import ContactPanel
from tui.widgets.conversation_list import ConversationList
from tui.widgets.reply_box import ReplyBox
from tui.widgets.segment_meter import SegmentMeter

SIZE = (120, 40)
MARIA, TOM, UNKNOWN = PEOPLE[0][1], PEOPLE[3][1], PEOPLE[4][1]
MULLER = "+13035550142"


async def _inbox(app: SmsDeskApp) -> InboxScreen:
    return await inbox_open_on(app, MARIA)


async def _outbox_state(app: SmsDeskApp, key: str) -> str | None:
    found = await app.desk.store.get_outbox(key)
    return found.state if found else None


def _queued_for(desk: Desk, phone: str) -> list[str]:
    return [i.body for i in desk.store.sync.list_outbox() if i.phone == phone
            and i.state in ("queued", "sending", "sent")]


def _with_muller(tmp_path: Path) -> Desk:
    desk = fixed_desk(tmp_path)
    when = NOW - timedelta(days=3)
    desk.store.sync.upsert_contacts([Contact(
        id="c6", phone_number=MULLER, first_name="Jürgen", last_name="Müller",
        created_at=when, updated_at=when)])
    desk.store.sync.store_messages([Message(
        id="m900", phone_number=MULLER, message="Danke, bis morgen!", direction="incoming",
        read=True, contact_id="c6", created_at=when, updated_at=when)])
    return desk


def _meter_style(meter: SegmentMeter, word: str) -> str:
    """The colour the meter gives the part holding ``word`` (e.g. "segment")."""
    for segment in meter.render_line(0):
        if word in segment.text and segment.style is not None:
            return str(segment.style.color)
    raise AssertionError(f"{word!r} not drawn in the meter")


# --- bug 4: a text over 1,600 characters -------------------------------------------------


async def test_a_text_over_the_limit_is_refused_before_sending(tmp_path: Path) -> None:
    """Bug 4: 1,700 characters never reach the outbox; the person is told why.

    Failed on 6258c09 (just before the fix a9690f9): the text was queued (then a 422)."""
    desk = fixed_desk(tmp_path)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        before = _queued_for(desk, MARIA)
        await pilot.press("tab")
        reply = screen.query_one(ReplyBox)
        reply.text = "Your order is ready. " * 81  # 1,701 characters
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _queued_for(desk, MARIA) == before
        assert reply.text.startswith("Your order is ready.")  # kept, to shorten it
        said = " ".join(str(n.message) for n in app._notifications)
        assert "1,600" in said or "1600" in said
        assert "Too long" in "".join(s.text for s in screen.query_one(SegmentMeter)
                                     .render_line(0))


async def test_the_segment_meter_warms_up_as_the_text_grows(tmp_path: Path) -> None:
    """Bug 4: "12 segments" must not be the same grey as 1.

    Failed on 6258c09 (just before the fix a9690f9): every count had the same colour."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        await pilot.press("tab")
        reply, meter = screen.query_one(ReplyBox), screen.query_one(SegmentMeter)
        styles = []
        for length in (40, 1_500):
            reply.text = "x" * length
            await pilot.pause()
            styles.append(_meter_style(meter, "segment"))
        assert styles[0] != styles[1]


async def test_a_failed_text_can_be_pulled_back_into_the_reply_box(tmp_path: Path) -> None:
    """Bug 4: a failed text comes back into the box to be edited (and leaves the outbox).

    Failed on 6258c09 (just before the fix a9690f9): no key did it."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        await until(lambda: bool(screen._conversation and screen._conversation.failed_keys))
        await pilot.press("ctrl+l")
        reply = screen.query_one(ReplyBox)
        await until(lambda: reply.text == "See you then!")
        assert reply.has_focus
        await until(lambda: _state_is(app, "k-failed", ("cancelled", None)))


def _state_is(app: SmsDeskApp, key: str, states: tuple[str | None, ...]) -> bool:
    found = app.desk.store.sync.get_outbox(key)
    return (found.state if found else None) in states


# --- bug 5: ctrl+x from the reply box ------------------------------------------------------


async def test_ctrl_x_discards_a_failed_text_from_the_reply_box(tmp_path: Path) -> None:
    """Bug 5: ctrl+x works while typing in the box (the box's own cut took it).

    Failed on 6258c09 (just before the fix a9690f9): the failed text stayed failed."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        await until(lambda: bool(screen._conversation and screen._conversation.failed_keys))
        await pilot.press("tab")
        assert screen.query_one(ReplyBox).has_focus
        await pilot.press("ctrl+x")
        await until(lambda: _state_is(app, "k-failed", ("cancelled", None)))


# --- bug 7: search --------------------------------------------------------------------------


async def test_escape_leaves_the_search_and_clears_it(tmp_path: Path) -> None:
    """Bug 7 (b): Esc in the search box clears the query and every conversation is back.

    Failed on 6258c09 (just before the fix a9690f9): the query stayed."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        rows = screen.query_one(ConversationList)
        everyone = rows.option_count
        await pilot.press("slash", *"tom")
        await until(lambda: rows.option_count == 1)
        await pilot.press("escape")
        await until(lambda: rows.option_count == everyone)
        assert screen.search_text == ""
        assert rows.has_focus


async def test_search_folds_accents_and_case(tmp_path: Path) -> None:
    """Bug 7 (c): "muller" finds "Müller", and so does "MÜLLER" or "jurgen".

    Failed on e7d4dd6 (just before the fix bf07340: folded search, migration 3)."""
    app = SmsDeskApp(_with_muller(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        rows = screen.query_one(ConversationList)
        search = screen.query_one("#inbox-search")
        for typed in ("muller", "MÜLLER", "jurgen"):
            search.value = typed  # type: ignore[attr-defined]
            await until(lambda: [c.phone for c in rows._conversations] == [MULLER])
            await pilot.pause()


async def test_a_search_with_no_match_closes_the_conversation_and_says_so(
    tmp_path: Path,
) -> None:
    """Bug 7 (d): no match: no stale conversation on the right, a sentence saying why.

    Failed on 6258c09 (just before the fix a9690f9): Maria's conversation stayed open."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        await pilot.press("slash", *"qqzz")
        await until(lambda: screen.query_one(ConversationList).option_count == 0)
        await until(lambda: screen.phone is None)
        await pilot.pause()
        chat = region_text(app, screen.query_one("#inbox-chat"))
        assert "No conversation matches" in chat and "qqzz" in chat
        assert "Maria" not in region_text(app, screen.query_one("#inbox-chat"))


# --- bug 9: layout ----------------------------------------------------------------------------


async def test_the_email_in_the_contact_panel_is_not_cut_mid_word(tmp_path: Path) -> None:
    """Bug 9 (a): a long address is whole, or split before the @, never inside a word.

    Failed on 6258c09 (just before the fix a9690f9): "maria.lopez.longname@exa…"."""
    desk = fixed_desk(tmp_path)
    when = NOW - timedelta(days=30)
    desk.store.sync.upsert_contacts([Contact(
        id="c1", phone_number=MARIA, first_name="Maria", last_name="Lopez",
        email="maria.lopez.longname@example-company.com", created_at=when, updated_at=when)])
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        panel = screen.query_one(ContactPanel)
        await until(lambda: any("Maria" in line for line in widget_lines(panel)))
        await pilot.pause()
        lines = [line.strip() for line in widget_lines(panel)]
        assert "maria.lopez.longname" in lines
        assert "@example-company.com" in lines


async def test_new_text_toasts_cover_neither_the_reply_box_nor_the_last_state(
    tmp_path: Path,
) -> None:
    """Bug 9 (b): at 80×24 toasts for new texts leave the reply box and the newest reply's
    state visible.

    Failed on 6258c09 (just before the fix a9690f9): a toast sat over the newest reply."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await _inbox(app)
        await pilot.pause()
        news = tuple((phone, name, f"text {n}") for n, (phone, name) in
                     enumerate([(TOM, "Tom Becker"), (UNKNOWN, "(718) 555-0111"),
                                (PEOPLE[1][1], "James Okafor")]))
        app.desk._emit(ConversationChanged(frozenset(p for p, _n, _t in news), news))
        await until(lambda: len(app.screen.query(Toast)) >= 3)
        await pilot.pause()
        reply = screen.query_one(ReplyBox).region
        log = screen.query_one(ChatLog)
        newest = log.query("Bubble").last().region
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(reply), "a toast covers the reply box"
            assert not toast.region.overlaps(newest), "a toast covers the newest reply"


async def test_the_empty_inbox_sentence_is_whole_at_every_size(tmp_path: Path) -> None:
    """Bug 9 (c): the sentence an empty inbox shows is never cut off.

    Failed on 6258c09 (just before the fix a9690f9): "…new texts appear here as t…" at 80×24."""
    for size in ((80, 24), (60, 20), (120, 40)):
        app = SmsDeskApp(fixed_desk(tmp_path / f"{size[0]}", empty=True))
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            assert isinstance(screen, InboxScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = region_text(app, screen.query_one("#inbox-chat"))
            assert "new texts appear here as they arrive" in shown, (size, shown)


async def test_a_number_without_a_contact_is_not_called_subscribed(tmp_path: Path) -> None:
    """Found by hand (a new conversation with 303 555 0142): the panel said "Subscribed" for a
    number no contact has; whether it is subscribed is not known here.

    Failed on 3c7f3ae (main before this fix)."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _inbox(app)
        rows = screen.query_one(ConversationList)
        rows.highlight(UNKNOWN)
        panel = screen.query_one(ContactPanel)
        await until(lambda: any("(718) 555-0111" in line for line in widget_lines(panel)))
        await pilot.pause()
        lines = " ".join(widget_lines(panel))
        assert "Not a saved contact" in lines and "Subscribed" not in lines
        rows.highlight(MARIA)
        await until(lambda: any("Subscribed" in line for line in widget_lines(panel)))
