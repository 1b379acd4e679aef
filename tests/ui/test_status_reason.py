"""The status bar says why smsdesk is not online, not only "offline"."""

from __future__ import annotations

from pathlib import Path

from tests.ui.snapshot_data import fixed_desk
from tui.api.transport import ConnectionState
from tui.app import SmsDeskApp
from tui.widgets.status_bar import StatusBar


async def test_the_status_bar_names_the_reason_and_clears_it_when_back_online(
    tmp_path: Path,
) -> None:
    desk = fixed_desk(tmp_path)
    app = SmsDeskApp(desk)
    async with app.run_test(size=(140, 30)) as pilot:
        client = (await desk.services()).client
        client._emit_status(ConnectionState("retrying", retry_in=4.0,
                                          detail="the server answered HTML, HTTP 502"))
        await pilot.pause()
        shown = app.screen.query_one(StatusBar).part("connection")
        assert shown == "○ offline: the server answered HTML, HTTP 502 · retrying in 4s"
        desk.status.connection_changed("offline")  # the poller's word; the client knows why
        await pilot.pause()
        shown = app.screen.query_one(StatusBar).part("connection")
        # The countdown under way goes on (it never vanishes or jumps: issue #11 bug 9).
        assert shown.startswith("○ offline: the server answered HTML, HTTP 502 · retrying ")
        client._emit_status(ConnectionState("online"))
        await pilot.pause()
        assert app.screen.query_one(StatusBar).part("connection") == "● online"
