"""A list that draws only the rows on screen, reading them from a source window by window.

100k contacts never become 100k widgets or table rows: the list knows how many rows there are
and asks its ``RowSource`` for the block under the viewport (100 rows) when it is first shown.
Columns are plain text cells (foreign text made safe with ``shown``; never markup). Space
selects, shift+arrows extend a selection, ctrl+a selects every row of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from rich.cells import set_cell_size
from rich.segment import Segment
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.widgets.list_columns import Column, Paint, RowLines, draw_line

BLOCK = 100
COUNT_DELAY = 0.3  # seconds without a new search before the matches are counted


class Row(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=Row)
R_co = TypeVar("R_co", bound=Row, covariant=True)


class RowSource(Protocol[R_co]):
    """Where the rows come from (the store, through a service)."""

    async def rows(self, offset: int, limit: int) -> Sequence[R_co]: ...
    async def count(self) -> int: ...
    async def ids(self) -> list[str]: ...


class VirtualList(ScrollView, Generic[R], can_focus=True):
    """Rows ``0 … total-1`` drawn from blocks fetched on demand; a header on the first line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("shift+up", "extend(-1)", "Select up", show=False),
        Binding("shift+down", "extend(1)", "Select down", show=False),
        Binding("space", "pick", "Select", id="list.select"),
        Binding("ctrl+a", "select_all", "Select all", id="list.select_all"),
        Binding("enter", "choose", "Open", show=False),
    ]

    class ListMessage(Message):
        def __init__(self, sender: VirtualList[Any]) -> None:
            super().__init__()
            self.sender = sender

        @property
        def control(self) -> VirtualList[Any]:
            return self.sender

    class Highlighted(ListMessage):
        def __init__(self, sender: VirtualList[Any], row: Row | None, index: int) -> None:
            super().__init__(sender)
            self.row, self.index = row, index

    class Chosen(ListMessage):
        def __init__(self, sender: VirtualList[Any], row: Row) -> None:
            super().__init__(sender)
            self.row = row

    class SelectionChanged(ListMessage):
        def __init__(self, sender: VirtualList[Any], count: int) -> None:
            super().__init__(sender)
            self.count = count

    class Loaded(ListMessage):
        """The first window of a new source is on screen (``total`` may still be a guess)."""

        def __init__(self, sender: VirtualList[Any], total: int, exact: bool) -> None:
            super().__init__(sender)
            self.total, self.exact = total, exact

    def __init__(self, columns: Sequence[Column[R]], *, empty: str = "Nothing here.",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.empty = empty
        self.source: RowSource[R] | None = None
        self.total = 0
        self.exact = False
        self.cursor = 0
        self.selected: set[str] = set()
        self._anchor: int | None = None
        self._rows: dict[int, R] = {}
        self._asked: set[int] = set()
        self._generation = 0
        self._count_timer: Timer | None = None
        self._lines = RowLines(self.columns)
        self._paint: Paint[R] | None = None

    # --- data ------------------------------------------------------------------------------

    def show(self, source: RowSource[R], *, keep_selection: bool = False) -> None:
        """Start over with a new source (a new search, filter or sort)."""
        self._generation += 1
        self.source = source
        self._rows.clear()
        self._lines.clear()
        self._asked.clear()
        if not keep_selection and self.selected:
            self.selected.clear()
            self.post_message(self.SelectionChanged(self, 0))
        # A source that can answer within a frame (``rows_now``) is drawn with the key that
        # asked for it; otherwise (or when it says None: too slow) the rows come on a worker.
        quick = getattr(source, "rows_now", None)
        rows = quick(0, BLOCK) if quick is not None and self.cursor < BLOCK else None
        if rows is not None:
            self._shown_first(self._generation, 0, rows)
        else:
            self._first(self._generation)

    def reload(self) -> None:
        """The same source changed underneath (a sync page, an edit): re-read what is shown.

        The rows on screen stay until their fresh copies arrive (no flicker); rows off screen
        are dropped and read again when scrolled to."""
        if self.source is None:
            return
        top = round(self.scroll_offset.y)
        shown_blocks = set(range(top // BLOCK, (top + self.page_height) // BLOCK + 1))
        self._rows = {i: r for i, r in self._rows.items() if i // BLOCK in shown_blocks}
        self._asked.clear()
        for block in sorted(shown_blocks):
            self._asked.add(block)
            self.run_worker(self._load(block, self._generation, fresh=True), group="blocks")
        self._recount(self._generation)

    @work(group="rows", exclusive=True)
    async def _first(self, generation: int) -> None:
        assert self.source is not None
        start = self.cursor - self.cursor % BLOCK if self.cursor < BLOCK * 5 else 0
        rows = await self.source.rows(start, BLOCK)
        if start and not rows and generation == self._generation:
            start, rows = 0, await self.source.rows(0, BLOCK)
        if generation == self._generation:
            self._shown_first(generation, start, rows)

    def _shown_first(self, generation: int, start: int, rows: Sequence[R]) -> None:
        """The first block of a new source is in: size, cursor, draw, and count later."""
        self._store(start, rows)
        self.total = start + len(rows)
        self.exact = len(rows) < BLOCK
        self._set_size()
        self.cursor = min(self.cursor, max(0, self.total - 1))
        if start == 0 and self.cursor < BLOCK:
            self.scroll_to(y=0, animate=False)
        self.refresh()
        self.post_message(self.Loaded(self, self.total, self.exact))
        self._announce()
        if not self.exact:
            self._count_later(generation)

    def _count_later(self, generation: int) -> None:
        """Count once typing pauses: a count of 12,000 matches takes longer than a window,
        and the store answers one query at a time, so counting after every keystroke would
        hold up the next keystroke's rows."""
        if self._count_timer is not None:
            self._count_timer.stop()

        def count() -> None:
            if generation == self._generation:
                self._recount(generation)

        self._count_timer = self.set_timer(COUNT_DELAY, count)

    @work(group="count", exclusive=True)
    async def _recount(self, generation: int) -> None:
        assert self.source is not None
        total = await self.source.count()
        if generation != self._generation:
            return
        self.total, self.exact = total, True
        self.cursor = min(self.cursor, max(0, total - 1))
        self._set_size()
        self.refresh()
        self.post_message(self.Loaded(self, total, True))

    def _store(self, start: int, rows: Sequence[R]) -> None:
        for offset, row in enumerate(rows):
            self._rows[start + offset] = row
        self._asked.add(start // BLOCK)

    def _fetch(self, block: int) -> None:
        if block in self._asked or self.source is None:
            return
        self._asked.add(block)
        self.run_worker(self._load(block, self._generation), group="blocks")

    async def _load(self, block: int, generation: int, *, fresh: bool = False) -> None:
        assert self.source is not None
        rows = await self.source.rows(block * BLOCK, BLOCK)
        if generation == self._generation:
            if fresh:
                for index in range(block * BLOCK, (block + 1) * BLOCK):
                    self._rows.pop(index, None)
            self._store(block * BLOCK, rows)
            self.refresh()
            if block * BLOCK <= self.cursor < (block + 1) * BLOCK:
                self._announce()

    def row_at(self, index: int) -> R | None:
        return self._rows.get(index)

    @property
    def current(self) -> R | None:
        return self._rows.get(self.cursor)

    def _set_size(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)

    # --- drawing ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this frame shares, worked out once instead of once a line
        # (a node's rich style walks all its ancestors: ~35 lines redrawn per keystroke).
        self._paint = self._paint_now()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_now(self) -> Paint[R]:
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        cursor = self.get_component_rich_style(
            "virtual-list--cursor" if self.has_focus else "virtual-list--cursor-blurred")
        return Paint(width, self._lines.fitted(width), round(self.scroll_offset.y), base,
                      base + self.get_component_rich_style("virtual-list--selected"), cursor)

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_now()
        width, fitted = paint.width, paint.fitted
        if y == 0:
            titles = [self._title(c) for c, _ in fitted]
            return Strip([Segment(draw_line(titles, fitted, width, "  "),
                                  self.get_component_rich_style("virtual-list--header"))])
        index = paint.top + y - 1
        if index >= self.total:
            text = self.empty if self.total == 0 and y == 1 and self.source else ""
            return Strip([Segment(set_cell_size(text, width), paint.base)])
        row = self._rows.get(index)
        if row is None:
            self._fetch(index // BLOCK)
            return Strip([Segment(set_cell_size("  …", width), paint.base)])
        picked = row.id in self.selected
        style = paint.picked if picked else paint.base
        if index == self.cursor:
            style = style + paint.cursor
        return Strip([Segment(self._lines.line(index, row, width, picked), style)])

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-list--header", "virtual-list--cursor", "virtual-list--cursor-blurred",
        "virtual-list--selected",
    }
    DEFAULT_CSS = """
    VirtualList { height: 1fr; overflow-x: hidden; }
    VirtualList > .virtual-list--header { text-style: bold; color: $text-muted; }
    VirtualList > .virtual-list--cursor { background: $block-cursor-background;
        color: $block-cursor-foreground; text-style: bold; }
    VirtualList > .virtual-list--cursor-blurred { background: $block-cursor-blurred-background; }
    VirtualList > .virtual-list--selected { color: $accent; text-style: bold; }
    """

    sort_key: str | None = None
    sort_descending = False

    def _title(self, column: Column[Any]) -> str:
        if column.key != self.sort_key:
            return column.title
        return column.title + (" ▼" if self.sort_descending else " ▲")

    def on_resize(self, _event: events.Resize) -> None:
        self._set_size()

    # --- moving and selecting --------------------------------------------------------------

    @property
    def page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def move_to(self, index: int) -> None:
        if self.total == 0:
            return
        self.cursor = max(0, min(self.total - 1, index))
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self.page_height:
            self.scroll_to(y=self.cursor - self.page_height + 1, animate=False)
        self._read_ahead(round(self.scroll_offset.y))
        self.refresh()
        self._announce()

    def _read_ahead(self, top: int) -> None:
        """The rows about to be drawn, read now on the quick path when missing (a page down
        across a block's edge drew "…" then its rows a frame later), the next page on a worker."""
        quick = getattr(self.source, "rows_now", None)
        for block in {top // BLOCK, min(self.total - 1, top + self.page_height) // BLOCK}:
            rows = quick(block * BLOCK, BLOCK) if quick and block not in self._asked else None
            if rows is not None:
                self._store(block * BLOCK, rows)
        self._fetch(min(self.total - 1, top + 2 * self.page_height) // BLOCK)

    def _announce(self) -> None:
        self.post_message(self.Highlighted(self, self._rows.get(self.cursor), self.cursor))

    def action_cursor(self, step: int) -> None:
        self._anchor = None
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._anchor = None
        self.move_to(self.cursor + direction * self.page_height)

    def action_jump(self, index: int) -> None:
        self._anchor = None
        self.move_to(self.total - 1 if index < 0 else index)

    def action_pick(self) -> None:
        row = self.current
        if row is None:
            return
        self.selected.symmetric_difference_update({row.id})
        self.post_message(self.SelectionChanged(self, len(self.selected)))
        self.move_to(self.cursor + 1)

    async def action_extend(self, step: int) -> None:
        if self._anchor is None:
            self._anchor = self.cursor
        self.move_to(self.cursor + step)
        low, high = sorted((self._anchor, self.cursor))
        await self._ensure(low, high)
        for index in range(low, high + 1):
            row = self._rows.get(index)
            if row is not None:
                self.selected.add(row.id)
        self.refresh()
        self.post_message(self.SelectionChanged(self, len(self.selected)))

    async def _ensure(self, low: int, high: int) -> None:
        """Read the blocks of rows ``low … high`` that are not loaded yet (a range selection
        must not skip rows that were never on screen)."""
        for block in range(low // BLOCK, high // BLOCK + 1):
            if self.source is not None and block * BLOCK not in self._rows:
                self._store(block * BLOCK, await self.source.rows(block * BLOCK, BLOCK))

    def action_select_all(self) -> None:
        self.run_worker(self._select_all(self._generation), group="select")

    async def _select_all(self, generation: int) -> None:
        if self.source is None:
            return
        ids = await self.source.ids()
        if generation == self._generation:
            self.selected = set(ids)
            self.refresh()
            self.post_message(self.SelectionChanged(self, len(self.selected)))

    def clear_selection(self) -> None:
        self.selected.clear()
        self.refresh()
        self.post_message(self.SelectionChanged(self, 0))

    def action_choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(self, row))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.move_to(round(self.scroll_offset.y) + event.y - 1)
