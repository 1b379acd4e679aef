"""Scheduled messages: list, create, edit and cancel, with the same checks as a send now.

A time in the past is refused with a sentence; so is a time inside the recipient's quiet hours
(``QuietHoursConflict`` carries the next allowed time, so the caller can offer it). Times are
ISO 8601 or the recipient's local ``HH:MM`` (the next such time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Final

from tui.api.client import MobinitiClient
from tui.api.models import (
    Campaign,
    ScheduledMessage,
    ScheduledMessageCreate,
    ScheduledMessageUpdate,
)
from tui.api.rate import Clock, Priority
from tui.services.audience import Recipient, fresh_contact
from tui.services.pages import pages_of
from tui.services.timing import UtcNow, utc_now
from tui.sms.compliance import NoSendWindow, next_allowed_send
from tui.sms.merge import MergeError, fields_used, render
from tui.sms.phones import InvalidPhoneNumber, normalize, timezone_of
from tui.sms.tcpa import CALLING_HOURS
from tui.store import AsyncStore

if TYPE_CHECKING:
    from tui.services.schedule_saving import ScheduleSaving

_HHMM: Final = ("%H:%M", "%H.%M", "%H%M")


class ScheduleRefused(ValueError):
    """The text cannot be scheduled like that; the message says why and what to do."""


class ScheduleMaybeSaved(ScheduleRefused):
    """The server may have saved it (its answer was lost); the person checks the list."""


class QuietHoursConflict(ScheduleRefused):
    """The time falls in the recipient's quiet hours; ``allowed`` is the next allowed time."""

    def __init__(self, message: str, allowed: datetime) -> None:
        super().__init__(message)
        self.allowed = allowed


@dataclass(frozen=True, slots=True)
class ScheduledRow:
    """One scheduled text for the list: when, for whom, in the person's and recipient's time."""

    item: ScheduledMessage
    name: str  # the contact's name from the mirror, "" when unknown
    recipient_zone: str  # IANA zone of the recipient, "" when unknown

    @property
    def recipient_time(self) -> str:
        zone = timezone_of(self.item.phone_number)
        return f"{self.item.send_at.astimezone(zone):%H:%M} {zone.key}" if zone else ""


def parse_when(text: str, phone: str, now: datetime) -> datetime:
    """ISO 8601 (``2026-12-01T10:00:00Z``; no offset: the person's local time), or ``HH:MM``
    in the recipient's local time (the person's when ``phone`` is ""): the next such time."""
    raw = text.strip()
    for fmt in _HHMM:
        try:
            clock = datetime.strptime(raw, fmt).time()
        except ValueError:
            continue
        zone = timezone_of(phone) if phone else now.astimezone().tzinfo
        if zone is None:
            raise ScheduleRefused(
                f"The local time of {phone} is not known, so {raw} is ambiguous; give a full "
                "date and time with its offset, e.g. 2026-12-01T10:00-05:00.")
        local_now = now.astimezone(zone)
        at = datetime.combine(local_now.date(), clock, tzinfo=zone)
        if at <= local_now:
            at = datetime.combine(local_now.date() + timedelta(days=1), clock, tzinfo=zone)
        return at
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ScheduleRefused(
            f"{raw!r} is not a time: write ISO 8601 (2026-12-01T10:00-05:00) or the "
            "recipient's local HH:MM.") from None
    return at if at.tzinfo else at.astimezone()


def campaign_time(text: str, now: datetime) -> datetime:
    """When a campaign scheduled for ``text`` (the person's local time or ISO 8601) starts;
    ``ScheduleRefused`` for nonsense or a time that has passed."""
    at = parse_when(text, "", now)
    if at <= now:
        raise ScheduleRefused(f"{text.strip()} ({at:%Y-%m-%d %H:%M}) is in the past; choose a "
                              "later time.")
    return at


def check_time(phone: str, at: datetime, now: datetime,
               window: tuple[time, time] = CALLING_HOURS) -> None:
    """Refuse a time in the past and a time in the recipient's quiet hours."""
    if at <= now:
        raise ScheduleRefused(
            f"{at:%Y-%m-%d %H:%M %Z} is in the past; choose a time after now.".replace("  ", " "))
    try:
        allowed = next_allowed_send(phone, at, window)
    except NoSendWindow as exc:
        raise ScheduleRefused(str(exc)) from None
    if allowed > at:
        zone = timezone_of(phone)
        local = f" ({at.astimezone(zone):%H:%M} there)" if zone else ""
        raise QuietHoursConflict(
            f"{at:%Y-%m-%d %H:%M %Z}{local} is inside the recipient's quiet hours; the next "
            f"allowed time is {allowed.astimezone(at.tzinfo):%Y-%m-%d %H:%M %Z}.", allowed)


class ScheduledTexts:
    """The scheduled messages of one account."""

    def __init__(self, client: MobinitiClient, store: AsyncStore, *,
                 window: tuple[time, time] = CALLING_HOURS, region: str = "US",
                 utcnow: UtcNow = utc_now, clock: Clock | None = None) -> None:
        self.client = client
        self.store = store
        self.window = window
        self.region = region
        self.utcnow = utcnow
        self.clock = clock  # waits between the lookups of an unclear answer
        self._saving: ScheduleSaving | None = None

    async def rows(self) -> list[ScheduledRow]:
        """Pending scheduled texts, soonest first."""
        items: list[ScheduledMessage] = []
        async with pages_of(self.client.list_scheduled, sort="send_at",
                            priority=Priority.INTERACTIVE) as pages:
            async for page in pages:
                items += [i for i in page.data if i.status == "pending"]
        items.sort(key=lambda i: i.send_at)
        contacts = await self.store.contacts_by_phones([i.phone_number for i in items])
        out = []
        for item in items:
            contact = contacts.get(item.phone_number)
            zone = timezone_of(item.phone_number)
            out.append(ScheduledRow(item, contact.name if contact else "",
                                    zone.key if zone else ""))
        return out

    async def campaigns(self) -> list[Campaign]:
        """The server's campaigns that are scheduled (it sends them itself), soonest first."""
        found: list[Campaign] = []
        async with pages_of(self.client.list_campaigns, sort="send_at",
                            priority=Priority.INTERACTIVE) as pages:
            async for page in pages:
                found += [c for c in page.data if c.status == "scheduled" and c.send_at]
        return sorted(found, key=lambda c: c.send_at or self.utcnow())

    async def _prepare(self, phone: str, text: str, at: datetime) -> tuple[str, str]:
        try:
            e164 = normalize(phone, self.region)
        except InvalidPhoneNumber as exc:
            raise ScheduleRefused(str(exc)) from None
        if not text.strip():
            raise ScheduleRefused("The text is empty; write something to schedule.")
        if e164 in await self.store.opted_out_phones([e164]):
            raise ScheduleRefused(
                f"{e164} opted out (STOP); it cannot be texted until it sends START.")
        contact = (await fresh_contact(self.client, self.store, e164) if fields_used(text)
                   else None)
        try:
            body = render(text, Recipient(e164, contact).merge_source())
        except MergeError as exc:
            raise ScheduleRefused(str(exc)) from None
        check_time(e164, at, self.utcnow(), self.window)
        return e164, body

    @property
    def saving(self) -> ScheduleSaving:
        """The texts being saved, written to disk before they are posted (``schedule_saving``)."""
        if self._saving is None:
            from tui.services.schedule_saving import ScheduleSaving

            self._saving = ScheduleSaving(self.client, self.store, utcnow=self.utcnow,
                                          clock=self.clock)
        return self._saving

    async def create(self, phone: str, text: str, at: datetime) -> ScheduledMessage:
        """Saved once on the server: written to disk first, posted once (an unclear answer is
        looked up, never posted blind); ``ScheduleMaybeSaved`` when the server cannot say."""
        from tui.services.schedule_once import NotScheduled, ScheduleUnclear

        e164, body = await self._prepare(phone, text, at)
        try:
            return await self.saving.save(
                ScheduledMessageCreate(phone_number=e164, message=body, send_at=at))
        except ScheduleUnclear as exc:
            raise ScheduleMaybeSaved(str(exc)) from None
        except NotScheduled as exc:
            raise ScheduleRefused(str(exc)) from None

    async def update(self, item: ScheduledMessage, *, text: str | None = None,
                     at: datetime | None = None) -> ScheduledMessage:
        """Edit text and/or time (PUT); the same checks as creating."""
        _, rendered = await self._prepare(
            item.phone_number, text if text is not None else item.message, at or item.send_at)
        return await self.client.update_scheduled(item.id, ScheduledMessageUpdate(
            message=rendered if text is not None else None, send_at=at))

    async def cancel(self, scheduled_id: str) -> None:
        await self.client.delete_scheduled(scheduled_id)


def sort_rows(rows: Sequence[ScheduledRow]) -> list[ScheduledRow]:
    return sorted(rows, key=lambda r: r.item.send_at)
