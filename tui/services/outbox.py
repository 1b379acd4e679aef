"""The outbox: every text goes out exactly once, even across timeouts, 5xx and ``kill -9``.

A send is written to the store first (state ``queued``, a fresh client key), then posted with the
key in ``metadata.smsdesk_key``. When the outcome is unclear (the request may have reached the
server) the item stays ``sending`` and is reconciled with ``GET /messages`` before any retry; a
retry happens only after that lookup proved the text absent.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Final

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError, RateLimited, TransportError, ValidationFailed
from tui.api.models import Message, MessageCreate
from tui.api.rate import Clock, Priority, SystemClock
from tui.services.pages import pages_of
from tui.services.timing import UtcNow, Waker, utc_now
from tui.store import AsyncStore, OutboxItem, StoreError
from tui.store.records import phone_digits

log = logging.getLogger("smsdesk.outbox")

__all__ = ["Outbox", "OutboxItem", "SendRefused"]

KEY_FIELD: Final = "smsdesk_key"
# Seconds between looks at the queue while the local database fails (disk full, locked…).
STORE_TROUBLE_PAUSE: Final = 5.0
_E164: Final = re.compile(r"^\+[1-9]\d{6,14}$")
_UNSUBSCRIBED_WORDS: Final = ("unsubscribed", "opted out", "opt-out", "opted-out")
_OPTED_OUT: Final = (
    "This number opted out (STOP); it cannot be texted until it sends START."
)


class SendRefused(ValueError):
    """A text that must not (or cannot) be sent; the message says why and what to do."""


def _unclear(exc: ApiError) -> bool:
    """The server may have applied the request: only a lookup can tell."""
    if isinstance(exc, TransportError):
        return exc.maybe_sent
    return exc.maybe_sent or exc.status >= 500


def _says_unsubscribed(exc: ApiError) -> bool:
    texts = [exc.message, *(m for msgs in exc.errors.values() for m in msgs)]
    return any(word in t.lower() for t in texts for word in _UNSUBSCRIBED_WORDS)


class Outbox:
    """``enqueue`` from the UI; ``await run()`` sends in the background until cancelled."""

    def __init__(
        self,
        client: MobinitiClient,
        store: AsyncStore,
        *,
        on_change: Callable[[OutboxItem], None] | None = None,
        clock: Clock | None = None,
        utcnow: UtcNow = utc_now,
        max_attempts: int = 3,
        retry_delay: float = 2.0,
        max_retry_delay: float = 300.0,
        reconcile_delay: float = 2.0,
        reconcile_window: timedelta = timedelta(minutes=2),
        max_reconcile_pages: int = 5,
    ) -> None:
        self.client = client
        self.store = store
        self.on_change = on_change
        self.clock: Clock = clock or SystemClock()
        self.utcnow = utcnow
        self.max_attempts = max(1, max_attempts)
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.reconcile_delay = reconcile_delay
        self.reconcile_window = reconcile_window
        self.max_reconcile_pages = max_reconcile_pages
        self._waker = Waker(self.clock)
        self._lock = asyncio.Lock()
        self._offline_streak = 0

    # --- what the person does --------------------------------------------------------------

    async def enqueue(self, phone: str, body: str, contact_id: str | None = None) -> OutboxItem:
        """Write the text to the outbox (durable before anything is posted) and wake the sender.

        Raises ``SendRefused`` for an empty text, a malformed number or an opted-out number.
        """
        if not body.strip():
            raise SendRefused("The text is empty; type something to send.")
        if not _E164.match(phone):
            raise SendRefused(
                f"{phone!r} is not a full international number (like +16502530000); "
                "check the number."
            )
        conversation = await self.store.conversation(phone)
        contact = await self.store.contact_by_phone(phone)
        if (conversation is not None and conversation.opted_out) or (
            conversation is None and contact is not None and not contact.subscribed
        ):
            raise SendRefused(_OPTED_OUT)
        if contact_id is None and contact is not None:
            contact_id = contact.id
        item = await self.store.add_outbox(
            key=str(uuid.uuid4()), phone=phone, body=body, contact_id=contact_id,
            created_at=self.utcnow(),
        )
        self._changed(item)
        self._waker.wake()
        return item

    async def retry(self, key: str) -> OutboxItem:
        """Send a failed text again (the person asked; the attempt count starts over)."""
        item = await self.store.update_outbox(
            key, state="queued", expect=("failed",), attempts=0, last_error=None,
            next_attempt_at=None, now=self.utcnow(),
        )
        if item is None:
            raise SendRefused(await self._why_not(key, "retried"))
        self._changed(item)
        self._waker.wake()
        return item

    async def discard(self, key: str) -> OutboxItem:
        """Drop a queued or failed text; one being sent right now cannot be discarded."""
        item = await self.store.cancel_outbox(key, now=self.utcnow())
        if item is None:
            raise SendRefused(await self._why_not(key, "discarded"))
        self._changed(item)
        return item

    async def _why_not(self, key: str, verb: str) -> str:
        item = await self.store.get_outbox(key)
        if item is None:
            return "That text is no longer in the outbox."
        if item.state == "sending":
            return f"That text is being sent right now and cannot be {verb}."
        return f"That text is {item.state} and cannot be {verb}."

    def wake(self) -> None:
        self._waker.wake()

    # --- the sender --------------------------------------------------------------------------

    async def run(self) -> None:
        """Send until cancelled. Items left ``sending`` by a crash are reconciled first."""
        while True:
            try:
                await self.process_due()
            except Exception:  # the sender must outlive any single bad item
                log.exception("outbox: pass failed")
            try:
                delay = await self._seconds_to_next()
            except StoreError:  # reported by the store; look again in a while
                delay = STORE_TROUBLE_PAUSE
            await self._waker.sleep(delay)

    async def _seconds_to_next(self) -> float | None:
        pending = await self.store.list_pending_outbox()
        if not pending:
            return None
        now = self.utcnow()
        waits = [
            (i.next_attempt_at - now).total_seconds() if i.next_attempt_at else 0.0
            for i in pending
        ]
        # Never spin: even an item that is due again waits a moment.
        return max(0.5, min(waits))

    async def process_due(self) -> list[OutboxItem]:
        """One pass over queued/sending items that are due; returns their new states."""
        async with self._lock:
            handled: list[OutboxItem] = []
            now = self.utcnow()
            for item in await self.store.list_pending_outbox():
                if item.next_attempt_at is not None and item.next_attempt_at > now:
                    continue
                result, offline = await self._process(item)
                if result is not None:
                    handled.append(result)
                if offline:
                    break  # the network is down: the rest waits for the next pass
            return handled

    async def _process(self, item: OutboxItem) -> tuple[OutboxItem | None, bool]:
        if item.state == "sending":
            # Unclear outcome, or we died mid-POST: look before sending again.
            return await self._reconcile(item)
        sending = await self.store.update_outbox(
            item.key, state="sending", expect=("queued",), attempts=item.attempts + 1,
            now=self.utcnow(),
        )
        if sending is None:
            return None, False  # discarded meanwhile
        self._changed(sending)
        try:
            message = await self.client.send_message(
                MessageCreate(phone_number=sending.phone, message=sending.body,
                              metadata={KEY_FIELD: sending.key}),
                priority=Priority.INTERACTIVE,
            )
        except ApiError as exc:
            return await self._after_error(sending, exc)
        self._offline_streak = 0
        return await self._sent(sending, message), False

    async def _after_error(self, item: OutboxItem, exc: ApiError) -> tuple[OutboxItem | None, bool]:
        if _unclear(exc):
            log.info("outbox: %s unclear (%s); reconciling", item.key, type(exc).__name__)
            noted = await self.store.update_outbox(item.key, last_error=str(exc),
                                                   now=self.utcnow())
            if self.reconcile_delay > 0:
                await self.clock.sleep(self.reconcile_delay)
            return await self._reconcile(noted or item)
        if isinstance(exc, TransportError | RateLimited):
            # Provably never applied: safe to send again later, no lookup needed.
            wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else None
            return await self._requeue(item, str(exc), attempts=item.attempts - 1,
                                       offline=isinstance(exc, TransportError), wait=wait)
        if isinstance(exc, ValidationFailed) and _says_unsubscribed(exc):
            await self.store.set_opted_out(item.phone, True, at=self.utcnow())
            return await self._fail(item, f"Not sent: {_OPTED_OUT}"), False
        return await self._fail(item, f"Not sent: {exc}"), False

    async def _reconcile(self, item: OutboxItem) -> tuple[OutboxItem | None, bool]:
        try:
            found = await self.find_sent(item)
        except ApiError as exc:
            # Still unknown: stay "sending" and look again later. Never post blind.
            self._offline_streak += 1
            later = self.utcnow() + timedelta(seconds=self._backoff(self._offline_streak))
            noted = await self.store.update_outbox(
                item.key, last_error=f"Checking whether it was sent: {exc}",
                next_attempt_at=later, now=self.utcnow(),
            )
            if noted is not None:
                self._changed(noted)
            return noted, True
        self._offline_streak = 0
        if found is not None:
            log.info("outbox: %s found on the server as %s", item.key, found.id)
            return await self._sent(item, found), False
        if item.attempts >= self.max_attempts:
            reason = item.last_error or "the server did not confirm it"
            return await self._fail(
                item, f"Not sent after {item.attempts} tries ({reason}). The server has no "
                "copy, so nothing went out; retry when the connection is better."
            ), False
        return await self._requeue(item, item.last_error, attempts=item.attempts)

    async def find_sent(self, item: OutboxItem) -> Message | None:
        """The server's copy of this text, if it has one (by our key, else by text and time)."""
        since = item.created_at - self.reconcile_window
        candidates: list[Message] = []
        async with pages_of(
            self.client.list_messages,
            filters={"phone_number": item.phone, "type": "OUTGOING_ALL", "created_at_min": since},
            sort="created_at", include=("receipt",), priority=Priority.INTERACTIVE,
        ) as pages:
            count = 0
            async for page in pages:
                for message in page.data:
                    if message.metadata.get(KEY_FIELD) == item.key:
                        return message
                    candidates.append(message)
                count += 1
                if count >= self.max_reconcile_pages:
                    break
        if any(KEY_FIELD in m.metadata for m in candidates):
            return None  # the server echoes our keys, and none is ours: provably absent
        for message in candidates:
            if (
                phone_digits(message.phone_number) == phone_digits(item.phone)
                and message.message == item.body
                and message.created_at >= since
                and not await self.store.message_claimed_by_other(message.id, item.key)
            ):
                return message
        return None

    # --- state changes -----------------------------------------------------------------------

    async def _sent(self, item: OutboxItem, message: Message) -> OutboxItem | None:
        done = await self.store.outbox_sent(item.key, message, now=self.utcnow())
        if done is not None:
            self._changed(done)
        return done

    async def _fail(self, item: OutboxItem, reason: str) -> OutboxItem | None:
        log.warning("outbox: %s failed: %s", item.key, reason)
        failed = await self.store.update_outbox(
            item.key, state="failed", last_error=reason, next_attempt_at=None, now=self.utcnow()
        )
        if failed is not None:
            self._changed(failed)
        return failed

    async def _requeue(
        self, item: OutboxItem, reason: str | None, *, attempts: int, offline: bool = False,
        wait: float | None = None,
    ) -> tuple[OutboxItem | None, bool]:
        self._offline_streak = self._offline_streak + 1 if offline else 0
        delay = wait if wait is not None else self._backoff(max(attempts, self._offline_streak))
        queued = await self.store.update_outbox(
            item.key, state="queued", attempts=max(0, attempts), last_error=reason,
            next_attempt_at=self.utcnow() + timedelta(seconds=delay), now=self.utcnow(),
        )
        if queued is not None:
            self._changed(queued)
        return queued, offline

    def _backoff(self, step: int) -> float:
        return float(min(self.max_retry_delay, self.retry_delay * 2 ** max(0, step - 1)))

    def _changed(self, item: OutboxItem) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(item)
        except Exception:
            log.exception("outbox: on_change callback failed")
