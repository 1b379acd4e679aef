"""The keys line (Footer) joins the screen once the first frame is drawn.

Before it, a one-line space holds its place (the layout does not move when it comes); it
then lists the screen's keys like a Footer composed at start, in every section.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.ui.helpers import screen_lines, until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.screens.section import FooterSpace


async def test_the_keys_line_takes_its_space_and_lists_the_keys(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: bool(app.screen.query(FooterKey)))
        await pilot.pause()
        assert not app.screen.query(FooterSpace)
        assert app.screen.query_one(Footer).region.y == 39  # the bottom line, as before
        assert "Next unread" in screen_lines(app)[39]


async def test_after_the_first_frame_a_callback_runs_at_once(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    ran: list[str] = []

    async def later() -> None:
        ran.append("ran")

    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: bool(app.screen.query(Footer)))
        app.when_first_frame_shown(later)
        await pilot.pause()
        assert ran == ["ran"]


async def test_a_section_opened_later_lists_its_keys(tmp_path: Path) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: bool(app.screen.query(FooterKey)))
        await pilot.press("2")
        await until(lambda: app.screen.SECTION == "contacts"  # type: ignore[attr-defined]
                    and bool(app.screen.query(FooterKey)))
        await pilot.pause()
        assert not app.screen.query(FooterSpace)
        assert "Select all" in screen_lines(app)[39]
