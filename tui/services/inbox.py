"""The inbox poller: new inbound texts and delivery receipts into the store, at an adaptive pace.

Inbound texts are read with a ``created_at_min`` cursor (kept in the store, overlapped a few
seconds, de-duplicated by id), so a poll after a network outage catches up on everything.

Routes and paces (the account allows 1 request/second per route): the poll of new inbound
texts owns ``GET /messages`` and runs at the route's full pace while a conversation is open
and the app has the focus, slower when idle. Receipts then come one text at a time on their
own route, ``GET /messages/{id}`` (the open conversation's first), in a loop of their own; the
bulk receipt refresh on ``GET /messages`` waits until the poll is idle. Read marks use
``PUT /messages/{id}``; history is read from the store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tui.api.client import MobinitiClient
from tui.api.errors import (
    ApiError,
    Forbidden,
    NotFound,
    PaymentRequired,
    RateLimited,
    Unauthorized,
)
from tui.api.models import Message
from tui.api.rate import Clock, Priority, SystemClock
from tui.services.pages import pages_of
from tui.services.read_marks import ReadMarks
from tui.services.timing import UtcNow, Waker, utc_now
from tui.sms.compliance import classify_keyword
from tui.store import AsyncStore, StoredMessage, StoreError
from tui.store.records import from_db_time, to_db_time

log = logging.getLogger("smsdesk.inbox")

INBOX_CURSOR = "inbox.created_at_min"
# The contact comes with each text so a conversation has a name before the full contact sync.
MESSAGE_INCLUDES = ("receipt", "contact.carrier")
# How many pages of sent texts one receipt refresh may read (a campaign can be thousands).
MAX_RECEIPT_PAGES = 10
# How many texts one round of receipts reads one by one (GET /messages/{id}, 1 per second).
RECEIPTS_PER_ROUND = 5


@dataclass(frozen=True)
class CatchUp:
    """How far the first run's history has come (texts read of the server's total)."""

    texts: int
    total_texts: int
    conversations: int


@dataclass(frozen=True)
class InboxUpdate:
    """What one poll brought: texts not seen before, and every conversation that changed."""

    new_messages: tuple[StoredMessage, ...] = ()
    changed_phones: frozenset[str] = field(default_factory=frozenset)
    # History loaded on the first run: shown as it arrives, never announced as news.
    catch_up: bool = False
    # While the history loads: how far it is (None once it is all in, and for normal polls).
    progress: CatchUp | None = None

    @property
    def new_inbound(self) -> tuple[StoredMessage, ...]:
        return tuple(m for m in self.new_messages if m.direction == "incoming")

    def __bool__(self) -> bool:
        return bool(self.new_messages or self.changed_phones or self.catch_up)

    def merged(self, other: InboxUpdate) -> InboxUpdate:
        return InboxUpdate(self.new_messages + other.new_messages,
                           self.changed_phones | other.changed_phones,
                           self.catch_up or other.catch_up)


ConnectionCallback = Callable[[str, "float | None"], None]


class InboxPoller:
    """``await run()`` polls until cancelled; ``poll_once()`` is one poll (for tests)."""

    def __init__(
        self,
        client: MobinitiClient,
        store: AsyncStore,
        *,
        idle_interval: float = 10.0,
        fast_interval: float = 1.0,
        overlap: float = 5.0,
        backfill_days: int = 14,
        receipts_every: float = 5.0,
        receipts_window: timedelta = timedelta(hours=48),
        max_offline_delay: float = 60.0,
        on_update: Callable[[InboxUpdate], None] | None = None,
        on_connection: ConnectionCallback | None = None,
        on_polled: Callable[[datetime], None] | None = None,
        clock: Clock | None = None,
        utcnow: UtcNow = utc_now,
    ) -> None:
        self.client = client
        self.store = store
        self.idle_interval = max(idle_interval, fast_interval)
        self.fast_interval = fast_interval
        self.overlap = timedelta(seconds=overlap)
        self.backfill_days = backfill_days
        self.receipts_every = receipts_every
        self.receipts_window = receipts_window
        self.max_offline_delay = max_offline_delay
        self.on_update = on_update
        self.on_connection = on_connection
        self.on_polled = on_polled
        self.clock: Clock = clock or SystemClock()
        self.utcnow = utcnow
        self.read_marks = ReadMarks(client, store)
        self.focus: str | None = None
        self.app_focused = True
        self.last_poll_at: datetime | None = None  # wall clock of the last successful poll
        self.interval = self.idle_interval
        self.connection: str | None = None  # "online" | "offline" | "refused"
        self.last_error: str | None = None
        self._offline_delay = 0.0
        self._receipts_at = float("-inf")
        self._waker = Waker(self.clock)
        self._receipts_waker = Waker(self.clock)

    # --- what the UI tells us -------------------------------------------------------------

    @property
    def fast(self) -> bool:
        """Full pace: a conversation is open and the app has the terminal's focus."""
        return self.focus is not None and self.app_focused

    def set_focus(self, phone: str | None) -> None:
        """A conversation is open (poll every ~second) or closed (slow down again)."""
        self.focus = phone
        self._hurry()

    def set_app_focus(self, focused: bool) -> None:
        """The terminal gave the app its focus, or took it away (the poll slows down)."""
        self.app_focused = focused
        self._hurry()

    def _hurry(self) -> None:
        if self.fast:
            self.interval = self.fast_interval
            self._waker.wake()
            self._receipts_waker.wake()

    def wake(self) -> None:
        """Poll now."""
        self._waker.wake()

    async def mark_read(self, phone: str) -> int:
        return await self.read_marks.mark_read(phone)

    async def mark_unread(self, phone: str) -> bool:
        return await self.read_marks.mark_unread(phone)

    # --- polling --------------------------------------------------------------------------

    async def run(self) -> None:
        """Poll until cancelled (two loops: inbound texts, receipts); trouble only slows it."""
        async with asyncio.TaskGroup() as loops:
            loops.create_task(self._poll_loop())
            loops.create_task(self._receipt_loop())

    async def _poll_loop(self) -> None:
        while True:
            started = self.clock.monotonic()
            delay = await self.tick()
            # The pace counts from the start of a poll: one poll per interval at full pace.
            await self._waker.sleep(max(0.0, delay - (self.clock.monotonic() - started)))

    async def _receipt_loop(self) -> None:
        while True:
            if self.fast:
                try:
                    self._emit(await self.refresh_receipts_one_by_one())
                except ApiError as exc:
                    log.info("inbox: receipts: %s", exc)
            # Idle: the poll's bulk refresh reads them; this loop sleeps until hurried.
            await self._receipts_waker.sleep(self.receipts_every if self.fast else None)

    async def tick(self) -> float:
        """One poll with errors handled and reported; returns seconds until the next one."""
        try:
            update = await self.poll_once()
        except StoreError as exc:  # already told to the person by the store; try again later
            self.last_error = str(exc)
            log.warning("inbox: poll could not be saved: %s", exc)
            return self.max_offline_delay
        except (Unauthorized, Forbidden, PaymentRequired) as exc:
            self.last_error = str(exc)
            log.warning("inbox: %s", exc)
            self._report("refused", self.max_offline_delay)
            return self.max_offline_delay
        except ApiError as exc:
            self.last_error = str(exc)
            log.info("inbox: poll failed: %s", exc)
            base = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else 0.0
            self._offline_delay = min(
                self.max_offline_delay, max(self.fast_interval, base, self._offline_delay * 2)
            )
            self._report("offline", self._offline_delay)
            return self._offline_delay
        self._offline_delay = 0.0
        self.last_error = None
        self._report("online", None)
        await self._send_waiting_marks()
        self._polled()
        if self.fast or update.new_inbound:
            self.interval = self.fast_interval
        else:
            self.interval = min(self.idle_interval, self.interval * 2)
        return self.interval

    async def _send_waiting_marks(self) -> None:
        """Read marks made while offline, now that the server answers."""
        try:
            await self.read_marks.flush()
        except ApiError as exc:
            log.info("inbox: read marks wait: %s", exc)

    def _report(self, state: str, retry_in: float | None) -> None:
        if state == self.connection and state == "online":
            return
        self.connection = state
        if self.on_connection is not None:
            try:
                self.on_connection(state, retry_in)
            except Exception:
                log.exception("inbox: on_connection callback failed")

    def _polled(self) -> None:
        self.last_poll_at = self.utcnow()
        if self.on_polled is not None:
            try:
                self.on_polled(self.last_poll_at)
            except Exception:
                log.exception("inbox: on_polled callback failed")

    def _emit(self, update: InboxUpdate) -> None:
        if update and self.on_update is not None:
            try:
                self.on_update(update)
            except Exception:
                log.exception("inbox: on_update callback failed")

    async def poll_once(self) -> InboxUpdate:
        """New inbound texts since the cursor (and due receipts). Raises ``ApiError``."""
        cursor = from_db_time(await self.store.get_cursor(INBOX_CURSOR))
        if cursor is None:
            update = await self.backfill()
        else:
            update = await self._read_inbound(cursor - self.overlap, cursor)
        now = self.clock.monotonic()
        # The bulk refresh shares GET /messages with this poll: it waits while the poll runs at
        # full pace (then receipts come one by one on GET /messages/{id}).
        if not self.fast and now - self._receipts_at >= self.receipts_every:
            update = update.merged(await self.refresh_receipts())
            self._receipts_at = now
        self._emit(update)
        return update

    async def _read_inbound(
        self, since: datetime, newest: datetime | None, *, show_each_page: bool = False
    ) -> InboxUpdate:
        update = InboxUpdate()
        texts = 0
        phones: set[str] = set()
        async with pages_of(
            self.client.list_messages, filters={"type": "INCOMING_ALL", "created_at_min": since},
            include=MESSAGE_INCLUDES, sort="created_at", priority=Priority.BACKGROUND,
        ) as pages:
            async for page in pages:
                saved = await self._save(page.data)
                update = update.merged(saved)
                if show_each_page:  # a first run shows history page by page, not at the end
                    texts += len(page.data)
                    phones.update(m.phone_number for m in page.data)
                    pagination = page.meta.pagination
                    total = max(texts, pagination.total if pagination else texts)
                    self._emit(InboxUpdate(saved.new_messages, saved.changed_phones, True,
                                           CatchUp(texts, total, len(phones))))
                for message in page.data:
                    if newest is None or message.created_at > newest:
                        newest = message.created_at
                # Saved per page: a poll cut off by the network resumes where it got to.
                if newest is not None:
                    await self.store.set_cursor(INBOX_CURSOR, to_db_time(newest))
        return update

    async def _save(self, messages: list[Message]) -> InboxUpdate:
        contacts = {m.contact.id: m.contact for m in messages if m.contact is not None}
        if contacts:
            await self.store.upsert_contacts(list(contacts.values()))
        result = await self.store.store_messages(messages)
        await self._apply_keywords(result.new)
        return InboxUpdate(result.new, result.changed_phones)

    async def _apply_keywords(self, messages: Iterable[StoredMessage]) -> None:
        for message in messages:
            if message.direction != "incoming":
                continue
            kind = classify_keyword(message.body)
            if kind == "opt_out":
                await self.store.set_opted_out(message.phone, True, at=message.created_at)
            elif kind == "opt_in":
                await self.store.set_opted_out(message.phone, False, at=message.created_at)
            elif kind == "help":
                await self.store.add_badge(message.phone, "HELP")

    async def backfill(self, days: int | None = None) -> InboxUpdate:
        """First run: the last ``days`` of texts, inbound then our side of those conversations."""
        since = self.utcnow() - timedelta(days=self.backfill_days if days is None else days)
        update = await self._read_inbound(since, None, show_each_page=True)
        if await self.store.get_cursor(INBOX_CURSOR) is None:
            await self.store.set_cursor(INBOX_CURSOR, to_db_time(since))
        talked_to = {m.phone for m in update.new_messages}
        async with pages_of(
            self.client.list_messages, filters={"type": "OUTGOING_ALL", "created_at_min": since},
            include=MESSAGE_INCLUDES, sort="created_at", priority=Priority.BACKGROUND,
        ) as pages:
            async for page in pages:
                # Campaign blasts are not conversations: keep only texts to people who wrote.
                known = [m for m in page.data if m.phone_number in talked_to
                         or await self.store.conversation(m.phone_number) is not None]
                if known:
                    update = update.merged(await self._save(known))
        return InboxUpdate(update.new_messages, update.changed_phones, catch_up=True)

    async def refresh_receipts(self) -> InboxUpdate:
        """Fresh delivery receipts for our recent texts that are still on their way."""
        oldest = await self.store.oldest_undelivered_at(self.utcnow() - self.receipts_window)
        if oldest is None:
            return InboxUpdate()
        changed: set[str] = set()
        async with pages_of(
            self.client.list_messages,
            filters={"type": "OUTGOING_ALL", "created_at_min": oldest - timedelta(seconds=1)},
            include=MESSAGE_INCLUDES, sort="created_at", priority=Priority.BACKGROUND,
        ) as pages:
            count = 0
            async for page in pages:
                known = [m for m in page.data
                         if await self.store.conversation(m.phone_number) is not None]
                if known:
                    changed |= (await self.store.store_messages(known)).changed_phones
                count += 1
                if count >= MAX_RECEIPT_PAGES:
                    break
        return InboxUpdate((), frozenset(changed))

    async def refresh_receipts_one_by_one(self) -> InboxUpdate:
        """Receipts of up to RECEIPTS_PER_ROUND texts still on their way, the open
        conversation's first, each read on its own route (``GET /messages/{id}``)."""
        since = self.utcnow() - self.receipts_window
        ids = await self.store.undelivered_ids(self.focus, since, limit=RECEIPTS_PER_ROUND)
        changed: set[str] = set()
        for message_id in ids:
            try:
                message = await self.client.get_message(
                    message_id, include=MESSAGE_INCLUDES, priority=Priority.BACKGROUND
                )
            except NotFound:  # gone from the server: nothing more will come for it
                continue
            changed |= (await self.store.store_messages([message])).changed_phones
        return InboxUpdate((), frozenset(changed))
