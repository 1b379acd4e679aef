"""The open conversation: older history, saved replies, the encoding doctor, failed replies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.ui.helpers import inbox_open_on, until
from tests.ui.snapshot_data import NOW, PEOPLE, fixed_desk
from tui.api.models import Message
from tui.app import SmsDeskApp
from tui.screens.inbox import InboxScreen
from tui.screens.saved_replies import SavedRepliesScreen
from tui.widgets.chat_log import ChatLog
from tui.widgets.reply_box import ReplyBox

MARIA = PEOPLE[0][1]
SIZE = (120, 40)


async def _open_maria(app: SmsDeskApp) -> InboxScreen:
    return await inbox_open_on(app, MARIA)


async def test_scrolling_to_the_top_loads_older_history(tmp_path: Path) -> None:
    desk = fixed_desk(tmp_path)
    old = [
        Message(id=f"old{n:03d}", phone_number=MARIA, message=f"old text {n}",
                direction="incoming", read=True, created_at=NOW - timedelta(days=2, minutes=n),
                updated_at=NOW)
        for n in range(80)
    ]
    desk.store.sync.store_messages(old)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_maria(app)
        log = screen.query_one(ChatLog)
        first_page = len(log.messages)
        assert first_page == 50
        log.scroll_home(animate=False)
        await until(lambda: len(log.messages) > first_page)
        await pilot.pause()
        assert log.messages[0].created_at < NOW - timedelta(days=2)


async def test_saved_reply_is_filled_for_this_contact(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_maria(app)
        await pilot.press("ctrl+r")
        await until(lambda: isinstance(app.screen, SavedRepliesScreen))
        replies = await app.desk.store.list_saved_replies()
        with_name = next(r for r in replies if "{first_name" in r.body)
        await pilot.press(*with_name.title[:6])
        await pilot.press("enter")
        await until(lambda: app.screen is screen)
        text = screen.query_one(ReplyBox).text
        assert "Maria" in text and "{" not in text


async def test_encoding_doctor_turns_smart_punctuation_into_gsm(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_maria(app)
        reply = screen.query_one(ReplyBox)
        reply.focus()
        reply.insert("It’s ready — “see you”…")
        await pilot.press("ctrl+g")
        await until(lambda: reply.text == "It's ready - \"see you\"...")


async def test_failed_reply_can_be_retried_or_discarded_with_keys(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_maria(app)
        await until(lambda: screen._conversation is not None
                    and screen._conversation.failed_keys == ["k-failed"])
        await pilot.press("ctrl+t")

        async def state() -> str | None:
            found = await app.desk.store.get_outbox("k-failed")
            return found.state if found else None

        await pilot.pause(0.2)
        assert await state() == "queued"
        # Failed again, then discarded: it leaves the conversation.
        await app.desk.store.update_outbox("k-failed", state="failed", last_error="nope")
        screen.reload_conversation(mark_read=False)
        await until(lambda: screen._conversation is not None
                    and screen._conversation.failed_keys == ["k-failed"])
        await pilot.press("ctrl+x")
        await pilot.pause(0.2)
        assert await state() == "cancelled"
        await until(lambda: all(m.body != "See you then!"
                                for m in screen.query_one(ChatLog).messages))
