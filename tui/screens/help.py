"""The ``?`` help screen: every binding of the screen underneath, grouped, with its key."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.safe_text import shown
from tui.widgets.plain import plain

SECTION_NAMES = {"SmsDeskApp": "Everywhere"}


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(where, key, description) for what can be pressed now: the screen's own keys first,
    then the focused widget's, then the app-wide ones."""
    rows: list[tuple[int, str, str, str]] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        node = active.node
        if node is screen:
            order, where = 0, getattr(screen, "TITLE", None) or "This screen"
        elif node is screen.app:
            order, where = 2, "Everywhere"
        else:
            order, where = 1, _widget_name(type(node).__name__)
        rows.append((order, where, screen.app.get_key_display(binding), binding.description))
    rows.sort(key=lambda row: (row[0], row[3].lower()))
    return [(where, key, description) for _order, where, key, description in rows]


def _widget_name(class_name: str) -> str:
    """``ConversationList`` -> ``Conversation list``."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in class_name).strip()
    return words[:1].upper() + words[1:]


def keys_table(rows: list[tuple[str, str, str]]) -> Table:
    """The keys grouped by where they work. Keys and descriptions can come from the person's
    keymap, so every cell is plain Text (a str cell would be parsed as markup)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    where_before = None
    for where, key, description in rows:
        if where != where_before:
            table.add_row("", "")
            heading = shown(where, single_line=True, limit=60)
            table.add_row(Text.assemble((heading, "underline")), "")
            where_before = where
        table.add_row(Text(shown(key, single_line=True, limit=30)),
                      Text(shown(description, single_line=True, limit=80)))
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the bindings; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close help", id="help.close"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(plain(f"Keys — {self._title}", single_line=True), id="help-title")
            yield Static(keys_table(self._rows))
            yield Static(
                "\nCommand palette: ctrl+p.  Keys can be changed per profile: "
                "smsdesk config set keymap.<id> <key>",
                classes="help-note",
            )

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
