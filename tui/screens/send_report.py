"""A campaign send as it goes (progress, ETA, cancel) and its report afterwards."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, ProgressBar, Static

from tui.desk import CampaignProgressed, Desk, DeskEvent
from tui.screens.heap import keep_frames_short
from tui.services.campaign_plan import describe_eta
from tui.services.campaign_report import SendReport
from tui.widgets.plain import plain


class SendProgressScreen(ModalScreen[SendReport | None]):
    """Runs one send (already written to the store) and returns its report."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel_send", "Cancel the send", id="send.cancel"),
    ]

    def __init__(self, desk: Desk, send_id: str, name: str) -> None:
        super().__init__(classes="campaign-dialog")
        self._desk, self._send_id, self._name = desk, send_id, name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-body", id="send-progress"):
            yield Static(Content.assemble("Sending ", plain(self._name, single_line=True)),
                         classes="dialog-title")
            yield ProgressBar(id="send-bar", show_eta=False)
            yield Static("Starting…", id="send-counts")
            yield Button("Cancel after this request", variant="error", id="cancel")

    def on_mount(self) -> None:
        keep_frames_short()
        self._desk.listen(self._on_desk_event)
        self._run()

    def on_unmount(self) -> None:
        self._desk.unlisten(self._on_desk_event)

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, CampaignProgressed) and event.progress.send_id == self._send_id:
            p = event.progress
            self.query_one(ProgressBar).update(total=max(1, p.total), progress=p.done)
            note = f"\n{p.note}" if p.note else ""
            self.query_one("#send-counts", Static).update(plain(
                f"{p.done} of {p.total} requests · {p.sent} texted · {p.refused} refused · "
                f"{p.failed} failed · {describe_eta(p.eta_seconds)} left{note}"))

    @work(exclusive=True, group="campaign-send")
    async def _run(self) -> None:
        campaigns = await self._desk.campaigns()
        report = await campaigns.run_send(self._send_id)
        self.dismiss(report)

    @on(Button.Pressed, "#cancel")
    def action_cancel_send(self) -> None:
        self.query_one("#cancel", Button).disabled = True
        self.query_one("#send-counts", Static).update("Cancelling after the request in flight…")
        self.run_worker(self._cancel())

    async def _cancel(self) -> None:
        (await self._desk.campaigns()).cancel_send(self._send_id)


class SendReportScreen(ModalScreen[None]):
    """What happened to every recipient; the same report is kept and shown again later."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="report.close"),
    ]

    def __init__(self, report: SendReport) -> None:
        super().__init__(classes="campaign-dialog")
        self._report = report

    def compose(self) -> ComposeResult:
        report = self._report
        lines = report.lines()
        with Vertical(classes="dialog-body", id="send-report"):
            yield Static(plain(lines[0], single_line=True), classes="dialog-title")
            with VerticalScroll():
                yield Static(plain("\n".join(lines[1:])), id="report-lines")
            yield Button("Close", variant="primary", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
