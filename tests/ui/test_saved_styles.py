"""The first screen's parsed styles are saved for the next start, and used only when right."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.css.stylesheet import StylesheetParseError
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tests.ui.helpers import screen_lines, until
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.resources import first_screen_style_paths
from tui.widgets.reply_box import ReplyBox
from tui.widgets.saved_styles import MAGIC, SavedStyles
from tui.widgets.stylesheet import ReusingStylesheet

CSS = "Static { color: $text; background: $panel; }"
THEME = {"text": "white", "panel": "black"}


def start(path: Path, css: str = CSS, variables: dict[str, str] | None = None
          ) -> ReusingStylesheet:
    """A stylesheet as one start of the app makes it: parse, then save after the first frame."""
    sheet = ReusingStylesheet(variables=variables or THEME, saved=SavedStyles(path))
    sheet.add_source(css, read_from=("app.tcss", ""))
    sheet.parse()
    sheet.stop_saving()
    return sheet


def test_the_next_start_takes_the_rules_without_parsing(parsed: list[str], tmp_path: Path
                                                        ) -> None:
    path = tmp_path / "cache" / "styles.pickle"
    first = start(path)
    assert parsed == [CSS]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = start(path)
    assert parsed == [CSS]  # not parsed again
    assert [rule.css for rule in second.rules] == [rule.css for rule in first.rules]
    assert second.rules[0].styles == first.rules[0].styles


def test_other_css_or_another_theme_is_parsed(parsed: list[str], tmp_path: Path) -> None:
    path = tmp_path / "styles.pickle"
    start(path)
    start(path, css="Label { color: red; }")
    start(path, variables={"text": "black", "panel": "white"})
    assert parsed == [CSS, "Label { color: red; }", CSS]
    start(path, variables={"text": "black", "panel": "white"})  # the new theme was saved
    assert len(parsed) == 3


@pytest.mark.parametrize("content", [b"", b"not ours", MAGIC + b"\x80\x05garbage",
                                     MAGIC + b"\x80\x04K\x01."])
def test_a_damaged_file_is_parsed_and_replaced(parsed: list[str], tmp_path: Path,
                                               content: bytes) -> None:
    path = tmp_path / "styles.pickle"
    path.write_bytes(content)
    path.chmod(0o600)
    start(path)
    assert parsed == [CSS]
    start(path)
    assert parsed == [CSS]  # the replacement is good


def test_a_file_others_can_write_is_not_read(parsed: list[str], tmp_path: Path) -> None:
    path = tmp_path / "styles.pickle"
    start(path)
    os.chmod(path, 0o666)
    start(path)
    assert parsed == [CSS, CSS]


def test_css_with_errors_is_never_saved(tmp_path: Path) -> None:
    path = tmp_path / "styles.pickle"
    with pytest.raises(StylesheetParseError):
        start(path, css="Static { colr: red; }")
    assert not path.exists()


def test_a_folder_that_cannot_be_written_only_costs_the_parse(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    start(blocker / "styles.pickle")  # no error: the next start parses again


async def settled(app: SmsDeskApp, pilot: Pilot[None]) -> list[str]:
    """The screen once it stops changing (the open conversation is shown)."""
    previous: list[str] = []
    for _ in range(60):
        await pilot.pause(0.05)
        lines = screen_lines(app)
        if lines == previous:
            return lines
        previous = lines
    return previous


async def test_the_app_looks_the_same_from_saved_styles(parsed: list[str], tmp_path: Path
                                                        ) -> None:
    path = tmp_path / "styles.pickle"
    screens: list[list[str]] = []
    styles: list[list[object]] = []
    parsed_by_run: list[list[str]] = []
    # A first run imports the chat side's modules (its screen settles later); then a start
    # that parses and saves, and one from the saved rules.
    for run, saved in enumerate((None, SavedStyles(path), SavedStyles(path))):
        app = SmsDeskApp(fixed_desk(tmp_path / str(run)), saved_styles=saved)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(lambda app=app: bool(app.screen.query(ReplyBox)))  # type: ignore[misc]
            screens.append(await settled(app, pilot))
            styles.append([  # (a layout is an object without equality: its repr is its name)
                (repr(rule.selector_set), {k: repr(v) for k, v in rule.styles.get_rules().items()})
                for rule in app.stylesheet.rules
            ])
        parsed_by_run.append(list(parsed))
        parsed.clear()
    first_screen = [p.read_text() for p in first_screen_style_paths()]
    first_screen += [Input.DEFAULT_CSS, OptionList.DEFAULT_CSS]
    assert path.exists()
    assert all(css in parsed_by_run[1] for css in first_screen)
    assert not any(css in parsed_by_run[2] for css in first_screen)  # saved, not parsed
    assert "Maria Lopez" in screens[1][1]  # the open conversation's title
    assert screens[1] == screens[2]
    assert styles[1] == styles[2]
