"""Campaigns for one account: audience, plan, test send, send, and the server's campaigns,
templates and coupons. What the Campaigns screen and the CLI call (no Textual)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, TypeVar

from tui.api.client import MobinitiClient
from tui.api.models import (
    Campaign,
    CampaignCreate,
    CampaignTemplate,
    CampaignTemplateCreate,
    CampaignTemplateUpdate,
    CampaignUpdate,
    Coupon,
    Page,
)
from tui.api.rate import Priority
from tui.config import Profile
from tui.services import audience as aud
from tui.services.audience import Audience
from tui.services.campaign_plan import CampaignPlan, QuietChoice, plan_campaign
from tui.services.campaign_report import SendReport
from tui.services.campaign_send import CampaignSender, SendProgress
from tui.services.outbox import Outbox, SendRefused
from tui.services.pages import pages_of
from tui.services.timing import UtcNow, utc_now
from tui.sms.merge import MergeError, render
from tui.sms.phones import InvalidPhoneNumber, normalize
from tui.store import AsyncStore
from tui.store.campaign_sends import CampaignSend

T = TypeVar("T")
# A campaign in these states has not gone out: its groups' members are still to be texted.
UNSENT: Final = ("draft", "scheduled")


@dataclass(frozen=True, slots=True)
class CouponChoice:
    """A coupon offered in the composer, and the merge fields it brings."""

    coupon: Coupon

    def extra(self) -> dict[str, str]:
        c = self.coupon
        return {k: v for k, v in {"coupon_code": c.code, "coupon_name": c.name,
                                  "coupon_title": c.title}.items() if v}


class Campaigns:
    """One account's campaign work; ``sender`` posts the requests (exactly once)."""

    def __init__(
        self, client: MobinitiClient, store: AsyncStore, profile: Profile, outbox: Outbox, *,
        on_progress: Callable[[SendProgress], None] | None = None,
        utcnow: UtcNow = utc_now, sender: CampaignSender | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.profile = profile
        self.outbox = outbox
        self.utcnow = utcnow
        self.sender = sender or CampaignSender(client, store, outbox, on_progress=on_progress,
                                               utcnow=utcnow)

    # --- audience and plan ------------------------------------------------------------------

    async def from_groups(self, group_ids: Sequence[str], names: Sequence[str] = ()) -> Audience:
        return await aud.from_groups(self.store, group_ids, names)

    async def from_numbers(self, text: str) -> Audience:
        return await aud.from_numbers(self.store, aud.split_numbers(text),
                                      region=self.profile.default_country)

    async def from_search(self, query: str) -> Audience:
        return await aud.from_search(self.store, query)

    async def plan(self, template: str, audience: Audience, *, at: datetime | None = None,
                   coupon: CouponChoice | None = None) -> CampaignPlan:
        """Render for everyone (on a thread: 100k recipients must not freeze the screen)."""
        when = at or self.utcnow()
        return await asyncio.to_thread(
            plan_campaign, template, audience, at=when, window=self.profile.quiet_hours.window,
            price_per_segment=self.profile.price_per_segment,
            extra=coupon.extra() if coupon else None)

    # --- sending ----------------------------------------------------------------------------

    async def test_send(self, plan: CampaignPlan, *, index: int = 0) -> str:
        """The campaign as recipient ``index`` would get it, to the person's own number.

        Goes through the outbox like a reply. Returns the number it went to."""
        own = self.profile.own_number
        if not own:
            raise SendRefused("No number for test sends: set own_number in the profile "
                              "(smsdesk config set own_number +1...).")
        try:
            phone = normalize(own, self.profile.default_country)
        except InvalidPhoneNumber as exc:
            raise SendRefused(f"own_number in the profile: {exc}") from None
        recipients = plan.recipients
        source: Any = recipients[index].merge_source() if recipients else {"phone_number": phone}
        try:
            text = render(plan.template, source)
        except MergeError as exc:
            raise SendRefused(str(exc)) from None
        await self.outbox.enqueue(phone, text)
        return phone

    async def start_send(self, plan: CampaignPlan, *, name: str, choice: QuietChoice = "send_rest",
                         campaign_id: str | None = None) -> CampaignSend:
        """Write the send to the store (durable); ``run_send`` posts it."""
        blocked = plan.blocked
        if blocked:
            raise SendRefused(blocked)
        requests = await asyncio.to_thread(plan.requests, choice)
        return await self.sender.start(
            name=name, template=plan.template, audience=plan.audience.source,
            recipients=plan.audience.count, requests=requests, skipped=plan.skipped(choice),
            campaign_id=campaign_id)

    async def run_send(self, send_id: str) -> SendReport:
        return await self.sender.run(send_id)

    def cancel_send(self, send_id: str) -> None:
        self.sender.cancel(send_id)

    async def report(self, send_id: str) -> SendReport | None:
        return await self.sender.report(send_id)

    async def sends(self, limit: int = 200) -> list[CampaignSend]:
        return await self.store.list_campaign_sends(limit=limit)

    async def resume(self) -> list[SendReport]:
        return await self.sender.resume_all()

    # --- the server's campaigns, templates and coupons --------------------------------------

    async def _all(self, method: Callable[..., Any], **kwargs: Any) -> list[Any]:
        out: list[Any] = []
        async with pages_of(method, priority=Priority.INTERACTIVE, **kwargs) as pages:
            page: Page[Any]
            async for page in pages:
                out += page.data
        return out

    async def campaigns(self) -> list[Campaign]:
        return await self._all(self.client.list_campaigns, sort="-created_at")

    async def templates(self) -> list[CampaignTemplate]:
        return await self._all(self.client.list_campaign_templates, sort="name")

    async def coupons(self) -> list[Coupon]:
        return await self._all(self.client.list_coupons, sort="name")

    async def pending(self, campaigns: Sequence[Campaign]) -> dict[str, int]:
        """Contacts each unsent campaign would text, from the local mirror: a contact in two of
        its groups counts once (the server's per-group counts would count them twice)."""
        counts: dict[tuple[str, ...], int] = {}
        out: dict[str, int] = {}
        for campaign in campaigns:
            if campaign.status not in UNSENT:
                continue
            groups = tuple(sorted(set(campaign.group_ids)))
            if groups not in counts:
                counts[groups] = await self.store.count_group_audience(groups)
            out[campaign.id] = counts[groups]
        return out

    async def save_campaign(self, campaign_id: str | None, *, name: str, message: str,
                            group_ids: Sequence[str], send_at: datetime | None = None,
                            coupon_id: str | None = None) -> Campaign:
        """Create or update (PUT) a campaign; a 422 comes back as ValidationFailed."""
        if campaign_id is None:
            return await self.client.create_campaign(CampaignCreate(
                name=name, message=message, group_ids=list(group_ids), send_at=send_at,
                coupon_id=coupon_id))
        return await self.client.update_campaign(campaign_id, CampaignUpdate(
            name=name, message=message, group_ids=list(group_ids), send_at=send_at,
            coupon_id=coupon_id))

    async def save_template(self, template_id: str | None, *, name: str, message: str
                            ) -> CampaignTemplate:
        """Create or update (PUT) a campaign template; a 422 comes back as ValidationFailed."""
        if template_id is None:
            return await self.client.create_campaign_template(
                CampaignTemplateCreate(name=name, message=message))
        return await self.client.update_campaign_template(
            template_id, CampaignTemplateUpdate(name=name, message=message))

    async def delete_campaign(self, campaign_id: str) -> None:
        await self.client.delete_campaign(campaign_id)

    async def delete_template(self, template_id: str) -> None:
        await self.client.delete_campaign_template(template_id)

