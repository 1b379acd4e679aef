"""A modal form of text fields and yes/no flags; a refused save shows each error beside its field.

The screen that opens it passes ``save``: it gets the values and either returns the saved
thing (the form closes with it) or raises ``FieldErrors`` (the form stays, errors shown).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from tui.api.errors import ApiError
from tui.services.contacts import FieldErrors
from tui.widgets.plain import plain

T = TypeVar("T")


@dataclass(frozen=True)
class TextField:
    key: str
    label: str
    value: str = ""
    disabled: bool = False
    placeholder: str = ""


@dataclass(frozen=True)
class Flag:
    key: str
    label: str
    value: bool = False


Save = Callable[[dict[str, str], dict[str, bool]], Awaitable[T]]


def _dom_id(key: str) -> str:
    return "f-" + "".join(ch if ch.isalnum() else "_" for ch in key)


class FieldForm(ModalScreen[T | None], Generic[T]):
    """ctrl+s (or the Save button) saves; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, title: str, fields: Sequence[TextField], save: Save[T],
                 flags: Sequence[Flag] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.flags = list(flags)
        self._save = save

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Static(plain(self.title_text), classes="dialog-title")
            for field in self.fields:
                yield Label(plain(field.label))
                yield Input(value=field.value, id=_dom_id(field.key), disabled=field.disabled,
                            placeholder=field.placeholder)
                yield Static(id=f"{_dom_id(field.key)}-error", classes="form-error-text")
            for flag in self.flags:
                yield Checkbox(plain(flag.label), flag.value, id=_dom_id(flag.key))
            yield Static(id="form-error", classes="form-error-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="form-save")
                yield Button("Cancel", id="form-cancel")

    def on_mount(self) -> None:
        for field in self.fields:
            if not field.disabled:
                self.query_one(f"#{_dom_id(field.key)}", Input).focus()
                break

    def values(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#{_dom_id(f.key)}", Input).value
                for f in self.fields if not f.disabled}

    def flag_values(self) -> dict[str, bool]:
        return {f.key: self.query_one(f"#{_dom_id(f.key)}", Checkbox).value for f in self.flags}

    @on(Button.Pressed, "#form-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        self._submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, group="form-save")
    async def _submit(self) -> None:
        self.show_errors({})
        self.query_one("#form-error", Static).update("Saving…")
        try:
            saved = await self._save(self.values(), self.flag_values())
        except FieldErrors as refused:
            self.show_errors(refused.errors, str(refused))
            return
        except ApiError as exc:
            self.query_one("#form-error", Static).update(plain(str(exc)))
            return
        self.dismiss(saved)

    def show_errors(self, errors: Mapping[str, list[str]], summary: str = "") -> None:
        """Each field's messages under it; the rest (and the summary) at the bottom."""
        keys = {f.key for f in self.fields} | {f.key for f in self.flags}
        for field in self.fields:
            self.query_one(f"#{_dom_id(field.key)}-error", Static).update(
                plain(" ".join(errors.get(field.key, []))))
        rest = [f"{k}: {' '.join(v)}" for k, v in errors.items() if k not in keys]
        lines = ([summary] if summary and errors else []) + rest
        self.query_one("#form-error", Static).update(plain("\n".join(lines)))
        first = next((f for f in self.fields if f.key in errors), None)
        if first is not None:
            self.query_one(f"#{_dom_id(first.key)}", Input).focus()
