"""The quiet-hours guard: who would get a text outside their allowed hours, and what to do."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.screens.campaigns_text import clip
from tui.services.campaign_plan import CampaignPlan, QuietChoice, local_time
from tui.widgets.plain import plain

SHOWN = 8


class QuietHoursDialog(ModalScreen[QuietChoice | None]):
    """Send the rest now and schedule the held ones, schedule everyone, or cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="quiet.cancel"),
    ]

    def __init__(self, plan: CampaignPlan) -> None:
        super().__init__(classes="campaign-dialog")
        self._plan = plan

    def compose(self) -> ComposeResult:
        plan = self._plan
        held = plan.held
        total = plan.audience.count
        with Vertical(classes="dialog-body", id="quiet-hours"):
            yield Static(plain(f"Quiet hours: {len(held)} of {total} recipients"),
                         classes="dialog-title")
            start, end = (f"{t:%H:%M}" for t in plan.window)
            yield Static(plain(f"For them it is outside {start}–{end} local time when the send "
                               "goes out. Texting them now may be illegal."))
            rows = [Content.styled(f"{'Recipient':<22}{'Number':<15}{'Their time':<22}"
                                   "Sends at (yours)", "dim")]
            for item in held[:SHOWN]:
                there = local_time(item.recipient.phone, plan.at).replace("America/", "")
                cells = (f"{clip(item.recipient.title, 20):<22}{item.recipient.phone:<15}"
                         f"{there or 'unknown':<22}")
                when = f"{item.until.astimezone():%a %d %b %H:%M}"
                line = plain(cells + when, single_line=True)
                stop = len(line.plain)
                rows.append(line.stylize("bold", stop - len(when), stop))
            if len(held) > SHOWN:
                rows.append(Content(f"  … and {len(held) - SHOWN} more"))
            yield Static(Content("\n").join(rows), id="quiet-rows")
            if total > len(held):
                yield Button(plain(f"Send {total - len(held)} now, schedule {len(held)} for "
                                   "their next allowed time"), variant="primary", id="send_rest")
            yield Button("Schedule everyone for their next allowed time", id="schedule_all",
                         variant="default" if total > len(held) else "primary")
            yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(None if choice == "cancel" else choice)  # type: ignore[arg-type]

    def action_cancel(self) -> None:
        self.dismiss(None)

