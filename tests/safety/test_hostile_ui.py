"""The whole hostile corpus through the app: names, texts, toasts, title, server errors, help.

Checks, against the in-process sandbox with a driver that records every byte the app writes:
the app keeps running, each string is on screen literally (or with visible placeholders), no
raw ESC, C1 or markup effect reaches the output, and emoji sequences come out intact.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Input, Static

from tests.safety.hostile import EMOJI, HOSTILE, LONG, terminal_leaks
from tests.ui.helpers import until
from tui.api.client import MobinitiClient
from tui.app import SmsDeskApp
from tui.config import Profile
from tui.desk import Desk
from tui.safe_text import shown
from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.screens.help import HelpScreen, KeyRow
from tui.screens.inbox import InboxScreen, title_line
from tui.store import AsyncStore, open_store
from tui.widgets.chat_log import Bubble, ChatLog
from tui.widgets.contact_panel import ContactPanel
from tui.widgets.conversation_list import ConversationList

BASE_URL = "http://sandbox/v1"
# Every wait below is for a state the app reaches by itself; this only ends a hung test. Under
# a loaded machine (5 test runs on 2 cores) drawing 50 hostile bubbles took longer than the old
# 8 s, and a silent count-limited wait let the cache-only half start before every text was in.
HUNG = 90.0
SIZE = (120, 40)
TEXTER_NAME = "Texter Plain"
# What the sandbox can send: its JSON encoder cannot write a lone surrogate (a real server
# could, as a \ud800 escape: test_a_lone_surrogate_from_the_server_is_not_fatal covers it).
WIRE = {k: v for k, v in HOSTILE.items() if k != "lone surrogate"}
NAMES = WIRE


class RecordingDriver(HeadlessDriver):
    """The headless driver, except the app believes it has a terminal and we keep its output."""

    written: list[str] = []

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        RecordingDriver.written.append(data)


class RefusingMarks(httpx.AsyncBaseTransport):
    """The sandbox, except marking read answers a 422 whose message is hostile."""

    def __init__(self, inner: httpx.AsyncBaseTransport, message: str) -> None:
        self.inner = inner
        self.message = message

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and "/messages/" in request.url.path:
            body = {"message": self.message, "status": 422, "errors": {"read": [self.message]}}
            return httpx.Response(422, json=body, headers={"X-Request-Id": "req-\x1b[2J"})
        return await self.inner.handle_async_request(request)


def hostile_sandbox() -> Sandbox:
    sandbox = create_app(
        SandboxConfig(seed=3, contacts=len(NAMES) + 4, rate_limit=False, inbound_rate=0.0,
                      reply_probability=0.0, delivery_delay=0.3, failure_rate=0.0)
    )
    contacts = sorted(sandbox.state.contacts.values(), key=lambda c: c.phone_number)
    for contact, name in zip(contacts, NAMES.values(), strict=False):
        contact.first_name, contact.last_name = name, None
        contact.unsubscribed_at = None
    texter = contacts[-1]
    texter.first_name, texter.last_name, texter.unsubscribed_at = TEXTER_NAME, None, None
    for text in reversed(WIRE.values()):  # the markup ones last: at the bottom, in view
        sandbox.state.record_incoming(texter.phone_number, text)
    for contact in contacts[: len(NAMES)]:
        sandbox.state.record_incoming(contact.phone_number, "hello")
    return sandbox


def desk_for(sandbox: Sandbox, db: Path, *, autostart: bool = True,
             refuse_marks: str | None = None) -> Desk:
    def connect() -> tuple[MobinitiClient, Sandbox]:
        transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=sandbox.asgi)
        if refuse_marks is not None:
            transport = RefusingMarks(transport, refuse_marks)
        return MobinitiClient(sandbox.token, BASE_URL, transport=transport), sandbox

    return Desk(profile_name="hostile", profile=Profile(base_url=BASE_URL),
                store=AsyncStore(open_store(db, recover=True)), connect=connect,
                autostart=autostart, inbox_options={"receipts_every": 0.5})


def recording_app(desk: Desk) -> SmsDeskApp:
    RecordingDriver.written = []
    app = SmsDeskApp(desk)
    app.driver_class = RecordingDriver
    # Toasts are checked for what they say, not for how long they stay: on a loaded machine
    # the default 5 s ran out between showing ~100 toasts and reading them back.
    app.NOTIFICATION_TIMEOUT = 3600
    return app


def inbox(app: SmsDeskApp) -> InboxScreen:
    screen = app.screen
    assert isinstance(screen, InboxScreen)
    return screen


def screen_lines(app: SmsDeskApp) -> list[str]:
    """What the terminal shows now, line by line (toasts included)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def rendered(widget: Static) -> str:
    return str(widget.render())


def written() -> str:
    return "".join(RecordingDriver.written)


def assert_clean_output() -> None:
    output = written()
    assert output, "the recording driver saw nothing: the test would prove nothing"
    assert terminal_leaks(output) == []
    for title in _titles(output):
        assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in title)


def _titles(output: str) -> Iterator[str]:
    start = 0
    while (found := output.find("\x1b]2;", start)) != -1:
        end = output.index("\x07", found)
        yield output[found + 4:end]
        start = end


def literal(value: str, limit: int | None = None) -> str:
    """What a one-line place must show of ``value`` (visible placeholders, no markup effect)."""
    return shown(value, single_line=True, limit=limit)


@pytest.fixture
def sandbox() -> Sandbox:
    return hostile_sandbox()


async def test_every_hostile_name_and_text_is_shown_literally_and_nothing_leaks(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    app = recording_app(desk_for(sandbox, tmp_path / "store.db"))
    started = time.monotonic()
    async with app.run_test(size=SIZE, headless=False, notifications=True) as pilot:
        rows = inbox(app).query_one(ConversationList)

        def every_name_listed() -> bool:
            firsts = [str(rows.get_option_at_index(i).prompt).split("\n")[0][2:]
                      for i in range(rows.option_count)]
            return all(any(line.startswith(literal(name)[:8]) for line in firsts)
                       for name in NAMES.values())

        await until(every_name_listed, timeout=HUNG)
        for index in range(rows.option_count):
            prompt = str(rows.get_option_at_index(index).prompt)
            assert "\n" in prompt and prompt.count("\n") == 1  # two lines, never more
        texter_phone = next(c.phone_number for c in sandbox.state.contacts.values()
                            if c.first_name == TEXTER_NAME)
        # Every text stored before the app is closed (the second half reads the cache alone).
        stored = 0
        while stored < len(WIRE):
            stored = len(await app.desk.store.messages_for(texter_phone, limit=200))
            await pilot.pause(0.05)
            assert time.monotonic() - started < HUNG, f"only {stored} texts stored"
        assert app.is_running
        assert_clean_output()

    # Again from the local cache alone (no network: opening is a store read, fast and sure).
    app = recording_app(desk_for(sandbox, tmp_path / "store.db", autostart=False))
    async with app.run_test(size=SIZE, headless=False, notifications=True) as pilot:
        rows = inbox(app).query_one(ConversationList)
        await until(every_name_listed, timeout=HUNG)

        # Open each conversation: title and panel show the name literally, on one line.
        screen = inbox(app)
        for index in range(rows.option_count):
            rows.highlighted = index
            phone = rows.get_option_at_index(index).id
            await until(lambda phone=phone: screen._conversation is not None
                        and screen._conversation.phone == phone, timeout=HUNG)
            await pilot.pause()
            view = screen._conversation
            assert view is not None
            title = rendered(screen.query_one("#chat-title", Static))
            # The name first, then the number (item 15 of #11), one line, cut at 300.
            narrow = screen.has_class("-narrow")
            assert title == literal(title_line(view, narrow=narrow), 300)
            panel = rendered(screen.query_one(ContactPanel)).split("\n")
            assert panel[1].strip() == view.phone_display  # the number is never pushed out
            assert panel[3].strip() in {"Subscribed", "Opted out", "Opted out  (texted STOP)"}
            if view.title == LONG:  # list row, chat title and panel: one line each, cut
                screen_now = "\n".join(screen_lines(app))
                runs = re.findall(r"Z{4,}…?", screen_now)
                assert len(runs) == 3 and all(run.endswith("…") for run in runs), runs
            if view.title == TEXTER_NAME:
                texter = phone
        assert app.is_running

        # The one texter's conversation holds every hostile text as a bubble.
        rows.highlighted = rows.get_option_index(texter)
        log = screen.query_one(ChatLog)
        await until(lambda: len(log.query(Bubble)) >= len(WIRE), timeout=HUNG)
        bubbles = "\n".join(rendered(b._text) for b in log.query(Bubble))
        for name, value in WIRE.items():
            assert shown(value) in bubbles, name
        for emoji in EMOJI.values():
            assert emoji in bubbles
        await until(lambda: any("[@click=app.quit]click me[/]" in line
                                for line in screen_lines(app)), timeout=HUNG)
        lines = screen_lines(app)
        y = next(y for y, line in enumerate(lines) if "[@click=app.quit]click me[/]" in line)
        await pilot.click(offset=(lines[y].index("click me") + 2, y))  # not a link: nothing
        await pilot.pause()
        assert_clean_output()
    assert app.return_code in (None, 0)


async def test_every_hostile_toast_is_plain_and_the_app_goes_on(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    app = recording_app(desk_for(sandbox, tmp_path / "store.db", autostart=False))
    async with app.run_test(size=SIZE, headless=False, notifications=True) as pilot:
        for name, value in HOSTILE.items():
            app.notify(value, title=value)  # markup defaults to True in Textual: not here
            inbox(app).notify(value, title=name)
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        titles = [n.title for n in app._notifications]
        assert all(not n.markup for n in app._notifications)
        for value in HOSTILE.values():
            assert shown(value, limit=2000) in messages
            assert literal(value, 100) in titles
        app.update_status(unread=3)
        await pilot.pause()
        assert app.is_running
        assert_clean_output()
        assert "\x1b]2;smsdesk (3)\x07" in written()


async def test_a_server_error_with_markup_in_it_is_a_plain_toast(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    hostile = "[/b][@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 \x9b2J"
    app = recording_app(desk_for(sandbox, tmp_path / "store.db", refuse_marks=hostile))
    async with app.run_test(size=SIZE, headless=False, notifications=True) as pilot:
        await _first_open(app)
        await pilot.press("enter")  # into the conversation: marked read, which the server refuses
        await until(lambda: any(n.title == "Could not update" for n in app._notifications),
                    timeout=HUNG)
        await pilot.pause()
        toast = next(n for n in app._notifications if n.title == "Could not update")
        assert "[/b][@click=app.quit]x[/]" in toast.message
        assert "\x1b" not in toast.message and "\x9b" not in toast.message
        await until(lambda: "[/b][@click=app.quit]x[/]" in "\n".join(screen_lines(app)),
                    timeout=HUNG)
        assert app.is_running
        assert_clean_output()


async def test_a_contact_named_close_tag_in_the_local_cache_no_longer_kills_start_up(
    tmp_path: Path,
) -> None:
    """The bug in #9: ``[/b]`` as a cached name made every start die with a MarkupError."""
    sandbox = create_app(SandboxConfig(seed=3, contacts=6, rate_limit=False, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    contact = next(c for c in sandbox.state.contacts.values() if c.unsubscribed_at is None)
    contact.first_name, contact.last_name = "[/b]", "[/]"
    sandbox.state.record_incoming(contact.phone_number, "[/b] hi [@click=app.quit]quit[/]")
    db = tmp_path / "store.db"
    first = SmsDeskApp(desk_for(sandbox, db))
    async with first.run_test(size=SIZE) as pilot:
        started = time.monotonic()
        while True:
            cached = await first.desk.store.conversation(contact.phone_number)
            if cached is not None and cached.display_name == "[/b] [/]":
                break
            assert time.monotonic() - started < HUNG, "the name never reached the local cache"
            await pilot.pause(0.05)

    offline = SmsDeskApp(desk_for(sandbox, db, autostart=False))
    async with offline.run_test(size=SIZE) as pilot:
        await until(lambda: inbox(offline).phone == contact.phone_number, timeout=HUNG)
        title = inbox(offline).query_one("#chat-title", Static)
        await until(lambda: rendered(title).startswith("[/b] [/] · "), timeout=HUNG)
        await pilot.click("#chat-log")
        await pilot.pause()
        assert offline.is_running


async def test_an_inbound_close_tag_no_longer_crashes_the_toast_and_links_are_not_clickable(
    tmp_path: Path,
) -> None:
    sandbox = create_app(SandboxConfig(seed=3, contacts=6, rate_limit=False, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    app = recording_app(desk_for(sandbox, tmp_path / "store.db"))
    async with app.run_test(size=SIZE, headless=False, notifications=True) as pilot:
        phone = await _first_open(app)
        other = next(c for c in sandbox.state.contacts.values()
                     if c.phone_number != phone and c.unsubscribed_at is None)
        sandbox.simulate_inbound(other.phone_number, "[/b] [@click=app.quit]press me[/]")
        (await app.desk.services()).inbox.wake()  # the next poll now, not in up to 10 s
        await until(lambda: any("press me" in n.message for n in app._notifications),
                    timeout=HUNG)
        await until(lambda: any("press me" in line for line in screen_lines(app)), timeout=HUNG)
        lines = screen_lines(app)
        where = next((y, line.index("press me")) for y, line in enumerate(lines)
                     if "press me" in line)
        await pilot.click(offset=(where[1] + 2, where[0]))
        await pilot.pause()
        assert app.is_running
        assert_clean_output()


async def _first_open(app: SmsDeskApp) -> str:
    await until(lambda: inbox(app).phone is not None, timeout=HUNG)
    phone = inbox(app).phone
    assert phone is not None
    return phone


async def test_help_shows_hostile_keymap_descriptions_as_text(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    app = recording_app(desk_for(sandbox, tmp_path / "store.db", autostart=False))
    async with app.run_test(size=SIZE, headless=False, notifications=True) as pilot:
        await pilot.pause()
        rows = [KeyRow("[/b]\x1b[2J", "[@click=app.quit]k[/]", "desc \x1b]2;t\x07 [/]",
                       "id.[/b]")]
        app.push_screen(HelpScreen("[/b]title\x9b", rows))
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "[@click=app.quit]k[/]" in text and "[/b]title" in text
        assert app.is_running
        assert_clean_output()


def test_corpus_json_round_trip_is_what_the_sandbox_sends() -> None:
    """The strings survive the wire as JSON (the sandbox's path to the client)."""
    for value in HOSTILE.values():
        assert json.loads(json.dumps(value)) == value


class SurrogateServer(httpx.AsyncBaseTransport):
    """The sandbox, except ``SURROGATE`` in any answer becomes the JSON escape ``\\ud800``:
    valid JSON, not valid Unicode (the sandbox itself cannot send that)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        return httpx.Response(response.status_code, headers=response.headers,
                              content=body.replace(b"SURROGATE", b"\\ud800"))


async def test_a_lone_surrogate_from_the_server_is_not_fatal(tmp_path: Path) -> None:
    sandbox = create_app(SandboxConfig(seed=3, contacts=6, rate_limit=False, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    contact = next(c for c in sandbox.state.contacts.values() if c.unsubscribed_at is None)
    contact.first_name, contact.last_name = "Ann SURROGATE", None
    sandbox.state.record_incoming(contact.phone_number, "bad SURROGATE half")

    def connect() -> tuple[MobinitiClient, Sandbox]:
        transport = SurrogateServer(httpx.ASGITransport(app=sandbox.asgi))
        return MobinitiClient(sandbox.token, BASE_URL, transport=transport), sandbox

    desk = Desk(profile_name="s", profile=Profile(base_url=BASE_URL),
                store=AsyncStore(open_store(tmp_path / "s.db", recover=True)), connect=connect)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        screen = inbox(app)
        await until(lambda: any("bad \ufffd half" in rendered(b._text)
                                for b in screen.query(Bubble)), timeout=HUNG)
        rows = screen.query_one(ConversationList)
        await until(lambda: any("Ann \ufffd" in str(rows.get_option_at_index(i).prompt)
                                for i in range(rows.option_count)), timeout=HUNG)
        await pilot.pause()
        assert app.is_running


async def test_a_paste_into_any_box_loses_its_escape_sequences(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    from textual import events

    from tui.widgets.reply_box import ReplyBox

    app = recording_app(desk_for(sandbox, tmp_path / "store.db", autostart=False))
    async with app.run_test(size=SIZE, headless=False) as pilot:
        box = inbox(app).query_one(ReplyBox)
        box.focus()
        await pilot.pause()
        pasted = "hi \x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b2J [/b] 👍🏽\r\nbye"
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        assert box.text == "hi  [/b] 👍🏽\nbye"
        search = inbox(app).query_one("#inbox-search", Input)
        search.focus()
        await pilot.pause()
        app.post_message(events.Paste("[/b]\x1b]2;title\x07x"))
        await pilot.pause()
        assert search.value == "[/b]x"
        assert_clean_output()


async def test_the_last_line_of_defence_drops_controls_that_skipped_the_boundary(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """An editor showing a server's text as it is, or a widget someone forgot to wrap."""
    from rich.text import Text
    from textual.widgets import TextArea

    app = recording_app(desk_for(sandbox, tmp_path / "store.db", autostart=False))
    async with app.run_test(size=SIZE, headless=False) as pilot:
        await app.screen.mount(Static(Text("raw \x1b[2Jwiped \x9b2J8bit \x1b]52;c;eA==\x07")))
        await app.screen.mount(TextArea("edit \x1b]2;pwned\x07 me\x1b[31m"))
        await pilot.pause()
        output = written()
        assert "\x1b[2Jwiped" not in output and "\x9b" not in output and "pwned\x07" not in output
        assert terminal_leaks(output) == []
        assert app.is_running
