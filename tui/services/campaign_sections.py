"""The Campaigns and Scheduled sections' services for one desk, and the resume of what a quit or
crash cut off (a campaign send, a scheduled text being saved): nothing goes out twice. Built on
first use (no Textual)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tui.api.client import MobinitiClient
from tui.config import Profile
from tui.services.campaign_send import SendProgress
from tui.services.campaigns import Campaigns
from tui.services.outbox import Outbox
from tui.services.scheduled import ScheduledTexts
from tui.store import AsyncStore


class CampaignSections:
    """``campaigns`` (compose, plan, send, report) and ``scheduled`` (the Scheduled section)."""

    def __init__(
        self, client: MobinitiClient, store: AsyncStore, profile: Profile, outbox: Outbox, *,
        on_progress: Callable[[SendProgress], None], now: Callable[[], datetime],
    ) -> None:
        self.campaigns = Campaigns(client, store, profile, outbox, on_progress=on_progress,
                                   utcnow=now)
        self.scheduled = ScheduledTexts(client, store, window=profile.quiet_hours.window,
                                        region=profile.default_country, utcnow=now)

    async def resume_unfinished(self) -> None:
        """Sends left 'sending' go on (each request is posted once: the outbox knows its key);
        scheduled texts whose answer never came are looked up (posted only if proven absent)."""
        await self.campaigns.resume()
        await self.scheduled.saving.recover()
