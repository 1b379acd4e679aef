"""A conversation row is drawn straight to its two lines, exactly as Textual's general path
draws it (``Visual.to_strips`` and Content), for any name, text, marks and highlight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import OptionList

from tests.safety.hostile import HOSTILE
from tests.ui.test_conversation_rows import Line
from tui.widgets.conversation_list import ConversationList, row_pieces

NOW = datetime(2026, 11, 30, 13, tzinfo=UTC)


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ConversationList(id="conversations")


def drawn(strips: list[Strip]) -> list[list[tuple[str, tuple[object, ...]]]]:
    """Each character and how it looks (Textual's path also puts each character's offset in
    the style's meta, for text selection, which an option list does not allow)."""
    looks = ("color", "bgcolor", "bold", "dim", "italic", "underline", "reverse", "strike")
    return [[(character, tuple(getattr(segment.style, name) for name in looks))
             for segment in strip for character in segment.text] for strip in strips]


def test_pieces_split_a_row_at_its_line_break_and_spans() -> None:
    text = Text("● ")
    text.append("Ann", style="bold")
    text.append("  13:00", style="dim")
    text.append("\n  hello", style="dim")
    assert row_pieces(text) == [[("● ", None), ("Ann", "bold"), ("  13:00", "dim")],
                                [("  hello", "dim")]]
    assert row_pieces(Text("whole", style="italic red")) is None  # drawn the general way
    overlapping = Text("abcdef")
    overlapping.stylize("bold", 0, 4)
    overlapping.stylize("red", 2, 6)
    assert row_pieces(overlapping) is None


names = st.one_of(st.none(), st.sampled_from(list(HOSTILE.values())), st.text(max_size=40))
texts = st.one_of(st.sampled_from(list(HOSTILE.values())), st.text(max_size=200))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.builds(
    Line, phone=st.sampled_from(["+16502530000", "+4930123456", "+447700900123"]),
    display_name=names, preview=texts,
    last_message_at=st.one_of(st.none(), st.just(NOW - timedelta(days=2))),
    unread_count=st.integers(0, 120), opted_out=st.booleans(), has_draft=st.booleans(),
    triage=st.sampled_from([None, "done", "needs_reply"])), min_size=1, max_size=4),
    width=st.integers(40, 120))
async def test_a_row_is_drawn_as_textual_draws_it(rows: list[Line], width: int) -> None:
    app = ListApp()
    async with app.run_test(size=(width, 12)) as pilot:
        rows_list = app.query_one(ConversationList)
        rows_list.show([Line(**{**row.__dict__, "phone": f"{row.phone}{i}"})
                        for i, row in enumerate(rows)], now=NOW)
        rows_list.focus()
        await pilot.pause()
        for index, option in enumerate(rows_list.options):
            for component in ("option-list--option", "option-list--option-highlighted"):
                style = rows_list.get_visual_style("option-list--option", component)
                ours = rows_list._get_option_render(option, style)
                rows_list._option_render_cache.clear()
                textuals = OptionList._get_option_render(rows_list, option, style)
                rows_list._option_render_cache.clear()
                assert [s.text for s in ours] == [s.text for s in textuals], index
                assert drawn(ours) == drawn(textuals), index
