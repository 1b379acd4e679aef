"""The Scheduled section (key 5): scheduled texts by day, in your time and the recipient's."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.api.errors import ApiError
from tui.api.models import Campaign
from tui.screens.campaign_dialogs import ConfirmDialog
from tui.screens.schedule_dialog import ScheduleDialog
from tui.screens.section import SectionScreen
from tui.services.scheduled import ScheduledRow
from tui.store.scheduled_intents import ScheduleIntent
from tui.widgets.plain import plain


def row_content(row: ScheduledRow) -> Content:
    item = row.item
    who = row.name or item.phone_number
    theirs = row.recipient_time or "their time unknown"
    return Content.assemble(
        (f"{item.send_at.astimezone():%H:%M}", "bold"), (f"  ({theirs})  ", "dim"),
        plain(who, single_line=True, limit=30), f"  {item.phone_number if row.name else ''}",
        "\n      ", plain(item.message, single_line=True, limit=80, style="dim"))


def campaign_content(campaign: Campaign, groups: dict[str, str]) -> Content:
    known = [groups[g] for g in campaign.group_ids if g in groups]
    count = len(campaign.group_ids)
    names = (", ".join(known) if len(known) == count and known
             else f"{count} group{'s' if count != 1 else ''}")
    at = campaign.send_at.astimezone() if campaign.send_at else None
    return Content.assemble(
        (f"{at:%H:%M}" if at else "--:--", "bold"), ("  campaign  ", "$accent"),
        plain(campaign.name, single_line=True, limit=40), ("  to ", "dim"),
        plain(names, single_line=True, limit=40), ("  (sent by the server)", "dim"),
        "\n      ", plain(campaign.message, single_line=True, limit=80, style="dim"))


INTENT_LABELS = {"saving": ("being saved…", "$warning"), "unclear": ("maybe scheduled", "$warning"),
                 "failed": ("not scheduled", "$error"), "saved": ("scheduled", "$success")}


def intent_content(intent: ScheduleIntent) -> Content:
    """A text whose saving is not settled: its state, and the reason in the person's words."""
    label, style = INTENT_LABELS[intent.state]
    return Content.assemble(
        (f"{intent.send_at.astimezone():%Y-%m-%d %H:%M}", "bold"), (f"  {label}  ", style),
        intent.phone, "\n      ", plain(intent.message, single_line=True, limit=80, style="dim"),
        *(("\n      ", plain(intent.last_error, single_line=True, limit=160, style="dim"))
          if intent.last_error else ()))


def day_heading(day: date, today: date) -> Content:
    label = "Today" if day == today else f"{day:%A %d %B %Y}"
    return Content.styled(f"── {label} ──", "bold $accent")


CAMPAIGN_PREFIX = "campaign:"
INTENT_PREFIX = "intent:"


class ScheduledScreen(SectionScreen):
    SECTION, TITLE = "scheduled", "Scheduled"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New", id="scheduled.new"),
        Binding("e", "edit", "Edit", id="scheduled.edit"),
        Binding("x", "cancel_item", "Cancel text", id="scheduled.cancel"),
        Binding("delete", "cancel_item", "Cancel text", id="scheduled.delete", show=False),
        Binding("r", "refresh", "Refresh", id="scheduled.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, ScheduledRow] = {}
        self._intents: dict[str, ScheduleIntent] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="scheduled"):
            yield Static("Loading scheduled texts…", id="scheduled-line")
            yield OptionList(id="scheduled-list")

    def on_mount(self) -> None:
        self.query_one("#scheduled-list", OptionList).focus()
        self.action_refresh()

    @work(exclusive=True, group="scheduled-load")
    async def action_refresh(self) -> None:
        scheduled = await self.desk.scheduled()
        try:
            await scheduled.saving.recover()  # a text a crash left being saved: looked up
            self._intents = {i.key: i for i in await scheduled.saving.intents()}
            rows = await scheduled.rows()
            campaigns = await scheduled.campaigns()
        except ApiError as exc:
            self.query_one("#scheduled-line", Static).update(plain(str(exc)))
            return
        groups = {g.id: g.name for g in await self.desk.store.list_groups()}
        self._show(rows, campaigns, groups)

    def _show(self, rows: list[ScheduledRow], campaigns: list[Campaign] | None = None,
              groups: dict[str, str] | None = None) -> None:
        self._rows = {r.item.id: r for r in rows}
        options = self.query_one("#scheduled-list", OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        today = self.desk.now().astimezone().date()
        entries: list[Option] = []
        if self._intents:
            entries.append(Option(Content.styled("── Being saved, or not settled (x: forget the "
                                                 "note) ──", "bold $warning"), disabled=True))
            entries += [Option(intent_content(i), id=f"{INTENT_PREFIX}{k}")
                        for k, i in self._intents.items()]
        day: date | None = None
        timeline: list[tuple[datetime, Option]] = [
            (row.item.send_at, Option(row_content(row), id=row.item.id)) for row in rows]
        timeline += [(c.send_at, Option(campaign_content(c, groups or {}),
                                        id=f"{CAMPAIGN_PREFIX}{c.id}"))
                     for c in campaigns or [] if c.send_at]
        for when, option in sorted(timeline, key=lambda pair: pair[0]):
            local_day = when.astimezone().date()
            if local_day != day:
                day = local_day
                entries.append(Option(day_heading(day, today), disabled=True))
            entries.append(option)
        options.set_options(entries)
        ids = [o.id for o in entries]
        if keep in ids:
            options.highlighted = ids.index(keep)
        elif rows or self._intents:
            options.highlighted = 1
        count, sent_by_server = len(rows), len(campaigns or [])
        also = f" and {sent_by_server} campaign{'s' if sent_by_server != 1 else ''}" \
            if sent_by_server else ""
        self.query_one("#scheduled-line", Static).update(Content.assemble(
            f"{count} scheduled text{'s' if count != 1 else ''}{also}, soonest first — times "
            "in your zone, the recipient's in brackets", ("   n new · e edit · x cancel", "dim")))

    def _current(self) -> ScheduledRow | None:
        option = self.query_one("#scheduled-list", OptionList).highlighted_option
        if option is not None and (option.id or "").startswith(CAMPAIGN_PREFIX):
            self.notify("A scheduled campaign is changed in Campaigns (key 4).",
                        title="Scheduled", markup=False)
            return None
        if option is not None and (option.id or "").startswith(INTENT_PREFIX):
            intent = self._intents.get((option.id or "")[len(INTENT_PREFIX):])
            if intent is not None:
                self.notify(intent.last_error or "smsdesk is saving it on the server.",
                            title="Scheduled", markup=False)
            return None
        row = self._rows.get(option.id) if option and option.id else None
        if row is None:
            self.notify("Choose a scheduled text first (↑ ↓).", title="Scheduled", markup=False)
        return row

    @work(group="scheduled-edit")
    async def action_new(self) -> None:
        if await self.app.push_screen_wait(ScheduleDialog(self.desk)) is not None:
            self.notify("Scheduled.", title="Scheduled", markup=False)
            self.action_refresh()

    @on(OptionList.OptionSelected, "#scheduled-list")
    def _selected(self) -> None:
        self.action_edit()

    @work(group="scheduled-edit")
    async def action_edit(self) -> None:
        row = self._current()
        if row is None:
            return
        if await self.app.push_screen_wait(ScheduleDialog(self.desk, row.item)) is not None:
            self.notify("Changed.", title="Scheduled", markup=False)
            self.action_refresh()

    @work(group="scheduled-edit")
    async def action_cancel_item(self) -> None:
        option = self.query_one("#scheduled-list", OptionList).highlighted_option
        if option is not None and (option.id or "").startswith(INTENT_PREFIX):
            await self._forget((option.id or "")[len(INTENT_PREFIX):])
            return
        row = self._current()
        if row is None:
            return
        who = row.name or row.item.phone_number
        if not await self.app.push_screen_wait(ConfirmDialog(
                f"Cancel the text to {who} at {row.item.send_at.astimezone():%Y-%m-%d %H:%M}?",
                yes="Cancel it")):
            return
        try:
            await (await self.desk.scheduled()).cancel(row.item.id)
        except ApiError as exc:
            self.notify(str(exc), title="Not cancelled", severity="error", markup=False)
            return
        self.notify("Cancelled.", title="Scheduled", markup=False)
        self.action_refresh()

    async def _forget(self, key: str) -> None:
        intent = self._intents.get(key)
        if intent is None or intent.state == "saving":
            self.notify("smsdesk is still saving it; wait for the outcome.", title="Scheduled",
                        markup=False)
            return
        if not await self.app.push_screen_wait(ConfirmDialog(
                f"Forget the note about the text to {intent.phone}? This changes nothing on the "
                "server: look for the text in the list first.", yes="Forget it")):
            return
        await (await self.desk.scheduled()).saving.forget(key)
        self.action_refresh()
