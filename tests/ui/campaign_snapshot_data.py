"""Fixed data for the campaign snapshots: a shop's group, a plan at night, a finished send."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tui.api.client import MobinitiClient
from tui.api.models import Contact, Group, GroupRef
from tui.config import Profile
from tui.desk import Desk
from tui.sandbox import SandboxConfig, create_app
from tui.services.audience import Audience, Recipient
from tui.services.campaign_plan import CampaignPlan, plan_campaign
from tui.services.campaign_report import SendReport
from tui.store import AsyncStore, StoredContact, open_store

NOW = datetime.fromisoformat("2026-03-14T17:30:00+00:00")  # 12:30 in Chicago
# 23:00 in Chicago, 00:00 in New York, 21:00 in California: everyone is held.
NIGHT = datetime.fromisoformat("2026-03-15T04:00:00+00:00")
# 22:30 in Chicago, 23:30 in New York, 20:30 in California: the Californians may go now.
LATE_EVENING = datetime.fromisoformat("2026-03-15T03:30:00+00:00")
GROUP = Group(id="g-vip", name="VIP [b]club[/b]", contacts_count=6, created_at=NOW,
              updated_at=NOW)
PEOPLE = [
    ("c1", "+16502530001", "Maria", "Lopez"),
    ("c2", "+12125550134", "James", "Okafor"),
    ("c3", "+13125550178", "Priya", "Raman"),
    ("c4", "+14155550199", "Tom", "Becker"),
    ("c5", "+17185550111", "Zoë", "[red]Mallory[/red]"),
    ("c6", "+13125550190", None, None),
]
MESSAGE = "Hi {first_name|there}, 20% off all jackets this weekend! Reply STOP to opt out."


def _contacts() -> list[Contact]:
    return [Contact(id=cid, phone_number=phone, first_name=first, last_name=last,
                    created_at=NOW, updated_at=NOW, groups=[GroupRef(id=GROUP.id, name=GROUP.name)])
            for cid, phone, first, last in PEOPLE]


def campaign_desk(folder: Path) -> Desk:
    """Services are built but never run: the screens show exactly this data."""
    store = open_store(folder / "campaign-snap.db")
    store.upsert_groups([GROUP])
    store.upsert_contacts(_contacts())
    sandbox = create_app(SandboxConfig(seed=1, contacts=12, rate_limit=False,
                                       clock=lambda: NOW))

    def connect() -> tuple[MobinitiClient, None]:
        transport = httpx.ASGITransport(app=sandbox.asgi)
        return MobinitiClient(sandbox.token, "http://sandbox/v1", transport=transport), None

    desk = Desk(profile_name="shop", profile=Profile(price_per_segment=0.0075),
                store=AsyncStore(store), connect=connect, autostart=False, now=lambda: NOW)
    # The rate headroom refills with wall time: a picture must not depend on when it is taken.
    desk.status.headroom = lambda: "60/60"  # type: ignore[method-assign]
    return desk


def night_plan(at: datetime = NIGHT) -> CampaignPlan:
    people = [Recipient(phone, StoredContact(id=cid, phone=phone, first_name=first,
                                             last_name=last))
              for cid, phone, first, last in PEOPLE]
    return plan_campaign(MESSAGE, Audience(tuple(people), source="groups: VIP"), at=at)


def finished_report() -> SendReport:
    return SendReport(
        send_id="s1", name="Weekend jackets", state="done", recipients=250,
        created_at=NOW, finished_at=NOW + timedelta(seconds=9), sent=241, requests=8,
        scheduled=(("+13125550178", NIGHT + timedelta(hours=9)),
                   ("+13125550190", NIGHT + timedelta(hours=9))),
        refused=(("+16502530099", "The contact has unsubscribed."),
                 ("+16502530098", "no value for {first_name}")),
        failed=(("+16502530097", "Not sent after 3 tries (the server is down). The server "
                                 "has no copy, so nothing went out."),),
        not_sent=(), held=(), attempts=9, template=MESSAGE, audience="groups: VIP",
        unclear=(("+16502530096", "Maybe sent: the server's list could not be read."),),
    )
