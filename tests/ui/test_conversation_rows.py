"""The conversation list builds a row when it is drawn, once, at the width it is drawn at.

A hundred rows at start used to be built twice each (at mount with a guessed width, then at
the first resize), and each measured for its height: a tenth of the cold start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from textual.app import App, ComposeResult

from tui.widgets import conversation_list
from tui.widgets.conversation_list import ConversationList

NOW = datetime(2026, 11, 30, 13, tzinfo=UTC)
HEIGHT = 20


@dataclass(frozen=True)
class Line:
    phone: str
    display_name: str | None
    preview: str
    last_message_at: datetime | None
    unread_count: int = 0
    opted_out: bool = False
    has_draft: bool = False
    triage: str | None = None


class ListApp(App[None]):
    def __init__(self, lines: list[Line]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        yield ConversationList(id="conversations")

    def on_mount(self) -> None:  # before the first layout, as the inbox does
        self.query_one(ConversationList).show(self.lines, now=NOW)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    calls: list[tuple[str, int]] = []
    real = conversation_list.row

    def counting(line: conversation_list.ConversationLine, now: datetime, title: str,
                 width: int) -> object:
        calls.append((line.phone, width))
        return real(line, now, title, width)

    monkeypatch.setattr(conversation_list, "row", counting)
    return calls


def lines(count: int) -> list[Line]:
    return [Line(f"+1650253{i:04d}", f"Person {i}", f"Text {i}", NOW) for i in range(count)]


async def test_only_the_rows_on_screen_are_built_once_at_their_width(
    built: list[tuple[str, int]],
) -> None:
    app = ListApp(lines(100))
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        await pilot.pause()
        rows = app.query_one(ConversationList)
        assert rows.option_count == 100
        phones = [phone for phone, _ in built]
        assert 0 < len(phones) <= HEIGHT // 2 + 1  # two lines a row: what shows, not 100
        assert len(phones) == len(set(phones))  # each once
        assert {width for _, width in built} == {rows.row_width()}
        assert str(rows.get_option_at_index(99).prompt).startswith("  Person 99")


async def test_a_row_scrolled_to_is_built_then_and_a_resize_builds_at_the_new_width(
    built: list[tuple[str, int]],
) -> None:
    app = ListApp(lines(100))
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        await pilot.pause()
        rows = app.query_one(ConversationList)
        rows.highlighted = 60
        await pilot.pause()
        assert "+16502530060" in {phone for phone, _ in built}
        before = rows.row_width()
        await pilot.resize_terminal(80, HEIGHT)
        await pilot.pause()
        assert rows.row_width() == before + 20
        assert (("+16502530060", rows.row_width())) in built
        text = rows.get_option_at_index(60).prompt
        assert str(text).count("\n") == 1  # still two lines
