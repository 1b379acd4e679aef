"""The top line naming the sections and their number keys, with the current one lit."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SECTIONS: tuple[tuple[str, str], ...] = (
    ("inbox", "Inbox"),
    ("contacts", "Contacts"),
    ("groups", "Groups"),
    ("campaigns", "Campaigns"),
    ("scheduled", "Scheduled"),
    ("activity", "Activity"),
)


class SectionTabs(Static):
    """Static line; the current section is given by the screen that owns it."""

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def on_mount(self) -> None:
        self.update(tabs_line(self.current))


def tabs_line(current: str) -> Text:
    line = Text()
    for number, (mode, title) in enumerate(SECTIONS, start=1):
        style = "bold reverse" if mode == current else "dim"
        line.append(f" {number} {title} ", style=style)
        line.append(" ")
    line.append("  ? help", style="dim")
    return line
