"""The send as a person watches it: Cancel between requests; the campaign list's pending count and
a campaign's report kept in its detail."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import httpx
from textual.widgets import Button, OptionList, Static

from tests.services.campaign_env import add_group, join
from tests.ui.campaign_desk import BatchGate, campaign_desk, next_chicago
from tests.ui.helpers import until
from tests.ui.test_campaigns import (
    BATCH,
    FOOTER,
    SIZE,
    compose,
    confirm,
    report_shown,
    synced,
    text_of,
    texted,
)
from tui.app import SmsDeskApp
from tui.sandbox import Sandbox
from tui.screens.campaigns import CampaignsScreen
from tui.screens.composer import ComposerScreen
from tui.screens.send_report import SendProgressScreen


async def test_cancel_stops_after_the_request_in_flight_and_the_report_says_who_was_not_texted(
    sandbox: Sandbox, tmp_path: Path,
) -> None:
    group = add_group(sandbox, "Regulars", 300)
    gate = BatchGate(httpx.ASGITransport(app=sandbox.asgi))
    desk, counting = campaign_desk(sandbox, tmp_path / "s.db", now=next_chicago(time(12)),
                                   gate=gate)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await synced(app, sandbox)
        await compose(pilot, "Last call tonight." + FOOTER, group)
        await pilot.press("ctrl+s")
        await confirm(pilot)
        await until(lambda: isinstance(app.screen, SendProgressScreen))
        try:
            await until(gate.waiting.is_set, timeout=15)  # the first of 3 requests is in flight
            await pilot.click("#cancel")
            assert app.screen.query_one("#cancel", Button).disabled
            assert "Cancelling after the request in flight" in text_of(app, "#send-counts")
        finally:
            gate.open.set()  # a failed check must not leave the send waiting at the gate
        report = await report_shown(app)
        title = str(app.screen.query_one(".dialog-title", Static).render())
        assert "cancelled" in title
        assert "Sent: 100 of 300 recipients in 1 request" in report
        assert "Cancelled before sending: 200" in report
    assert counting.calls[BATCH] == 1
    texts = texted(sandbox, "Last call")
    assert len(texts) == 100 and len(set(texts)) == 100


async def test_a_contact_in_two_groups_is_pending_once_in_the_campaign_list(
    sandbox: Sandbox, tmp_path: Path,
) -> None:
    regulars = add_group(sandbox, "Regulars", 10)
    vip = add_group(sandbox, "VIP", 4, start=10)
    join(sandbox, vip, [f"+1312224{i:04d}" for i in range(6)])  # 6 regulars are VIPs too
    desk, _ = campaign_desk(sandbox, tmp_path / "s.db", now=next_chicago(time(12)))
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await synced(app, sandbox)
        await (await desk.campaigns()).save_campaign(
            None, name="Both groups", message="Doors at 9." + FOOTER, group_ids=[regulars, vip])
        await pilot.press("4")
        await until(lambda: isinstance(app.screen, CampaignsScreen)
                    and "Both groups" in text_of(app, "#campaign-detail")
                    and "Pending" in text_of(app, "#campaign-detail"))
        await until(lambda: "Pending     14 contacts" in text_of(app, "#campaign-detail"))
        row = app.screen.query_one("#campaigns-list", OptionList).get_option_at_index(0)
        assert "· 14 pending ·" in str(row.prompt)


async def test_a_campaign_sent_from_here_shows_its_report_again_from_its_detail(
    sandbox: Sandbox, tmp_path: Path,
) -> None:
    group = add_group(sandbox, "Regulars", 5)
    desk, _ = campaign_desk(sandbox, tmp_path / "s.db", now=next_chicago(time(12)))
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await synced(app, sandbox)
        await (await desk.campaigns()).save_campaign(
            None, name="Doors", message="Doors at 9." + FOOTER, group_ids=[group])
        await pilot.press("4")
        await until(lambda: isinstance(app.screen, CampaignsScreen)
                    and "Pending     5 contacts" in text_of(app, "#campaign-detail"))
        assert "Sent here" not in text_of(app, "#campaign-detail")
        await pilot.press("e")  # the campaign in the composer, its groups as the audience
        await until(lambda: isinstance(app.screen, ComposerScreen) and app.screen._plan is not None
                    and app.screen._plan.audience.count == 5)
        await pilot.press("ctrl+s")
        await confirm(pilot)
        await report_shown(app)
        await pilot.click("#close")
        await until(lambda: isinstance(app.screen, CampaignsScreen)
                    and "Sent here   1 time" in text_of(app, "#campaign-detail"))
        await pilot.press("o")
        assert "Sent: 5 of 5 recipients in 1 request" in await report_shown(app)
