"""Create or edit one scheduled text: number, text and time, checked before it is saved."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from tui.api.errors import ApiError, ValidationFailed
from tui.api.models import ScheduledMessage
from tui.desk import Desk
from tui.services.scheduled import QuietHoursConflict, ScheduleRefused, parse_when
from tui.sms.phones import InvalidPhoneNumber, normalize
from tui.widgets.plain import plain


class ScheduleDialog(ModalScreen[ScheduledMessage | None]):
    """Returns the saved scheduled text; problems are shown in the dialog, never lost."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="schedule.close"),
        Binding("ctrl+s", "save", "Save", id="schedule.save"),
    ]

    def __init__(self, desk: Desk, item: ScheduledMessage | None = None) -> None:
        super().__init__(classes="campaign-dialog")
        self._desk, self._item = desk, item
        self._suggested: str | None = None

    def compose(self) -> ComposeResult:
        item = self._item
        when = f"{item.send_at.astimezone():%Y-%m-%d %H:%M}" if item else ""
        with Vertical(classes="dialog-body", id="schedule-dialog"):
            yield Static("Edit scheduled text" if item else "Schedule a text",
                         classes="dialog-title")
            yield Input(item.phone_number if item else "", placeholder="number",
                        id="schedule-number", disabled=item is not None)
            yield TextArea(item.message if item else "", id="schedule-text", soft_wrap=True,
                           show_line_numbers=False, tab_behavior="focus")
            yield Input(when, placeholder="when: 2026-12-01 10:00 (your time) or HH:MM (theirs)",
                        id="schedule-when")
            yield Static(id="schedule-problem", classes="dialog-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Use the allowed time", id="use-allowed", disabled=True)
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        target = "#schedule-text" if self._item else "#schedule-number"
        self.query_one(target).focus()

    def _problem(self, text: str) -> None:
        self.query_one("#schedule-problem", Static).update(plain(text))

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#use-allowed")
    def _use_allowed(self) -> None:
        if self._suggested:
            self.query_one("#schedule-when", Input).value = self._suggested
            self.action_save()

    @work(exclusive=True, group="schedule-save")
    async def action_save(self) -> None:
        scheduled = await self._desk.scheduled()
        raw_number = self.query_one("#schedule-number", Input).value
        text = self.query_one("#schedule-text", TextArea).text
        try:
            phone = normalize(raw_number, self._desk.profile.default_country)
            at = parse_when(self.query_one("#schedule-when", Input).value, phone,
                            self._desk.now())
            if self._item is None:
                saved = await scheduled.create(phone, text, at)
            else:
                changed = text if text != self._item.message else None
                saved = await scheduled.update(self._item, text=changed, at=at)
        except QuietHoursConflict as exc:
            self._suggested = f"{exc.allowed.astimezone():%Y-%m-%d %H:%M}"
            self.query_one("#use-allowed", Button).disabled = False
            self._problem(str(exc))
            return
        except ValidationFailed as exc:
            self._problem("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
                          or str(exc))
            return
        except (InvalidPhoneNumber, ScheduleRefused, ApiError) as exc:
            self._problem(str(exc))
            return
        self.dismiss(saved)
