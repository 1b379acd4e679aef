"""The composer's text tools: merge fields, templates, coupons, the opt-out footer, the encoding
fix and the segment counter. ``ComposerScreen`` builds on it (the audience, plan and send)."""

from __future__ import annotations

from textual import work
from textual.screen import Screen
from textual.widgets import Static, TextArea

from tui.api.errors import ApiError
from tui.desk import Desk
from tui.screens.campaign_dialogs import PickDialog
from tui.screens.section import desk_of
from tui.services.audience import Audience
from tui.services.campaigns import CouponChoice
from tui.sms.compliance import OPT_OUT_FOOTER
from tui.sms.segments import doctor
from tui.widgets.segment_meter import meter_text

MERGE_FIELDS = ("first_name", "last_name", "email", "phone_number")


class ComposerText(Screen[None]):
    """Works on ``#campaign-message`` (a TextArea) and ``#campaign-meter`` of the screen."""

    _audience: Audience
    _coupon: CouponChoice | None
    _template_id: str | None

    @property
    def desk(self) -> Desk:
        return desk_of(self.app)

    def _message(self) -> str:
        return self.query_one("#campaign-message", TextArea).text

    def _show_meter(self) -> None:
        self.query_one("#campaign-meter", Static).update(meter_text(self._message()))

    def _insert(self, text: str) -> None:
        area = self.query_one("#campaign-message", TextArea)
        area.insert(text)
        area.focus()

    @work(group="composer-dialog")
    async def action_insert_field(self) -> None:
        custom = sorted({k for r in self._audience.recipients[:500] if r.contact
                         for k in r.contact.fields})
        items = [(f, "{" + f + "}", "contact field") for f in (*MERGE_FIELDS, *custom)]
        if self._coupon is not None:
            items += [(k, "{" + k + "}", "from the coupon") for k in self._coupon.extra()]
        chosen = await self.app.push_screen_wait(PickDialog("Merge field", items))
        if chosen:
            self._insert("{" + chosen + "|there}" if chosen == "first_name" else
                         "{" + chosen + "}")

    @work(group="composer-dialog")
    async def action_insert_template(self) -> None:
        try:
            templates = await (await self.desk.campaigns()).templates()
        except ApiError as exc:
            self.notify(str(exc), title="Templates", severity="error", markup=False)
            return
        chosen = await self.app.push_screen_wait(PickDialog(
            "Campaign template", [(t.id, t.name, t.message) for t in templates]))
        template = next((t for t in templates if t.id == chosen), None)
        if template is not None:
            area = self.query_one("#campaign-message", TextArea)
            if area.text.strip():
                self._insert(template.message)
            else:
                area.text = template.message
            self._template_id = template.id

    @work(group="composer-dialog")
    async def action_insert_coupon(self) -> None:
        try:
            coupons = await (await self.desk.campaigns()).coupons()
        except ApiError as exc:
            self.notify(str(exc), title="Coupons", severity="error", markup=False)
            return
        chosen = await self.app.push_screen_wait(PickDialog(
            "Coupon (its code goes in as {coupon_code})",
            [(c.id, c.name, f"{c.code or 'no code'} · {c.title or ''}") for c in coupons]))
        coupon = next((c for c in coupons if c.id == chosen), None)
        if coupon is not None:
            self._coupon = CouponChoice(coupon)
            self._insert("{coupon_code}")

    def action_add_footer(self) -> None:
        area = self.query_one("#campaign-message", TextArea)
        area.text = area.text.rstrip() + (" " if area.text.strip() else "") + OPT_OUT_FOOTER

    def action_fix_encoding(self) -> None:
        area = self.query_one("#campaign-message", TextArea)
        fixed = doctor(area.text)
        if fixed.changed:
            area.text = fixed.text
            self.notify(f"Now {fixed.segments_after} segment(s) instead of "
                        f"{fixed.segments_before} per text.", title="Encoding", markup=False)
