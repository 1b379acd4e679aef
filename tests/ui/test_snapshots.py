"""Pictures of each screen (pytest-textual-snapshot). Look at the SVGs when they change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.desk.services()  # built in the background after the first paint
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_inbox_with_a_conversation_of_mixed_states(snap_compare: Any, tmp_path: Path) -> None:
    async def open_maria(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("home")
        await _settle(pilot)
        await _settle(pilot)

    app = SmsDeskApp(fixed_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_maria)


def test_inbox_narrow_terminal(snap_compare: Any, tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_inbox_wide_terminal_uses_the_room(snap_compare: Any, tmp_path: Path) -> None:
    async def open_maria(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("home")
        await _settle(pilot)

    app = SmsDeskApp(fixed_desk(tmp_path))
    assert snap_compare(app, terminal_size=(200, 60), run_before=open_maria)


def test_inbox_at_60_by_20_nothing_overlaps(snap_compare: Any, tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    assert snap_compare(app, terminal_size=(60, 20), run_before=_settle)


def test_help_screen_lists_the_inbox_keys(snap_compare: Any, tmp_path: Path) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    app = SmsDeskApp(fixed_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_help)


def test_empty_inbox(snap_compare: Any, tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path, empty=True))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settle)


def test_opted_out_conversation_blocks_the_reply(snap_compare: Any, tmp_path: Path) -> None:
    async def open_priya(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("f", "f", "f", "f")  # all, unread, needs reply, done, opted out
        await _settle(pilot)
        await pilot.press("home")
        await _settle(pilot)

    app = SmsDeskApp(fixed_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_priya)
