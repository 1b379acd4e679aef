"""The columns of a virtual list: which fit a width, and one row drawn as a line of plain text.

Cells are foreign text (names, emails, custom fields): each is made safe with ``shown`` and
cut to its column's width here; the list puts the line on screen as one plain segment, never
markup. No Textual: only Rich's cell measures and styles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.style import Style

from tui.safe_text import shown

R = TypeVar("R")
# The narrowest a flexible column (width 0) may get before a droppable column goes.
MIN_FLEXIBLE = 16


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: a title, a width (0: takes what is left) and the cell text of a row.

    When the list is too narrow, columns with the highest ``drop`` go first (0: always kept).
    """

    key: str
    title: str
    width: int
    cell: Callable[[R], str]
    drop: int = 0


Fitted = list[tuple[Column[R], int]]


class Paint(NamedTuple, Generic[R]):
    """What every line of one frame of a list shares: worked out once, not once a line."""

    width: int
    fitted: Fitted[R]
    top: int  # the row index on the first line under the header
    base: Style
    picked: Style
    cursor: Style


def fit_columns(columns: Sequence[Column[R]], width: int) -> Fitted[R]:
    """The columns that fit ``width`` and their widths (flexible ones share the rest)."""
    kept = list(columns)
    while True:
        fixed = sum(c.width for c in kept) + 2 * len(kept) + 2
        flexible = [c for c in kept if c.width == 0]
        spare = width - fixed
        droppable = [c for c in kept if c.drop]
        if spare >= MIN_FLEXIBLE * max(1, len(flexible)) or not droppable:
            break
        kept.remove(max(droppable, key=lambda c: c.drop))
    share = max(4, spare) // max(1, len(flexible))
    return [(c, c.width or share) for c in kept]


def draw_line(cells: Sequence[str], fitted: Fitted[R], width: int, mark: str) -> str:
    """``mark`` then each cell made safe, cut with "…" to its column, padded to ``width``."""
    parts = [mark]
    for text, (_column, room) in zip(cells, fitted, strict=True):
        text = shown(text, single_line=True)
        if cell_len(text) > room:
            text = set_cell_size(text, max(0, room - 1)) + "…"
        parts.append(set_cell_size(text, room) + "  ")
    return set_cell_size("".join(parts), width)


def draw_row(row: R, fitted: Fitted[R], width: int, mark: str) -> str:
    return draw_line([column.cell(row) for column, _ in fitted], fitted, width, mark)


class RowLines(Generic[R]):
    """The lines of a list's rows at a width, each drawn again only when its row, the width or
    its selection mark changed (moving the cursor or paging back redraws the same text)."""

    def __init__(self, columns: Sequence[Column[R]], keep: int = 400) -> None:
        self.columns = columns
        self.keep = keep
        self._fitted: tuple[int, Fitted[R]] = (-1, [])
        self._lines: dict[int, tuple[R, int, bool, str]] = {}

    def fitted(self, width: int) -> Fitted[R]:
        if self._fitted[0] != width:
            self._fitted = (width, fit_columns(self.columns, width))
        return self._fitted[1]

    def line(self, index: int, row: R, width: int, picked: bool) -> str:
        known = self._lines.get(index)
        if known is not None and known[0] is row and known[1] == width and known[2] == picked:
            return known[3]
        if len(self._lines) >= self.keep:
            self._lines.clear()
        text = draw_row(row, self.fitted(width), width, "* " if picked else "  ")
        self._lines[index] = (row, width, picked, text)
        return text

    def clear(self) -> None:
        self._lines.clear()
