"""Importing a CSV: the column mapping, a preview of the first rows and the dry-run counts,
then the import itself with progress. Returns the result sentence (None when cancelled)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.safe_text import shown
from tui.services.contact_csv import UnreadableFile
from tui.services.contact_import import ImportDraft, plan_import, run_import
from tui.services.contacts import ContactBook
from tui.widgets.plain import plain

PREVIEW_ROWS = 5
REASONS_SHOWN = 8


def _cell(text: str, width: int) -> str:
    text = shown(text, single_line=True)
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def preview_text(draft: ImportDraft) -> Content:
    """The mapping (column → field), the first rows as the file has them, then the counts."""
    plan = draft.plan
    lines = [f"{draft.path.name}: {len(draft.table.rows):,} rows, separator "
             f"{draft.table.delimiter!r}, {draft.table.encoding}", "", "Columns:"]
    for header, target in zip(draft.table.header, draft.mapping, strict=False):
        into = target.replace("field:", "custom field ") if target else "(not imported)"
        lines.append(f"  {shown(header, single_line=True, limit=24):<24} → {into}")
    lines += ["", "First rows:"]
    width = 18
    lines.append("  " + " ".join(_cell(h, width) for h in draft.table.header[:4]))
    for row in draft.table.rows[:PREVIEW_ROWS]:
        lines.append("  " + " ".join(_cell(c, width) for c in row[:4]))
    lines += ["", f"Dry run: {plan.summary()}"]
    invalid = [r for r in plan.rows if r.outcome == "invalid"]
    for bad in invalid[:REASONS_SHOWN]:
        lines.append(f"  line {bad.line}: {shown(bad.reason, single_line=True, limit=70)}")
    if len(invalid) > REASONS_SHOWN:
        lines.append(f"  … and {len(invalid) - REASONS_SHOWN:,} more (all in the rejected file)")
    return Content("\n".join(lines))


class ImportScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "start", "Import"),
    ]

    def __init__(self, book: ContactBook, path: Path, group_id: str | None = None) -> None:
        super().__init__()
        self.book, self.path, self.group_id = book, path, group_id
        self.draft: ImportDraft | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="import-dialog"):
            yield Static(plain(f"Import {self.path}", single_line=True), classes="dialog-title")
            yield Static("Reading the file…", id="import-preview")
            yield Static(id="import-progress")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import (ctrl+s)", variant="primary", id="import-start",
                             disabled=True)
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        self._plan()

    @work(exclusive=True, group="import")
    async def _plan(self) -> None:
        preview = self.query_one("#import-preview", Static)
        try:
            self.draft = await plan_import(self.book, self.path, group_id=self.group_id)
        except UnreadableFile as exc:
            preview.update(plain(str(exc)))
            return
        preview.update(preview_text(self.draft))
        plan = self.draft.plan
        button = self.query_one("#import-start", Button)
        button.disabled = not (plan.count("new") or plan.count("updated"))
        button.focus()

    @on(Button.Pressed, "#import-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import-start")
    def action_start(self) -> None:
        if self.draft is not None and not self.query_one("#import-start", Button).disabled:
            self.query_one("#import-start", Button).disabled = True
            self._run(self.draft)

    @work(exclusive=True, group="import")
    async def _run(self, draft: ImportDraft) -> None:
        line = self.query_one("#import-progress", Static)

        def step(done: int, total: int) -> None:
            line.update(plain(f"Importing {done:,} / {total:,}…"))

        line.update("Importing…")
        result = await run_import(self.book, draft, group_id=self.group_id, progress=step)
        self.dismiss("Import: " + result.sentence())
