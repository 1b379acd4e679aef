"""Pictures of the campaign screens. Look at the SVGs when they change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from tests.ui.campaign_snapshot_data import (
    GROUP,
    LATE_EVENING,
    MESSAGE,
    campaign_desk,
    finished_report,
    night_plan,
)
from tests.ui.helpers import until
from tui.app import SmsDeskApp
from tui.screens.composer import ComposerScreen
from tui.screens.quiet_hours_dialog import QuietHoursDialog
from tui.screens.send_report import SendReportScreen

SIZE = (130, 42)


def _text(screen: Screen[None], selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.desk.services()
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_composer_with_preview_and_cost(snap_compare: Any, tmp_path: Path) -> None:
    async def compose(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("4")
        composer = ComposerScreen(message=MESSAGE, group_ids=(GROUP.id,))
        await pilot.app.push_screen(composer)
        # The picture is taken once the plan is drawn, not after a number of pauses.
        await until(lambda: composer._plan is not None and composer._plan.audience.count == 6
                    and "Preview 1 of 6" in _text(composer, "#campaign-preview")
                    and "Requests   6" in _text(composer, "#campaign-cost"), timeout=30)
        await pilot.press("f9")  # Zoë: a name with markup in it
        await until(lambda: "Preview 2 of 6" in _text(composer, "#campaign-preview"))
        await _settle(pilot)

    app = SmsDeskApp(campaign_desk(tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=compose)


def test_quiet_hours_dialog(snap_compare: Any, tmp_path: Path) -> None:
    async def ask(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        # Some may be texted now, some are held: all three choices are offered.
        await pilot.app.push_screen(QuietHoursDialog(night_plan(LATE_EVENING)))
        await _settle(pilot)

    app = SmsDeskApp(campaign_desk(tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=ask)


def test_send_report(snap_compare: Any, tmp_path: Path) -> None:
    async def show(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.app.push_screen(SendReportScreen(finished_report()))
        await _settle(pilot)

    app = SmsDeskApp(campaign_desk(tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_scheduled_list(snap_compare: Any, tmp_path: Path) -> None:
    async def open_scheduled(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("5")
        await _settle(pilot)

    app = SmsDeskApp(campaign_desk(tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=open_scheduled)
