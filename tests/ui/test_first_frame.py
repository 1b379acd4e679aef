"""The first frame: rendered once; the keys line (Footer) and the other stylesheets after it.

The keys line (Footer) joins the screen once the first frame is drawn. Before it, a one-line
space holds its place (the layout does not move when it comes); it then lists the screen's
keys like a Footer composed at start, in every section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual._compositor import Compositor
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.ui.helpers import screen_lines, until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.resources import first_screen_style_paths, later_style_paths
from tui.screens.section import FooterSpace
from tui.widgets.reply_box import ReplyBox


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


async def test_the_first_screen_is_rendered_once_for_its_first_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual renders the first screen while its start is batched and throws that frame away;
    the section screens skip that render: one render before the first frame is written."""
    app = SmsDeskApp(fixed_desk(tmp_path))
    renders_before_first_frame: list[bool] = []
    render_update = Compositor.render_update

    def counting(self: Compositor, *args: Any, **kwargs: Any) -> Any:
        if not app.first_frame_shown:
            renders_before_first_frame.append(bool(app._batch_count))
        return render_update(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", counting)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: app.first_frame_shown)
        await pilot.pause()
        assert renders_before_first_frame == [False]  # once, outside the batch: the written one


async def test_the_other_stylesheets_are_read_once_the_first_frame_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = SmsDeskApp(fixed_desk(tmp_path))
    at_first_frame: list[set[str]] = []
    display = SmsDeskApp._display

    def noting(self: SmsDeskApp, screen: Any, renderable: Any) -> None:
        if not self.first_frame_shown and renderable is not None and not self._batch_count:
            at_first_frame.append({path for path, _ in self.stylesheet.source})
        display(self, screen, renderable)

    monkeypatch.setattr(SmsDeskApp, "_display", noting)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: bool(app.screen.query(ReplyBox)))
        await pilot.pause()
        first = {str(path) for path in first_screen_style_paths()}
        later = {str(path) for path in later_style_paths()}
        assert later and first <= at_first_frame[0] and not later & at_first_frame[0]
        assert later <= {path for path, _ in app.stylesheet.source}
        # The chat side is styled by a later sheet (inbox_chat.tcss: a reply box of 3 lines).
        reply = app.screen.query_one(ReplyBox)
        assert reply.styles.min_height is not None and reply.styles.min_height.value == 3
