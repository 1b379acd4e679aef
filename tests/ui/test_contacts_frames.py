"""What a keystroke in the contacts search costs on screen: one frame, and nothing else redrawn."""

from __future__ import annotations

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Input

from tests.ui.contacts_env import BigAccount
from tests.ui.helpers import until, widget_lines
from tests.ui.test_contacts import open_contacts, settle
from tui.app import SmsDeskApp
from tui.widgets.status_bar import StatusBar


async def test_a_typed_letter_and_its_rows_reach_the_screen_in_one_frame(
        account: BigAccount) -> None:
    """No frame shows the new letter above the previous search's rows (that frame made the
    rows wait for the next tick of Textual's frame timer: 17-33 ms more per key)."""
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        lst = await open_contacts(pilot)
        screen = app.screen
        search = screen.query_one("#contacts-search", Input)
        await pilot.press("slash")
        await settle(pilot)
        before = lst.row_at(0)
        assert before is not None
        drawn: list[tuple[str, str | None]] = []
        draw = screen._compositor_refresh

        def recorded() -> None:
            first = lst.row_at(0)
            drawn.append((search.value, first.id if first else None))
            draw()

        screen._compositor_refresh = recorded  # type: ignore[method-assign]
        for letter in "ol":
            await pilot.press(letter)
            await until(lambda: any(value == search.value for value, _ in drawn))
        await settle(pilot)
        for typed in ("o", "ol"):
            rows = {first for value, first in drawn if value == typed}
            assert len(rows) == 1, f"{typed!r} was drawn over the rows of another search"
        assert {first for value, first in drawn if value == "o"} != {before.id}


async def test_a_status_report_redraws_the_status_bar_not_the_screen(
        account: BigAccount) -> None:
    """Services report several times a second (headroom, countdown): what goes to the terminal
    is the bar's changed part, not the whole screen again (~11 KiB at 120x40)."""
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_contacts(pilot)
        await settle(pilot)
        screen = app.screen
        whole = len(screen._compositor.render_full_update().render_segments(app.console))
        written: list[int] = []
        display = app._display

        def recorded(shown: Screen[object], update: RenderableType | None) -> None:
            if isinstance(update, CompositorUpdate):
                written.append(len(update.render_segments(app.console)))
            display(shown, update)

        app._display = recorded  # type: ignore[method-assign]
        for n in range(3):
            app.update_status(headroom=f"{n + 17} requests left")
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        assert written, "the status bar was not redrawn"
        assert max(written) < whole / 4, (written, whole)
        bar = screen.query_one(StatusBar)
        assert "19 requests left" in " ".join(widget_lines(bar))


async def test_paging_down_across_a_block_edge_never_draws_placeholders(
        account: BigAccount) -> None:
    """Rows are read 100 at a time: the page that crosses into the next 100 is read as the key
    is handled (the quick reader), not drawn as "…" and filled in a frame later."""
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        lst = await open_contacts(pilot)
        await settle(pilot)
        placeholders: list[int] = []
        render_line = lst.render_line

        def watched(y: int) -> Strip:
            strip = render_line(y)
            if strip.text.startswith("  …"):
                placeholders.append(y)
            return strip

        lst.render_line = watched  # type: ignore[method-assign]
        for _ in range(10):
            await pilot.press("pagedown")
            await pilot.pause()
        assert lst.cursor > 300
        assert placeholders == []
