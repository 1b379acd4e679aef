"""The top line naming the sections and their number keys, with the current one lit; clickable."""

from __future__ import annotations

from rich.style import Style
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
    """A click on a section switches to it, a click on "? help" opens the help (Textual runs
    the ``@click`` action a style carries; no markup is parsed)."""
    line = Text()
    for number, (mode, title) in enumerate(SECTIONS, start=1):
        style = Style.parse("bold reverse" if mode == current else "dim")
        click = Style(meta={"@click": f"app.switch_mode('{mode}')"})
        line.append(f" {number} {title} ", style=style + click)
        line.append(" ")
    line.append("  ? help", style=Style.parse("dim") + Style(meta={"@click": "app.help"}))
    return line
