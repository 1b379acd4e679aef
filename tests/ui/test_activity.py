"""The Activity screen: live events from a receiver process, filters, details, a picture."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from tests.events.seed_bodies import (
    FORM,
    JSON,
    MOBINITI_DELIVERY,
    MOBINITI_INBOUND,
    OPTIT_SUBSCRIBE,
    SKYCORE_SUBSCRIBE,
    SKYCORE_UNSUBSCRIBE,
    XML,
    optit_send_result,
)
from tests.ui.helpers import screen_lines, until
from tests.ui.snapshot_data import NOW, fixed_desk
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.events import parse
from tui.events.receiver import stored_form
from tui.events.serve import receiver_in_thread
from tui.screens.activity import ActivityScreen
from tui.screens.event_detail import EventDetailScreen
from tui.store import open_store
from tui.widgets.conversation_list import ConversationList

SECRET = "pilot-secret"


def inbound(phone: str, text: str, minutes_ago: float = 0, *, now: datetime = NOW) -> bytes:
    data = json.loads(MOBINITI_INBOUND)
    data.update(phone_number=phone, message=text,
                received_at=(now - timedelta(minutes=minutes_ago)).isoformat())
    return json.dumps(data).encode()


# (minutes before NOW, provider, content type, body)
SAMPLE = [
    (300, "skycore", XML, SKYCORE_SUBSCRIBE),
    (240, "optit", FORM, OPTIT_SUBSCRIBE),
    (180, "mobiniti", JSON, MOBINITI_DELIVERY),
    (95, "skycore", XML, SKYCORE_UNSUBSCRIBE),
    (60, "mobiniti", JSON, inbound("+13125550178", "STOP", 60)),
    (30, "optit", FORM, optit_send_result("3300", "Error - Mobile Number Stopped")),
    (12, "mobiniti", JSON, inbound("+17185550111", "Is this the bakery on 5th?", 12)),
    (3, "mobiniti", JSON, inbound("+16502530000",
                                  "Great \x1b[31mred\x1b]0;owned\x07 [b]bold[/b]", 3)),
]


def with_events(folder: Path) -> Desk:
    desk = fixed_desk(folder)
    store = open_store(folder / "snap.db")
    for minutes, provider, ctype, body in SAMPLE:
        store.add_events([stored_form(e) for e in parse(provider, body, ctype)],
                         now=NOW - timedelta(minutes=minutes))
    store.close()
    return desk


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.desk.services()
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()


def rows(app: SmsDeskApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def test_activity_screen_snapshot(snap_compare: Any, tmp_path: Path) -> None:
    async def open_activity(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("6")
        await _settle(pilot)

    app = SmsDeskApp(with_events(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_activity)


async def test_counters_filter_and_details(tmp_path: Path) -> None:
    app = SmsDeskApp(with_events(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        await pilot.press("6")
        await _settle(pilot)
        assert isinstance(app.screen, ActivityScreen)
        assert len(rows(app)) == len(SAMPLE)
        today = str(app.screen.query_one("#activity-today", Static).render())
        assert "inbound 3" in today and "opt-in 2" in today and "opt-out 1" in today
        await pilot.press("slash", *"skycore")
        await _settle(pilot)
        assert len(rows(app)) == 2 and all("Skycore" in r for r in rows(app))
        await pilot.press("ctrl+a", "ctrl+k", *"optout 650")
        await _settle(pilot)
        assert [r.split(" | ")[1] for r in rows(app)] == ["opt-out"]
        await pilot.press("escape")
        await _settle(pilot)
        assert len(rows(app)) == len(SAMPLE)
        app.screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("enter")  # the newest: the hostile text
        await pilot.pause()
        assert isinstance(app.screen, EventDetailScreen)
        raw = str(app.screen.query_one("#event-raw", Static).render())
        assert "Great" in raw and "\x1b" not in raw
        text = str(app.screen.query_one("#event-field-Text", Static).render())
        assert "␛[31mred" in text and "[b]bold[/b]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ActivityScreen)


async def test_an_event_posted_to_a_running_receiver_shows_live_and_updates_the_conversation(
        make_desk: Callable[..., Desk], tmp_path: Path) -> None:
    desk = make_desk()
    phone, text = "+16505550123", "Hi, is the webhook fast?"
    app = SmsDeskApp(desk)
    with receiver_in_thread(tmp_path / "store.db", SECRET) as url:
        async with app.run_test(size=(120, 40)) as pilot:
            await desk.event_feed()
            await pilot.press("6")
            await _settle(pilot)
            async with httpx.AsyncClient() as http:
                answer = await http.post(
                    f"{url}/webhooks/mobiniti/inbound_message?secret={SECRET}",
                    content=inbound(phone, text, now=datetime.now(UTC)),
                    headers={"content-type": JSON})
            assert answer.status_code == 200
            await until(lambda: any(text in r for r in rows(app)))
            assert text in rows(app)[0]  # newest first, the cursor follows the stream
            assert app.screen.query_one(DataTable).cursor_row == 0
            conversation = await desk.store.conversation(phone)
            assert conversation is not None and conversation.preview == text
            assert conversation.unread_count == 1
            await pilot.press("1")
            await until(lambda: any(text in n.message for n in app._notifications))
            listed = app.screen.query_one(ConversationList)
            await until(lambda: any(listed.get_option_at_index(i).id == phone
                                    for i in range(listed.option_count)))


async def test_at_80_columns_each_chart_keeps_its_count_and_cuts_the_peak_with_an_ellipsis(
    tmp_path: Path,
) -> None:
    """Seen by hand at 80×24: the first chart's title was cut without a mark and the others
    ended in "(peak" / "(pea".

    Failed on 7ca150a."""
    app = SmsDeskApp(with_events(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("6")
        await _settle(pilot)
        [titles] = [line for line in screen_lines(app) if "Opt-ins" in line]
        for title in ("Inbound texts, 24 h: ", "Opt-ins, 24 h: ", "Opt-outs, 24 h: "):
            assert title in titles
        assert titles.rstrip().endswith("…") and "(pea " not in titles + " "
        assert titles.count("…") == 3
