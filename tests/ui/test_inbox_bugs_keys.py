"""Issue #11 bugs 1, 3 and 7 (filters, opted-out keys, search), against the in-process sandbox.

Each test names the commit it failed on (run in a scratch worktree of that commit).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.ui.helpers import until
from tests.ui.test_inbox import SIZE, inbox, opened
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.sandbox import Sandbox
from tui.widgets.conversation_list import ConversationList
from tui.widgets.reply_box import ReplyBox


def _others(sandbox: Sandbox, phone: str, count: int) -> list[str]:
    return [c.phone_number for c in sandbox.state.contacts.values()
            if c.phone_number != phone and c.unsubscribed_at is None][:count]


def _listed(rows: ConversationList) -> list[str]:
    return [c.phone for c in rows._conversations]


def _server_read(sandbox: Sandbox, phone: str) -> bool:
    texts = [m for m in sandbox.state.messages
             if m.phone_number == phone and m.direction == "incoming"]
    return all(m.read for m in texts)


def _stored(app: SmsDeskApp, phone: str, text: str) -> bool:
    return any(m.body == text for m in app.desk.store.sync.messages_for(phone))


def _unread_here(app: SmsDeskApp, phone: str) -> int:
    conversation = app.desk.store.sync.conversation(phone)
    return conversation.unread_count if conversation else 0


async def test_unread_filter_keeps_the_open_conversation_listed_and_highlighted(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    """Bug 1: after f the open conversation is a highlighted row of the Unread list, and
    moving with the arrows reads conversations without them dropping out under the cursor.

    Failed on 6258c09 (just before the fix a9690f9): after f the open conversation was not
    among the rows (timed out waiting for it); on 579c2d6 each ↓ also dropped the row read."""
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        await pilot.press("enter", "escape")  # the person reads the open one: not unread now
        waiting = _others(sandbox, phone, 3)
        for n, other in enumerate(waiting):
            sandbox.simulate_inbound(phone=other, text=f"unread number {n}")
        await until(lambda: all(_stored(app, p, f"unread number {n}")
                                for n, p in enumerate(waiting)))
        screen = inbox(app)
        rows = screen.query_one(ConversationList)
        rows.focus()
        await pilot.press("f")
        await until(lambda: screen.view == "unread" and screen.phone in _listed(rows))
        await pilot.pause()
        assert rows.highlighted_phone == screen.phone
        unread_rows = set(_listed(rows))
        assert set(waiting) <= unread_rows
        for _ in range(2):
            before = screen.phone
            await pilot.press("down")
            await until(lambda b=before: screen.phone != b)
            moved_to = screen.phone
            await until(lambda m=moved_to: _unread_here(app, m) == 0)  # the person read it
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert set(_listed(rows)) == unread_rows  # nothing dropped out under the cursor
            assert rows.highlighted_phone == screen.phone == moved_to


async def test_letters_typed_in_an_opted_out_conversation_run_no_list_keys(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    """Bug 3: Tab reaches the (read-only) reply box, which says replies are blocked; typed
    letters stay there ("u" does not mark it unread, "f" does not change the filter).

    Failed on 71d40a8 (main before this fix): Tab only made a toast, focus stayed on the list
    and "u" marked the conversation unread; the box was disabled (Tab skipped it)."""
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        await pilot.press("enter")  # the person opens it: its texts are read
        sandbox.simulate_inbound(phone=phone, text="STOP")
        screen = inbox(app)
        reply = screen.query_one(ReplyBox)
        await until(lambda: "opted out" in str(screen.query_one("#reply-blocked").render()))
        rows = screen.query_one(ConversationList)
        rows.focus()
        await until(lambda: _server_read(sandbox, phone) and _unread_here(app, phone) == 0)
        await pilot.press("tab")
        await pilot.press(*"fed up", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.view == "all"
        assert _unread_here(app, phone) == 0 and _server_read(sandbox, phone)
        assert getattr(app.desk.store.sync.conversation(phone), "triage", None) is None
        assert reply.has_focus
        assert "Enter sends" not in reply.placeholder
        assert reply.text == ""
        await pilot.press("ctrl+r")  # saved replies would write into a box that cannot send
        await pilot.pause()
        assert app.screen is screen and reply.text == ""
        await pilot.press("escape")
        assert rows.has_focus


async def test_search_does_not_mark_its_top_hit_read(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    """Bug 7 (a): a search opens its first match for a look; only opening it marks it read.

    Failed on 6258c09 (just before the fix a9690f9) and on 579c2d6: the top hit was marked
    read here and on the server at once."""
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        other = _others(sandbox, phone, 1)[0]
        sandbox.simulate_inbound(phone=other, text="zebra crossing at noon?")
        await until(lambda: _stored(app, other, "zebra crossing at noon?"))
        assert _unread_here(app, other) > 0
        await pilot.press("slash", *"zebra")
        await until(lambda: inbox(app).phone == other)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert _unread_here(app, other) > 0
        assert not _server_read(sandbox, other)
        await pilot.press("enter", "enter")  # search -> list -> the conversation: read now
        await until(lambda: _server_read(sandbox, other) and _unread_here(app, other) == 0)


async def test_a_text_arriving_for_a_search_is_shown_not_read(
    make_desk: Callable[..., Desk], sandbox: Sandbox
) -> None:
    """Bug 7 (a), found while testing it: a search with no match yet, then a matching text
    arrives; the refresh that shows it must not mark it read (the person has not opened it).

    Failed on 71d40a8 (main before this fix): the refresh opened it as the person's choice."""
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        other = _others(sandbox, phone, 1)[0]
        await pilot.press("slash", *"zebra")
        await until(lambda: inbox(app).phone is None)
        sandbox.simulate_inbound(phone=other, text="zebra crossing at noon?")
        await until(lambda: inbox(app).phone == other)
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        assert _unread_here(app, other) > 0
        assert not _server_read(sandbox, other)
