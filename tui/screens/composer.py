"""The campaign composer: audience, text, a preview for real recipients, cost, test and send."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TextArea

from tui.api.errors import ApiError, ValidationFailed
from tui.api.models import Campaign
from tui.screens.campaign_dialogs import (
    ConfirmDialog,
    GroupsDialog,
    NumbersDialog,
    TimeDialog,
)
from tui.screens.composer_text import ComposerText
from tui.screens.heap import keep_frames_short
from tui.screens.quiet_hours_dialog import QuietHoursDialog
from tui.screens.send_report import SendProgressScreen, SendReportScreen
from tui.services.audience import Audience
from tui.services.campaign_plan import CampaignPlan, QuietChoice, describe_eta
from tui.services.campaigns import CouponChoice
from tui.services.outbox import SendRefused
from tui.services.scheduled import ScheduleRefused, campaign_time
from tui.widgets.campaign_panels import cost_content, preview_content, problems_content
from tui.widgets.plain import plain

REPLAN_DELAY = 0.3
SHORT = 30  # rows


class ComposerScreen(ComposerText):
    """Pushed from the Campaigns screen; ``campaign`` given means editing that campaign."""

    TITLE = "Compose campaign"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send_now", "Send now", id="composer.send"),
        Binding("ctrl+l", "schedule", "Schedule", id="composer.schedule"),
        # Not ctrl+e/k/w/a/u/d: the text box uses those for editing.
        Binding("ctrl+r", "test_send", "Test send", id="composer.test"),
        Binding("f4", "save", "Save campaign", id="composer.save"),
        Binding("f5", "save_template", "Save template", id="composer.save_template",
                show=False),
        Binding("f2", "groups", "Groups", id="composer.groups"),
        Binding("f3", "numbers", "Paste numbers", id="composer.numbers"),
        Binding("ctrl+t", "insert_template", "Template", id="composer.template"),
        Binding("ctrl+n", "insert_coupon", "Coupon", id="composer.coupon"),
        Binding("ctrl+f", "insert_field", "Merge field", id="composer.field", show=False),
        Binding("ctrl+o", "add_footer", "Opt-out footer", id="composer.footer", show=False),
        Binding("ctrl+g", "fix_encoding", "Fix encoding", id="composer.fix_encoding",
                show=False),
        Binding("f8", "previous_recipient", "Prev preview", id="composer.prev", show=False),
        Binding("f9", "next_recipient", "Next preview", id="composer.next", show=False),
        Binding("escape", "close", "Back", id="composer.back"),
    ]

    def __init__(self, *, campaign: Campaign | None = None, message: str = "",
                 group_ids: tuple[str, ...] = (), template_id: str | None = None) -> None:
        super().__init__()
        self._campaign = campaign
        self._template_id = template_id
        self._initial_message = campaign.message if campaign else message
        self._group_ids: tuple[str, ...] = tuple(campaign.group_ids) if campaign else group_ids
        self._numbers: str | None = None
        self._audience = Audience()
        self._plan: CampaignPlan | None = None
        self._coupon: CouponChoice | None = None
        self._index = 0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="composer"):
            with Vertical(id="composer-left"):
                yield Static("Name", classes="field-label")
                yield Input(self._campaign.name if self._campaign else "",
                            placeholder="Campaign name", id="campaign-name")
                yield Static(id="name-error", classes="field-error")
                yield Static("Audience  (F2 groups · F3 paste numbers · or search contacts)",
                             classes="field-label")
                yield Input(placeholder="search contacts, e.g. anna or 650", id="audience-search")
                yield Static(id="audience-summary")
                yield Static(id="groups-error", classes="field-error")
                yield Static("Message  (ctrl+f merge field · ctrl+n coupon · ctrl+t template)",
                             classes="field-label")
                yield TextArea(self._initial_message, id="campaign-message", soft_wrap=True,
                               show_line_numbers=False, tab_behavior="focus")
                yield Static(id="campaign-meter")
                yield Static(id="message-error", classes="field-error")
                yield VerticalScroll(Static(id="campaign-problems"), id="problems-scroll")
            with Vertical(id="composer-right"):
                yield Static(id="campaign-preview")
                yield Static(id="campaign-cost")
        yield Footer()

    def on_resize(self) -> None:
        # 24 rows: a smaller text box keeps the counter and the problems on screen.
        self.set_class(self.size.height < SHORT, "-short")

    def on_mount(self) -> None:
        self.query_one("#campaign-message", TextArea).focus()
        self._show_meter()
        self._load_audience()

    # --- audience ----------------------------------------------------------------------

    @work(exclusive=True, group="composer-audience")
    async def _load_audience(self) -> None:
        campaigns = await self.desk.campaigns()
        query = self.query_one("#audience-search", Input).value.strip()
        if self._numbers is not None:
            audience = await campaigns.from_numbers(self._numbers)
        elif self._group_ids:
            groups = {g.id: g.name for g in await self.desk.store.list_groups()}
            audience = await campaigns.from_groups(
                self._group_ids, [groups.get(g, g) for g in self._group_ids])
        elif query:
            audience = await campaigns.from_search(query)
        else:
            audience = Audience()
        self._audience = audience
        self.query_one("#audience-summary", Static).update(Content.assemble(
            plain(audience.source or "No audience yet", single_line=True, limit=80),
            ": ", audience.summary()))
        self._replan_now()

    @on(Input.Submitted, "#audience-search")
    def _search(self) -> None:
        self._numbers, self._group_ids = None, ()
        self._load_audience()

    @work(group="composer-dialog")
    async def action_groups(self) -> None:
        groups = await self.desk.store.list_groups()
        chosen = await self.app.push_screen_wait(GroupsDialog(
            [(g.id, g.name, g.contacts_count) for g in groups], self._group_ids))
        if chosen is not None:
            self._group_ids, self._numbers = tuple(chosen), None
            self._load_audience()

    @work(group="composer-dialog")
    async def action_numbers(self) -> None:
        text = await self.app.push_screen_wait(NumbersDialog())
        if text is not None:
            self._numbers, self._group_ids = text, ()
            self._load_audience()

    # --- the text ----------------------------------------------------------------------

    @on(TextArea.Changed, "#campaign-message")
    def _text_changed(self) -> None:
        self._show_meter()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(REPLAN_DELAY, self._replan_now)

    # --- plan, preview, cost -----------------------------------------------------------

    def _replan_now(self) -> None:
        self._replan()

    @work(exclusive=True, group="composer-plan")
    async def _replan(self) -> None:
        campaigns = await self.desk.campaigns()
        self._plan = await campaigns.plan(self._message(), self._audience, coupon=self._coupon)
        self._show_plan()
        keep_frames_short()

    def _show_plan(self) -> None:
        self.query_one("#campaign-preview", Static).update(
            preview_content(self._plan, self._index))
        self.query_one("#campaign-cost", Static).update(cost_content(self._plan))
        self.query_one("#campaign-problems", Static).update(problems_content(self._plan))

    def action_next_recipient(self) -> None:
        self._index += 1
        self._show_plan()

    def action_previous_recipient(self) -> None:
        self._index -= 1
        self._show_plan()

    def on_key(self, event: object) -> None:
        key = getattr(event, "character", None)
        if key in ("[", "]") and not isinstance(self.focused, TextArea | Input):
            self._index += 1 if key == "]" else -1
            self._show_plan()

    async def _fresh_plan(self) -> CampaignPlan | None:
        campaigns = await self.desk.campaigns()
        self._plan = await campaigns.plan(self._message(), self._audience, coupon=self._coupon)
        self._show_plan()
        return self._plan

    # --- test, send, schedule, save ----------------------------------------------------

    @work(exclusive=True, group="composer-action")
    async def action_test_send(self) -> None:
        plan = await self._fresh_plan()
        if plan is None:
            return
        try:
            phone = await (await self.desk.campaigns()).test_send(plan, index=self._index)
        except SendRefused as exc:
            self.notify(str(exc), title="Test send", severity="warning", markup=False)
            return
        self.notify(f"Test text queued to {phone}.", title="Test send", markup=False)

    @work(exclusive=True, group="composer-action")
    async def action_send_now(self) -> None:
        plan = await self._fresh_plan()
        if plan is None:
            return
        if plan.blocked:
            self.notify(plan.blocked, title="Cannot send", severity="error", markup=False)
            return
        choice: QuietChoice = "send_rest"
        if not plan.has_opt_out and not await self.app.push_screen_wait(ConfirmDialog(
                "The text does not tell people how to opt out (e.g. \"Reply STOP to opt "
                "out.\"). Send it anyway?", yes="Send anyway")):
            return
        if plan.held:
            picked = await self.app.push_screen_wait(QuietHoursDialog(plan))
            if picked is None:
                return
            choice = picked
        if not await self.app.push_screen_wait(ConfirmDialog(_question(plan, choice),
                                                             yes="Send")):
            return
        await self._start(plan, choice)

    async def _start(self, plan: CampaignPlan, choice: QuietChoice) -> None:
        campaigns = await self.desk.campaigns()
        name = self.query_one("#campaign-name", Input).value.strip() or \
            f"Campaign {self.desk.now().astimezone():%Y-%m-%d %H:%M}"
        try:
            send = await campaigns.start_send(
                plan, name=name, choice=choice,
                campaign_id=self._campaign.id if self._campaign else None)
        except SendRefused as exc:
            self.notify(str(exc), title="Cannot send", severity="error", markup=False)
            return
        report = await self.app.push_screen_wait(SendProgressScreen(self.desk, send.id, name))
        if report is not None:
            await self.app.push_screen_wait(SendReportScreen(report))
            self.dismiss_composer()

    @work(exclusive=True, group="composer-action")
    async def action_schedule(self) -> None:
        problem, value = "", ""
        while True:
            answer: str | None = await self.app.push_screen_wait(TimeDialog(
                "Schedule for (your local time, or ISO 8601)", value, problem))
            value = answer or ""
            if not value:
                return
            try:
                at = campaign_time(value, self.desk.now())
            except ScheduleRefused as exc:
                problem = str(exc)
                continue
            break
        campaigns = await self.desk.campaigns()
        plan = await campaigns.plan(self._message(), self._audience, at=at, coupon=self._coupon)
        self._plan = plan
        self._show_plan()
        if plan.blocked:
            self.notify(plan.blocked, title="Cannot schedule", severity="error", markup=False)
            return
        if plan.held and await self.app.push_screen_wait(QuietHoursDialog(plan)) is None:
            return
        await self._start(plan, "schedule_all")

    @work(exclusive=True, group="composer-action")
    async def action_save(self) -> None:
        campaigns = await self.desk.campaigns()
        for error in ("#name-error", "#message-error", "#groups-error"):
            self.query_one(error, Static).update("")
            self.query_one(error, Static).remove_class("-shown")
        try:
            saved = await campaigns.save_campaign(
                self._campaign.id if self._campaign else None,
                name=self.query_one("#campaign-name", Input).value, message=self._message(),
                group_ids=self._group_ids,
                coupon_id=self._coupon.coupon.id if self._coupon else None)
        except ValidationFailed as exc:
            self._show_field_errors(exc)
            return
        except ApiError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return
        self._campaign = saved
        self.notify("Campaign saved.", title="Campaigns", markup=False)

    def _show_field_errors(self, exc: ValidationFailed) -> None:
        places = {"name": "#name-error", "message": "#message-error"}
        for field, messages in exc.errors.items():
            target = self.query_one(places.get(field.split(".")[0], "#groups-error"), Static)
            target.update(plain(f"{field}: {'; '.join(messages)}"))
            target.add_class("-shown")
        if not exc.errors:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)

    @work(exclusive=True, group="composer-action")
    async def action_save_template(self) -> None:
        campaigns = await self.desk.campaigns()
        name = self.query_one("#campaign-name", Input).value.strip() or "Template"
        try:
            saved = await campaigns.save_template(self._template_id, name=name,
                                                  message=self._message())
            self._template_id = saved.id
        except ValidationFailed as exc:
            self._show_field_errors(exc)
            return
        except ApiError as exc:
            self.notify(str(exc), title="Template not saved", severity="error", markup=False)
            return
        self.notify("Template saved.", title="Campaign templates", markup=False)

    def dismiss_composer(self) -> None:
        self.app.pop_screen()

    def action_close(self) -> None:
        self.dismiss_composer()


def _question(plan: CampaignPlan, choice: QuietChoice) -> str:
    """What the send will do, asked before it starts: who now, who later, requests, time, cost."""
    requests = plan.request_count(choice)
    everyone = plan.audience.count - len(plan.unresolved)
    held = len(plan.held) if choice == "send_rest" else 0
    what = (f"Schedule all {everyone} for their next allowed time" if choice == "schedule_all"
            else f"Send to {everyone - held} recipients now" + (
                f" and schedule {held} for their next allowed time" if held else ""))
    return (f"{what}: {requests} requests ({describe_eta(requests)} at the rate limit), for "
            f"about {plan.cost:.2f}?")
