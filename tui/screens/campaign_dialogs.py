"""Small dialogs of the campaign composer: confirm, pick from a list, paste numbers, ask a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.widgets.plain import plain

_CLOSE: list[BindingType] = [Binding("escape", "cancel", "Close", id="dialog.close")]


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no; the question may hold foreign text (it is shown literally)."""

    BINDINGS: ClassVar[list[BindingType]] = list(_CLOSE)

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__(classes="campaign-dialog")
        self._question, self._yes = question, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(plain(self._question))
            with Horizontal(classes="dialog-buttons"):
                yield Button(plain(self._yes, single_line=True), variant="error", id="yes")
                yield Button("No", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class PickDialog(ModalScreen[str | None]):
    """Choose one item; returns its id. Items are (id, label, detail) of foreign text."""

    BINDINGS: ClassVar[list[BindingType]] = list(_CLOSE)

    def __init__(self, title: str, items: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(classes="campaign-dialog")
        self._title, self._items = title, list(items)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(plain(self._title, single_line=True), classes="dialog-title")
            yield OptionList(*[
                Option(Content.assemble(plain(label, single_line=True), "\n  ",
                                        plain(detail, single_line=True, limit=80, style="dim")),
                       id=item_id) for item_id, label, detail in self._items
            ], id="pick-list")
            if not self._items:
                yield Static("Nothing here yet.", classes="dim")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GroupsDialog(ModalScreen[list[str] | None]):
    """Tick groups (space), Enter or OK takes them; rows show member counts from the mirror."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_CLOSE, Binding("enter", "take", "Take", id="dialog.take_groups", priority=True)]

    def __init__(self, groups: Sequence[tuple[str, str, int | None]],
                 chosen: Sequence[str] = ()) -> None:
        super().__init__(classes="campaign-dialog")
        self._groups, self._chosen = list(groups), set(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static("Groups — space ticks, Enter takes them", classes="dialog-title")
            yield SelectionList[str](*[
                (Content.assemble(plain(name, single_line=True),
                                  (f"  {count if count is not None else '?'} members", "dim")),
                 group_id, group_id in self._chosen)
                for group_id, name, count in self._groups
            ], id="groups-list")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_take()
        else:
            self.dismiss(None)

    def action_take(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NumbersDialog(ModalScreen[str | None]):
    """Paste numbers (one per line, or a CSV); they are checked when taken."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_CLOSE, Binding("ctrl+s", "take", "Take numbers", id="dialog.take")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static("Paste numbers — one per line or a CSV; ctrl+s takes them",
                         classes="dialog-title")
            yield TextArea(id="numbers-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Take numbers", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.action_take()
        else:
            self.dismiss(None)

    def action_take(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TimeDialog(ModalScreen[str | None]):
    """Ask for a time (ISO 8601 or HH:MM); the caller checks it and may ask again."""

    BINDINGS: ClassVar[list[BindingType]] = list(_CLOSE)

    def __init__(self, title: str, value: str = "", problem: str = "") -> None:
        super().__init__(classes="campaign-dialog")
        self._title, self._value, self._problem = title, value, problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body"):
            yield Static(plain(self._title, single_line=True), classes="dialog-title")
            yield Input(self._value, placeholder="2026-12-01 10:00 or HH:MM", id="time-input")
            yield Static(plain(self._problem), classes="dialog-problem")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
