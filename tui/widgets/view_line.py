"""The Inbox's filter line: All · Unread · Reply · Done · STOP, the current one lit, clickable."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

VIEWS = ("all", "unread", "needs_reply", "done", "opted_out")
# Full names (help, palette) and the short labels that fit the list's width.
VIEW_TITLES = {"all": "All", "unread": "Unread", "needs_reply": "Needs reply", "done": "Done",
               "opted_out": "Opted out"}
VIEW_LABELS = {"all": "All", "unread": "Unread", "needs_reply": "Reply", "done": "Done",
               "opted_out": "STOP"}


def view_line(current: str) -> Text:
    """The labels, the current one lit; each carries the ``@click`` action that picks it."""
    line = Text()
    for n, view in enumerate(VIEWS):
        if n:
            line.append(" ")
        lit = Style(reverse=view == current)
        line.append(VIEW_LABELS[view], style=lit + Style(meta={"@click": f"choose('{view}')"}))
    return line


class ViewLine(Static):
    """Posts ``Chosen`` when a label is clicked; the screen sets ``current`` (f cycles)."""

    @dataclass
    class Chosen(Message):
        view: str

    current: reactive[str] = reactive("all")

    def watch_current(self) -> None:
        self.update(view_line(self.current))

    def action_choose(self, view: str) -> None:
        if view in VIEWS:
            self.post_message(self.Chosen(view))
