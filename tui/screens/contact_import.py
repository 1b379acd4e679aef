"""Importing a CSV: the column mapping, a preview of the first rows and the dry-run counts,
then the import itself with progress. Returns the result sentence (None when cancelled).

The mapping is guessed from the header; each column has a choice (a contact field, its own
custom field, or not imported) and every change plans the rows again: the preview and the dry
run always show what the import would do with the mapping on screen."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Select, Static

from tui.safe_text import shown
from tui.services.contact_csv import UnreadableFile, choose, field_choices
from tui.services.contact_import import ImportDraft, plan_import, replan, run_import
from tui.services.contacts import ContactBook
from tui.widgets.plain import plain

PREVIEW_ROWS = 5
REASONS_SHOWN = 8


def _cell(text: str, width: int) -> str:
    text = shown(text, single_line=True)
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def preview_text(draft: ImportDraft) -> Content:
    """The dry run's counts and reasons first (they matter most on a small screen), then the
    first rows as the file has them."""
    plan = draft.plan
    lines = ["", f"Dry run: {plan.summary()}"]
    invalid = [r for r in plan.rows if r.outcome == "invalid"]
    for bad in invalid[:REASONS_SHOWN]:
        lines.append(f"  line {bad.line}: {shown(bad.reason, single_line=True, limit=70)}")
    if len(invalid) > REASONS_SHOWN:
        lines.append(f"  … and {len(invalid) - REASONS_SHOWN:,} more (all in the rejected file)")
    lines += ["", "First rows:"]
    width = 18
    lines.append("  " + " ".join(_cell(h, width) for h in draft.table.header[:4]))
    for row in draft.table.rows[:PREVIEW_ROWS]:
        lines.append("  " + " ".join(_cell(c, width) for c in row[:4]))
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
            yield Static("Reading the file…", id="import-file")
            yield Static("Columns (enter on a column to choose what it fills):",
                         id="import-columns-title")
            yield VerticalScroll(id="import-columns")
            with VerticalScroll(id="import-preview-box"):
                yield Static(id="import-preview")
            yield Static(id="import-progress")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import (ctrl+s)", variant="primary", id="import-start",
                             disabled=True)
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        self._plan()

    @work(exclusive=True, group="import")
    async def _plan(self) -> None:
        preview = self.query_one("#import-file", Static)
        try:
            self.draft = await plan_import(self.book, self.path, group_id=self.group_id)
        except UnreadableFile as exc:
            preview.update(plain(str(exc)))
            return
        table = self.draft.table
        preview.update(plain(f"{self.path.name}: {len(table.rows):,} rows, separator "
                             f"{table.delimiter!r}, {table.encoding}", single_line=True))
        await self._show_columns(self.draft)
        self._show_plan(self.draft)
        self.query_one("#import-start", Button).focus()

    async def _show_columns(self, draft: ImportDraft) -> None:
        rows = [
            Horizontal(
                Static(plain(header or f"column {i + 1}", single_line=True, limit=30),
                       classes="import-column-name"),
                Select([(Text(shown(label, single_line=True, limit=40)), target)
                        for target, label in field_choices(header)],
                       value=draft.mapping[i], allow_blank=False, compact=True,
                       id=f"import-map-{i}"),
                classes="import-column")
            for i, header in enumerate(draft.table.header)
        ]
        await self.query_one("#import-columns", VerticalScroll).mount_all(rows)

    def _show_plan(self, draft: ImportDraft) -> None:
        self.query_one("#import-preview", Static).update(preview_text(draft))
        plan = draft.plan
        button = self.query_one("#import-start", Button)
        button.disabled = not (plan.count("new") or plan.count("updated"))

    @on(Select.Changed, ".import-column Select")
    def _column_chosen(self, event: Select.Changed) -> None:
        if self.draft is None or event.select.id is None:
            return
        column = int(event.select.id.rsplit("-", 1)[1])
        target = str(event.value)
        if self.draft.mapping[column] == target:
            return
        mapping = choose(self.draft.mapping, column, target)
        for other, value in enumerate(mapping):  # a field taken from another column
            select = self.query_one(f"#import-map-{other}", Select)
            if select.value != value:
                with select.prevent(Select.Changed):
                    select.value = value
        self.query_one("#import-start", Button).disabled = True  # until the new plan is in
        self._replan(self.draft, mapping)

    @work(exclusive=True, group="import-plan")
    async def _replan(self, draft: ImportDraft, mapping: list[str]) -> None:
        self.draft = await replan(self.book, draft, mapping, group_id=self.group_id)
        self._show_plan(self.draft)

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
