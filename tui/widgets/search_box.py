"""A search box that asks for results with the very key that changed it, drawn in one frame.

The stock ``Input`` tells its screen about a new value by a message that bubbles up through
every container; by the time it arrives, Textual has already drawn a frame with the new letter
alone, and the results follow one frame-timer tick (17–33 ms) later. It also lays out the whole
screen on every key (its ``virtual_size`` is a layout reactive) although its size never depends
on what is typed. This box calls ``on_search`` from inside the key's own handling and only
repaints itself, so the letter and the results it asks for reach the terminal together.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """An ``Input`` of fixed size whose every new value is handed to ``on_search`` at once."""

    # Only the horizontal scroll uses it (a query longer than the box): a repaint is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, on_search: Callable[[str], None], *, placeholder: str = "",
                 id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self._on_search = on_search

    def watch_value(self, value: str) -> None:
        self._on_search(value)
