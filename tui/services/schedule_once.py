"""Saving a scheduled text exactly once: post it; on an unclear answer, look it up first.

``POST /message/schedule`` carries no key of ours, so a lost answer, a 5xx or a cut body leaves
"was it saved?" open. The server's list (``GET /message/schedule``, newest first) answers it:
the same number, words and time, created since just before the post. Found once: that is ours.
Proven absent (the list reaches texts older than the post): posting again is safe. Anything
else (two candidates, a lookup that keeps failing) is ``ScheduleUnclear``: the person decides,
the text is never posted blind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError, outcome_unknown
from tui.api.models import ScheduledMessage, ScheduledMessageCreate
from tui.api.rate import Clock, Priority, SystemClock
from tui.services.pages import pages_of
from tui.store.records import phone_digits

log = logging.getLogger("smsdesk.scheduled")

# Before the post, in the server's time: covers clocks a person would not notice are wrong.
LOOKUP_MARGIN: Final = timedelta(minutes=2)
UNKNOWN_CLOCK_WINDOW: Final = timedelta(hours=24)
# Pages of the newest scheduled texts looked through before the lookup gives up (100 each).
MAX_LOOKUP_PAGES: Final = 50


class ScheduleUnclear(Exception):
    """The server may or may not have saved it; the message says what to check."""


class LookupFailed(ScheduleUnclear):
    """Undecided only because the server's list could not be read (unreachable, 5xx): a later
    lookup may well decide it."""


class NotScheduled(Exception):
    """Every try was lost on the way and the server provably has none: nothing was saved."""


def same_time(a: datetime, b: datetime | None) -> bool:
    return b is not None and abs((a - b).total_seconds()) < 1


async def find_scheduled(client: MobinitiClient, body: ScheduledMessageCreate, since: datetime,
                         *, priority: Priority = Priority.INTERACTIVE,
                         max_pages: int | None = MAX_LOOKUP_PAGES, first: bool = False
                         ) -> list[ScheduledMessage] | None:
    """The server's scheduled texts like ``body`` created since ``since`` (newest first; only
    the newest with ``first``), or None when ``max_pages`` (None: no limit) did not reach
    ``since``. Raises ``ApiError``."""
    found: list[ScheduledMessage] = []
    digits = phone_digits(body.phone_number)
    async with pages_of(client.list_scheduled, sort="-created_at", priority=priority) as pages:
        count = 0
        async for page in pages:
            for item in page.data:
                if item.created_at < since:
                    return found
                if (phone_digits(item.phone_number) == digits and item.message == body.message
                        and same_time(item.send_at, body.send_at)):
                    found.append(item)
                    if first:
                        return found
            count += 1
            if max_pages is not None and count >= max_pages:
                return None
    return found


class ScheduleOnce:
    """``await ScheduleOnce(client).create(body)``: saved once, or ``ScheduleUnclear``."""

    def __init__(self, client: MobinitiClient, *, utcnow: Callable[[], datetime],
                 clock: Clock | None = None, max_posts: int = 3, max_lookups: int = 4,
                 lookup_delay: float = 1.0) -> None:
        self.client = client
        self.utcnow = utcnow
        self.clock: Clock = clock or SystemClock()
        self.max_posts = max(1, max_posts)
        self.max_lookups = max(1, max_lookups)
        self.lookup_delay = lookup_delay

    async def create(self, body: ScheduledMessageCreate) -> ScheduledMessage:
        """Post; on an unclear answer look it up, and post again only when proven absent.

        A clear refusal (422, 401, …) is raised as the client raised it: nothing was saved.
        """
        offset = None
        for posts in range(1, self.max_posts + 1):
            before = self.utcnow()
            if offset is None:
                offset = self.client.server_clock.offset_from(before)
            try:
                return await self.client.create_scheduled(body)
            except ApiError as exc:
                if not outcome_unknown(exc):
                    raise
                log.info("scheduled: answer unclear (%s); looking it up", type(exc).__name__)
                # The server's clock unknown (the process's first answer was the lost one):
                # this computer's may be minutes off, so the window is the same day's worth
                # the restart lookup uses. A copy of the very same text (number, words, time)
                # saved in it is this one: scheduling it again never makes a second.
                since = (before + timedelta(seconds=offset) - LOOKUP_MARGIN
                         if offset is not None else before - UNKNOWN_CLOCK_WINDOW)
                saved = await self.look_up(body, since, exc)
                if saved is not None:
                    return saved
                if posts >= self.max_posts:
                    raise NotScheduled(
                        f"Not scheduled after {posts} tries ({exc}). The server has no copy, "
                        "so nothing was saved; try again when the connection is better."
                    ) from None
        raise AssertionError("unreachable")

    async def look_up(self, body: ScheduledMessageCreate, since: datetime,
                      cause: ApiError | str) -> ScheduledMessage | None:
        """Ours if the server has it once; None when proven absent; else ``ScheduleUnclear``."""
        why, failed = str(cause), True
        for _ in range(self.max_lookups):
            if self.lookup_delay > 0:
                await self.clock.sleep(self.lookup_delay)
            try:
                found = await find_scheduled(self.client, body, since)
            except ApiError as exc:
                why = f"smsdesk could not check with the server ({exc})"
                continue
            failed = False
            if found is None:
                why = "the server has more scheduled texts than smsdesk could look through"
                break
            if len(found) == 1:
                return found[0]
            if not found:
                return None
            why = (f"the server has {len(found)} identical scheduled texts to this number at "
                   "this time and none says which one is this one")
            break
        raise (LookupFailed if failed else ScheduleUnclear)(
            f"Maybe scheduled: {why}. Look at the Scheduled list before scheduling it again.")
