"""The ``?`` help screen: every binding of the screen underneath, grouped, with its key."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def binding_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, description) for what can be pressed on ``screen``, app-wide keys included."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        rows.append((screen.app.get_key_display(binding), binding.description))
    # Bindings of focused children (e.g. the reply box) are in active_bindings too.
    return sorted(rows, key=lambda row: row[1].lower())


class HelpScreen(ModalScreen[None]):
    """Lists the bindings; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close help", id="help.close"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._rows = rows

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, description in self._rows:
            table.add_row(key, description)
        with VerticalScroll(id="help-body"):
            yield Static(f"Keys — {self._title}", id="help-title")
            yield Static(table)
            yield Static(
                "\nCommand palette: ctrl+p.  Keys can be changed per profile: "
                "smsdesk config set keymap.<id> <key>",
                classes="help-note",
            )

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
