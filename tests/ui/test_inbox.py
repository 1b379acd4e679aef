"""The Inbox as a person uses it, against the in-process sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.ui.helpers import until
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.sandbox import Sandbox
from tui.screens.inbox import InboxScreen
from tui.widgets.chat_log import Bubble, ChatLog
from tui.widgets.conversation_list import ConversationList
from tui.widgets.reply_box import ReplyBox

SIZE = (120, 40)


def inbox(app: SmsDeskApp) -> InboxScreen:
    screen = app.screen
    assert isinstance(screen, InboxScreen)
    return screen


def bubble_texts(app: SmsDeskApp) -> list[str]:
    log = inbox(app).query_one(ChatLog)
    return [str(b._text.render()) for b in log.query(Bubble)]


async def opened(app: SmsDeskApp) -> str:
    """Wait for the first poll to fill the list and open a conversation; return its phone."""
    await until(lambda: inbox(app).query_one(ConversationList).option_count > 0)
    await until(lambda: inbox(app).phone is not None)
    await until(lambda: app.desk.catching_up is not True)  # the first run's history is in
    phone = inbox(app).phone
    assert phone is not None
    return phone


async def test_inbound_text_appears_in_list_and_open_conversation_without_a_key(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        sandbox.simulate_inbound(phone=phone, text="Is the patio open tonight?")
        await until(lambda: any("patio open tonight" in t for t in bubble_texts(app)))
        other = next(c for c in sandbox.state.contacts.values()
                     if c.phone_number != phone and c.unsubscribed_at is None)
        sandbox.simulate_inbound(phone=other.phone_number, text="Do you deliver to 10th st?")
        lst = inbox(app).query_one(ConversationList)
        await until(lambda: lst.get_option_at_index(0).id == other.phone_number)
        await pilot.pause()


async def test_reply_with_enter_goes_out_once_and_shows_delivered(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        if inbox(app).query_one(ReplyBox).blocked:  # opted out: pick one that may be texted
            sandbox.simulate_inbound(phone=phone, text="START")
        await pilot.press("tab")
        await pilot.press(*"On our way")
        await pilot.press("enter")
        assert inbox(app).query_one(ReplyBox).text == ""
        await until(lambda: any("On our way" in t for t in bubble_texts(app)))
        await until(lambda: any("delivered" in t for t in bubble_texts(app)
                                if "On our way" in t), timeout=12)
        sent = [m for m in sandbox.state.messages
                if m.phone_number == phone and m.message == "On our way"]
        assert len(sent) == 1


async def test_opted_out_number_cannot_be_replied_to(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        sandbox.simulate_inbound(phone=phone, text="STOP")
        screen = inbox(app)
        await until(lambda: screen.query_one(ReplyBox).blocked)
        assert "opted out" in str(screen.query_one("#reply-blocked").render()).lower()
        before = len(sandbox.state.messages)
        await pilot.press("tab", *"hello", "enter")
        await pilot.pause(0.3)
        assert not [m for m in sandbox.state.messages[before:] if m.direction == "outgoing"]


async def test_draft_survives_an_app_restart(make_desk: Callable[..., Desk]) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        await pilot.press("tab", *"half a thought")  # and quit at once
    again = SmsDeskApp(make_desk())
    async with again.run_test(size=SIZE):
        await until(lambda: inbox(again).phone == phone)
        await until(lambda: inbox(again).query_one(ReplyBox).text == "half a thought")


async def test_mark_unread_and_read_round_trip_to_the_api(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        await pilot.press("enter")  # into the conversation: the person reads it
        sandbox.simulate_inbound(phone=phone, text="are you there?")
        await until(lambda: any("are you there?" in t for t in bubble_texts(app)))

        def server_read() -> bool:
            texts = [m for m in sandbox.state.messages
                     if m.phone_number == phone and m.direction == "incoming"]
            return texts[-1].read

        await until(server_read)  # open conversation: marked read on the server
        inbox(app).query_one(ConversationList).focus()
        await pilot.press("u")
        await until(lambda: not server_read())
        await until(lambda: _unread_badge(app, phone) > 0)
        await pilot.press("r")
        await until(server_read)
        await until(lambda: _unread_badge(app, phone) == 0)


def _unread_badge(app: SmsDeskApp, phone: str) -> int:
    lst = inbox(app).query_one(ConversationList)
    for conversation in lst._conversations:
        if conversation.phone == phone:
            return conversation.unread_count
    return 0


async def test_n_jumps_to_the_next_unread_conversation(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        older, newer = [c.phone_number for c in sandbox.state.contacts.values()
                        if c.phone_number != phone and c.unsubscribed_at is None][:2]
        sandbox.simulate_inbound(phone=older, text="first")
        await asyncio.sleep(0.05)  # so "newer" sorts above "older"
        sandbox.simulate_inbound(phone=newer, text="second")
        lst = inbox(app).query_one(ConversationList)
        await until(lambda: _unread_badge(app, older) > 0 and _unread_badge(app, newer) > 0)
        lst.focus()
        await pilot.press("home")  # the newest conversation opens and is read
        await until(lambda: inbox(app).phone == newer and _unread_badge(app, newer) == 0)
        await pilot.press("n")
        await until(lambda: inbox(app).phone == older)
        await pilot.press("N")  # back up: "newer" is read now, so it is skipped
        await until(lambda: inbox(app).phone not in (older, newer))


async def test_search_then_enter_opens_the_match_and_typing_goes_to_the_reply(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        lst = inbox(app).query_one(ConversationList)
        target = next(c for c in lst._conversations if c.phone != phone and not c.opted_out)
        digits = target.phone[-7:]
        await pilot.press("slash", *digits)
        await until(lambda: inbox(app).phone == target.phone)
        await pilot.press("enter")  # search box -> list
        await pilot.press("enter")  # list -> reply box of the match
        await pilot.press(*"fresh draft")
        await until(lambda: inbox(app).query_one(ReplyBox).text == "fresh draft")
        assert inbox(app).view == "all"  # the "f" went into the text, not to the filter
