"""The inbox bugs of issue #11, each pinned by the behaviour a person saw."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.ui.conftest import BASE_URL, sandbox_desk
from tests.ui.helpers import until
from tests.ui.test_inbox import SIZE, bubble_texts, inbox, opened
from tui.api.client import MobinitiClient
from tui.app import SmsDeskApp
from tui.config import Profile
from tui.desk import Desk
from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.store import AsyncStore, open_store
from tui.widgets.conversation_list import ConversationList
from tui.widgets.reply_box import ReplyBox

QUIET = SandboxConfig(seed=3, contacts=60, rate_limit=False, inbound_rate=0.0,
                      reply_probability=0.0, delivery_delay=0.3, failure_rate=0.0)


async def test_reply_after_a_sandbox_restart_stays_in_its_conversation(tmp_path: Path) -> None:
    """Bug 8: a restarted sandbox (same seed) must not reuse the ids of the run before."""
    db = tmp_path / "store.db"
    before = create_app(QUIET)
    app = SmsDeskApp(sandbox_desk(before, db))
    async with app.run_test(size=SIZE):
        phone = await opened(app)
        other = next(c.phone_number for c in before.state.contacts.values()
                     if c.phone_number != phone and c.unsubscribed_at is None)
        before.simulate_inbound(phone=other, text="first run text")
        await until(lambda: app.desk.focused_phone is not None)
        await until(lambda: _stored_texts(app, other, "first run text"))
    after = create_app(QUIET)
    again = SmsDeskApp(sandbox_desk(after, db))
    async with again.run_test(size=SIZE) as pilot:
        await opened(again)
        screen = inbox(again)
        if screen.query_one(ReplyBox).blocked:
            after.simulate_inbound(phone=screen.phone, text="START")
            await until(lambda: not screen.query_one(ReplyBox).blocked)
        await pilot.press("tab", *"sent after the restart", "enter")
        await until(lambda: any("sent after the restart" in t and "delivered" in t
                                for t in bubble_texts(again)), timeout=12)


def _stored_texts(app: SmsDeskApp, phone: str, text: str) -> bool:
    store = app.desk.store.sync
    return any(m.body == text for m in store.messages_for(phone))


async def test_first_run_opens_the_newest_conversation_at_the_top(tmp_path: Path) -> None:
    """Bug 2: the history loads oldest first over several pages; the newest must stay open."""
    # The real pace (1 request/second per route): pages arrive a second apart, as for a person.
    busy = create_app(SandboxConfig(seed=3, contacts=500, rate_limit=True, inbound_rate=0.0,
                                    reply_probability=0.0, failure_rate=0.0))
    app = SmsDeskApp(sandbox_desk(busy, tmp_path / "store.db"))
    talked = {m.phone_number for m in busy.state.messages if m.direction == "incoming"}
    newest = max((m for m in busy.state.messages if m.phone_number in talked),
                 key=lambda m: m.created_at).phone_number
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: inbox(app).phone == newest, timeout=20)
        await opened(app)
        await pilot.pause()
        listed = inbox(app).query_one(ConversationList)
        assert inbox(app).phone == newest
        assert listed.highlighted == 0
        assert listed.scroll_y == 0


class _Network(httpx.AsyncBaseTransport):
    """The sandbox behind a cable that can be pulled."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("network is down", request=request)
        return await self.inner.handle_async_request(request)


def _desk_on(sandbox: Sandbox, db: Path, network: list[_Network]) -> Desk:
    def connect() -> tuple[MobinitiClient, Sandbox]:
        cable = _Network(httpx.ASGITransport(app=sandbox.asgi))
        network.append(cable)
        return MobinitiClient(sandbox.token, BASE_URL, transport=cable), sandbox

    return Desk(profile_name="test", profile=Profile(base_url=BASE_URL),
                store=AsyncStore(open_store(db, recover=True)), connect=connect,
                inbox_options={"receipts_every": 0.5, "max_offline_delay": 1.0})


async def test_mark_unread_offline_reaches_the_server_once_it_is_back(tmp_path: Path) -> None:
    """Bug 6: "will retry" must mean it: the mark is sent when the connection is back."""
    sandbox = create_app(QUIET)
    network: list[_Network] = []
    app = SmsDeskApp(_desk_on(sandbox, tmp_path / "store.db", network))
    async with app.run_test(size=SIZE) as pilot:
        phone = await opened(app)
        await pilot.press("enter")  # into the conversation: the person reads it
        text = sandbox.simulate_inbound(phone=phone, text="are you there?")
        record = next(r for r in sandbox.state.messages if r.id == text.id)
        await until(lambda: record.read)  # open conversation: read on the server
        inbox(app).query_one(ConversationList).focus()
        network[0].down = True
        await pilot.press("u")
        await until(lambda: any("Marked unread here" in str(n.message)
                                for n in app._notifications))
        assert record.read
        network[0].down = False
        await until(lambda: not record.read, timeout=15)


async def test_a_new_conversation_opens_the_number_just_picked(tmp_path: Path) -> None:
    """Found by hand: the old row's highlight won the list refresh and reopened it."""
    app = SmsDeskApp(sandbox_desk(create_app(QUIET), tmp_path / "store.db"))
    async with app.run_test(size=SIZE) as pilot:
        before = await opened(app)
        await pilot.press("c")
        await until(lambda: app.screen.__class__.__name__ == "NewConversationScreen")
        await pilot.press(*"720 555 0142", "enter")
        await until(lambda: inbox(app).phone == "+17205550142")
        assert before != "+17205550142"
        await until(lambda: inbox(app).query_one(ConversationList).highlighted_phone
                    == "+17205550142")
        for _ in range(5):  # later refreshes must not take the person back
            await pilot.pause(0.1)
        assert inbox(app).phone == "+17205550142"
        assert app.desk.focused_phone == "+17205550142"
        assert inbox(app).query_one(ConversationList).highlighted_phone == "+17205550142"
