"""The Campaigns section (key 4): campaigns, past sends with their reports, and templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.api.errors import ApiError
from tui.api.models import Campaign, CampaignTemplate
from tui.desk import CampaignProgressed, DeskEvent
from tui.screens.campaign_dialogs import ConfirmDialog
from tui.screens.campaigns_text import clip
from tui.screens.composer import ComposerScreen
from tui.screens.section import SectionScreen
from tui.screens.send_report import SendReportScreen
from tui.store.campaign_sends import CampaignSend
from tui.widgets.plain import plain

View = Literal["campaigns", "sends", "templates"]
VIEWS: tuple[View, ...] = ("campaigns", "sends", "templates")
VIEW_TITLES = {"campaigns": "Campaigns", "sends": "Sent from smsdesk", "templates": "Templates"}
SORTS = ("created", "name", "status", "send date")


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    detail: str
    item: Campaign | CampaignTemplate | CampaignSend


class CampaignsScreen(SectionScreen):
    SECTION, TITLE = "campaigns", "Campaigns"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "compose", "Compose", id="campaigns.compose"),
        Binding("e", "open", "Edit/Report", id="campaigns.edit"),
        Binding("o", "report", "Report", id="campaigns.report"),
        Binding("d", "delete", "Delete", id="campaigns.delete"),
        Binding("v", "cycle_view", "View", id="campaigns.view"),
        Binding("s", "cycle_sort", "Sort", id="campaigns.sort"),
        Binding("slash", "filter", "Filter", id="campaigns.filter"),
        Binding("r", "refresh", "Refresh", id="campaigns.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._view: View = "campaigns"
        self._sort = 0
        self._campaigns: list[Campaign] = []
        self._templates: list[CampaignTemplate] = []
        self._sends: list[CampaignSend] = []
        self._groups: dict[str, str] = {}
        self._pending: dict[str, int] = {}
        self._rows: list[Row] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="campaigns"):
            with Vertical(id="campaigns-left"):
                yield Static(id="campaigns-view-line")
                yield Input(placeholder="/ filter by name or text", id="campaigns-filter")
                yield OptionList(id="campaigns-list")
            yield VerticalScroll(Static(id="campaign-detail"), id="campaign-detail-scroll")

    def on_mount(self) -> None:
        self.desk.listen(self._on_desk_event)
        self.query_one("#campaigns-list", OptionList).focus()
        self.action_refresh()

    def on_unmount(self) -> None:
        self.desk.unlisten(self._on_desk_event)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, CampaignProgressed) and event.progress.finished:
            self.action_refresh()

    # --- loading -----------------------------------------------------------------------

    @work(exclusive=True, group="campaigns-load")
    async def action_refresh(self) -> None:
        self._groups = {g.id: g.name for g in await self.desk.store.list_groups()}
        self._sends = await self.desk.store.list_campaign_sends()
        self._show()
        campaigns = await self.desk.campaigns()
        try:
            self._campaigns = await campaigns.campaigns()
            self._templates = await campaigns.templates()
        except ApiError as exc:
            self.notify(str(exc), title="Campaigns", severity="warning", markup=False)
        self._pending = await campaigns.pending(self._campaigns)
        self._show()

    def _show(self) -> None:
        query = self.query_one("#campaigns-filter", Input).value.strip().casefold()
        rows = [r for r in self._all_rows()
                if not query or query in f"{r.title} {r.detail}".casefold()]
        self._rows = rows
        options = self.query_one("#campaigns-list", OptionList)
        keep = options.highlighted
        width = max(20, options.size.width - 6)
        options.set_options(Option(Content.assemble(
            plain(clip(r.title, width), single_line=True), "\n  ",
            plain(clip(r.detail, width - 2), single_line=True, style="dim")), id=r.key)
            for r in rows)
        if rows:
            options.highlighted = min(keep or 0, len(rows) - 1)
        tabs = "  ".join(f"[{VIEW_TITLES[v]}]" if v == self._view else VIEW_TITLES[v]
                         for v in VIEWS)
        sort = f"  · sort: {SORTS[self._sort]}" if self._view == "campaigns" else ""
        self.query_one("#campaigns-view-line", Static).update(
            Content(f"{tabs}{sort}  ({len(rows)})"))
        self._show_detail()

    def _all_rows(self) -> list[Row]:
        if self._view == "sends":
            return [Row(s.id, s.name, f"{s.state} · {s.recipients} recipients · "
                                      f"{s.created_at.astimezone():%Y-%m-%d %H:%M}", s)
                    for s in self._sends]
        if self._view == "templates":
            return [Row(t.id, t.name, t.message, t) for t in self._templates]
        key = SORTS[self._sort]
        items = sorted(self._campaigns, key=lambda c: (
            c.name.casefold() if key == "name" else c.status if key == "status"
            else (c.send_at.isoformat() if c.send_at else "~") if key == "send date"
            else ""))
        if key == "created":
            items = sorted(self._campaigns, key=lambda c: c.created_at, reverse=True)
        return [Row(c.id, c.name, f"{c.status}{self._pending_text(c)} · {self._when(c)} · "
                                  f"{c.message}", c)
                for c in items]

    def _pending_text(self, campaign: Campaign) -> str:
        pending = self._pending.get(campaign.id)
        return "" if pending is None else f" · {pending} pending"

    @staticmethod
    def _when(campaign: Campaign) -> str:
        at = campaign.sent_at or campaign.send_at
        return f"{at.astimezone():%Y-%m-%d %H:%M}" if at else "not scheduled"

    def _current(self) -> Row | None:
        options = self.query_one("#campaigns-list", OptionList)
        if options.highlighted is None or options.highlighted >= len(self._rows):
            return None
        return self._rows[options.highlighted]

    @on(OptionList.OptionHighlighted, "#campaigns-list")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(OptionList.OptionSelected, "#campaigns-list")
    def _selected(self) -> None:
        self.action_open()

    def _show_detail(self) -> None:
        row = self._current()
        detail = self.query_one("#campaign-detail", Static)
        if row is None:
            detail.update(Content.styled("Nothing here yet. Press c to compose a campaign.",
                                         "dim"))
            return
        item = row.item
        if isinstance(item, Campaign):
            groups = [self._groups.get(g, g) for g in item.group_ids]
            pending = self._pending.get(item.id)
            sent = self._sends_of(item)
            last = (Content.assemble(("Sent here   ", "dim"), f"{len(sent)} time"
                                     f"{'s' if len(sent) != 1 else ''}, last "
                                     f"{sent[0].created_at.astimezone():%Y-%m-%d %H:%M} "
                                     f"({sent[0].state}) · o shows its report", "\n")
                    if sent else "")
            detail.update(Content.assemble(
                (item.name, "bold"), "\n\n",
                ("Status      ", "dim"), item.status, "\n",
                ("Send date   ", "dim"), self._when(item), "\n",
                ("Groups      ", "dim"),
                plain(", ".join(groups) or "none", single_line=True), "\n",
                ("Pending     ", "dim"),
                f"{pending} contact{'s' if pending != 1 else ''}" if pending is not None
                else "-", "\n", last, "\n",
                plain(item.message),
                ("\n\ne edits · d deletes", "dim"),
            ))
        elif isinstance(item, CampaignTemplate):
            detail.update(Content.assemble(plain(item.name, style="bold"), "\n\n",
                                           plain(item.message),
                                           ("\n\ne opens it in the composer · d deletes",
                                            "dim")))
        else:
            detail.update(Content.assemble(
                plain(item.name, style="bold"), "\n\n", ("Audience  ", "dim"),
                plain(item.audience, single_line=True), "\n", ("State     ", "dim"),
                item.state, "\n\n", plain(item.template),
                ("\n\ne shows the send report", "dim")))

    # --- actions -----------------------------------------------------------------------

    def action_cycle_view(self) -> None:
        self._view = VIEWS[(VIEWS.index(self._view) + 1) % len(VIEWS)]
        self._show()

    def action_cycle_sort(self) -> None:
        self._sort = (self._sort + 1) % len(SORTS)
        self._show()

    def action_filter(self) -> None:
        box = self.query_one("#campaigns-filter", Input)
        box.add_class("-active")
        box.focus()

    @on(Input.Changed, "#campaigns-filter")
    def _filter_changed(self) -> None:
        self._show()

    @on(Input.Submitted, "#campaigns-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.input.set_class(bool(event.value), "-active")
        self.query_one("#campaigns-list", OptionList).focus()

    def action_compose(self) -> None:
        self.app.push_screen(ComposerScreen())

    @work(group="campaigns-open")
    async def action_open(self) -> None:
        row = self._current()
        if row is None:
            return
        item = row.item
        if isinstance(item, Campaign):
            self.app.push_screen(ComposerScreen(campaign=item))
        elif isinstance(item, CampaignTemplate):
            self.app.push_screen(ComposerScreen(message=item.message, template_id=item.id))
        else:
            report = await (await self.desk.campaigns()).report(item.id)
            if report is not None:
                self.app.push_screen(SendReportScreen(report))

    def _sends_of(self, campaign: Campaign) -> list[CampaignSend]:
        """This campaign's sends from smsdesk, newest first (their reports are kept)."""
        return [s for s in self._sends if s.campaign_id == campaign.id]

    @work(group="campaigns-open")
    async def action_report(self) -> None:
        """The send report of the highlighted send, or of the campaign's last send from here."""
        row = self._current()
        if row is None:
            return
        item = row.item
        sends = [item] if isinstance(item, CampaignSend) else \
            self._sends_of(item) if isinstance(item, Campaign) else []
        if not sends:
            self.notify("This campaign was not sent from smsdesk: there is no report here.",
                        title="Report", markup=False)
            return
        report = await (await self.desk.campaigns()).report(sends[0].id)
        if report is not None:
            self.app.push_screen(SendReportScreen(report))

    @work(group="campaigns-delete")
    async def action_delete(self) -> None:
        row = self._current()
        if row is None or isinstance(row.item, CampaignSend):
            return
        what = "campaign" if isinstance(row.item, Campaign) else "template"
        if not await self.app.push_screen_wait(ConfirmDialog(
                f"Delete the {what} \u201c{row.title}\u201d? This cannot be undone.",
                yes="Delete")):
            return
        campaigns = await self.desk.campaigns()
        try:
            if isinstance(row.item, Campaign):
                await campaigns.delete_campaign(row.item.id)
            else:
                await campaigns.delete_template(row.item.id)
        except ApiError as exc:
            self.notify(str(exc), title="Not deleted", severity="error", markup=False)
            return
        self.notify(f"The {what} was deleted.", title="Campaigns", markup=False)
        self.action_refresh()
