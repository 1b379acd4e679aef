"""The outbox: every text goes out exactly once, even across timeouts, 5xx and ``kill -9``.

A send is written to the store first (state ``queued``, a fresh client key), then posted with the
key in ``metadata.smsdesk_key``. A reply is one ``POST /message``; a batch entry (one text to up
to 100 numbers, for campaigns) is one ``POST /message/batch``. When the outcome is unclear (the
request may have reached the server) the item stays ``sending`` and is looked up in
``GET /messages`` (``tui.services.reconcile``) before anything else: it is sent again only when
the lookup proved it absent; when the lookup cannot decide, the item becomes ``unclear`` and
waits for the person (``confirm_sent`` / ``send_again``). The process sending an item holds a
lease on it, so no other process reconciles it meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Final

from tui.api.client import MobinitiClient
from tui.api.errors import (
    ApiError,
    RateLimited,
    TransportError,
    UnreadableResponse,
    ValidationFailed,
    outcome_unknown,
)
from tui.api.limits import MAX_MESSAGE_BATCH
from tui.api.models import Message, MessageCreate
from tui.api.rate import Clock, Priority
from tui.services.outbox_batch import BatchSending
from tui.services.outbox_choices import PersonChoices, SendRefused
from tui.services.outbox_lanes import LANES, Lanes, owner_id, owner_is_gone
from tui.services.reconcile import KEY_FIELD, Reconciler
from tui.services.timing import Retrying, UtcNow, Waker, utc_now
from tui.store import AsyncStore, OutboxItem

log = logging.getLogger("smsdesk.outbox")

__all__ = ["KEY_FIELD", "Outbox", "OutboxItem", "SendRefused"]

# Seconds between looks at the queue while the local database fails (disk full, locked…).
_E164: Final = re.compile(r"^\+[1-9]\d{6,14}$")
_UNSUBSCRIBED_WORDS: Final = ("unsubscribed", "opted out", "opt-out", "opted-out")
_OPTED_OUT: Final = (
    "This number opted out (STOP); it cannot be texted until it sends START."
)
OutboxListener = Callable[[OutboxItem], None]


def _says_unsubscribed(exc: ApiError) -> bool:
    texts = [exc.message, *(m for msgs in exc.errors.values() for m in msgs)]
    return any(word in t.lower() for t in texts for word in _UNSUBSCRIBED_WORDS)


class Outbox(Lanes, BatchSending, PersonChoices, Retrying):
    """``enqueue`` / ``enqueue_batch`` from the UI or a service; ``await run()`` sends them."""

    def __init__(
        self,
        client: MobinitiClient,
        store: AsyncStore,
        *,
        on_change: OutboxListener | None = None,
        clock: Clock | None = None,
        utcnow: UtcNow = utc_now,
        max_attempts: int = 3,
        retry_delay: float = 2.0,
        max_retry_delay: float = 300.0,
        reconcile_delay: float = 2.0,
        max_lookup_failures: int = 5,
        max_reconcile_pages: int = 5,
        lease_seconds: float = 60.0,
    ) -> None:
        self.client = client
        self.store = store
        self.on_change = on_change
        self._pace(clock=clock, utcnow=utcnow, max_attempts=max_attempts,
                   retry_delay=retry_delay, max_retry_delay=max_retry_delay,
                   reconcile_delay=reconcile_delay)
        self.max_lookup_failures = max(1, max_lookup_failures)
        self.lease = timedelta(seconds=lease_seconds)
        self.owner = owner_id()
        self.reconciler = Reconciler(client, store, max_pages=max_reconcile_pages,
                                     utcnow=self.utcnow)
        self._listeners: list[OutboxListener] = []
        # Lookups of unclear sends and posts of queued texts each run in a loop of their own.
        self._wakers = {lane: Waker(self.clock) for lane in LANES}
        self._locks = {lane: asyncio.Lock() for lane in LANES}
        self._handling: set[str] = set()
        self._offline_streak = 0
        self._lookup_failures: dict[str, int] = {}

    # --- what the person (or a campaign) does ----------------------------------------------

    async def enqueue(self, phone: str, body: str, contact_id: str | None = None, *,
                      replaces_draft: bool = False) -> OutboxItem:
        """Write the text to the outbox (durable before anything is posted) and wake the sender.

        ``replaces_draft``: the reply box's text is being sent; its draft goes in the same write.

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
            created_at=self.utcnow(), replaces_draft=replaces_draft,
        )
        self._changed(item)
        self.wake()
        return item

    async def enqueue_batch(
        self, body: str, phones: Sequence[str], *, campaign_ref: str | None = None,
        key: str | None = None,
    ) -> OutboxItem:
        """One text to 1..100 numbers as one ``POST /message/batch``, sent exactly once.

        ``key`` makes it idempotent (the same key again returns the existing item). Outcome per
        number in ``item.recipients`` (through ``listen``/``on_change``). Raises ``SendRefused``.
        """
        if not body.strip():
            raise SendRefused("The text is empty; type something to send.")
        numbers = list(dict.fromkeys(phones))
        if not numbers:
            raise SendRefused("The batch has no phone numbers.")
        if len(numbers) > MAX_MESSAGE_BATCH:
            raise SendRefused(f"A batch holds at most {MAX_MESSAGE_BATCH} numbers, not "
                              f"{len(numbers)}; split it.")
        bad = [p for p in numbers if not _E164.match(p)]
        if bad:
            raise SendRefused(f"{bad[0]!r} is not a full international number (like "
                              "+16502530000); check the number.")
        item = await self.store.add_outbox_batch(
            key=key or str(uuid.uuid4()), phones=numbers, body=body, campaign_ref=campaign_ref,
            created_at=self.utcnow(),
        )
        self._changed(item)
        self.wake()
        return item

    async def get(self, key: str) -> OutboxItem | None:
        return await self.store.get_outbox(key)

    def listen(self, listener: OutboxListener) -> None:
        """Call ``listener(item)`` on every change of any item (besides ``on_change``)."""
        self._listeners.append(listener)

    def wake(self) -> None:
        for waker in self._wakers.values():
            waker.wake()

    # --- the sender --------------------------------------------------------------------------

    async def _process(self, item: OutboxItem) -> tuple[OutboxItem | None, bool]:
        now = self.utcnow()
        if item.state == "sending":
            # Unclear outcome, or we died mid-POST: look before sending again — unless another
            # process holds the lease (it may still be sending it).
            # A holder that died (kill -9) cannot be posting it: take its lease over at once.
            holder = item.lease_owner
            taker = holder if holder and owner_is_gone(holder) else self.owner
            leased = await self.store.update_outbox(
                item.key, expect=("sending",), lease=(self.owner, now + self.lease),
                leasable_by=(taker, now), now=now,
            )
            if leased is None:
                return None, False
            return await self._reconcile(leased)
        first = item.posted_at is None
        sending = await self.store.update_outbox(
            item.key, state="sending", expect=("queued",), attempts=item.attempts + 1,
            lease=(self.owner, now + self.lease), leasable_by=(self.owner, now),
            posted_at=now if first else item.posted_at,
            server_offset=self.client.server_clock.offset_from(now) if first
            else item.server_offset,
            now=now,
        )
        if sending is None:
            return None, False  # discarded meanwhile, or another process has it
        self._changed(sending)
        try:
            if sending.kind == "batch":
                return await self._post_batch(sending), False
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
        if isinstance(exc, UnreadableResponse) and exc.maybe_sent:
            log.info("outbox: %s answer unreadable; reconciling", item.key)
            return await self._reconcile_later(item, str(exc))
        if outcome_unknown(exc):
            log.info("outbox: %s unclear (%s); reconciling", item.key, type(exc).__name__)
            return await self._reconcile_later(item, str(exc))
        if isinstance(exc, TransportError | RateLimited):
            # Provably never applied: safe to send again later, no lookup needed.
            wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else None
            return await self._requeue(item, str(exc), attempts=item.attempts - 1,
                                       offline=isinstance(exc, TransportError), wait=wait)
        if item.kind == "batch" and isinstance(exc, ValidationFailed):
            return await self._batch_refused(item, exc), False
        if isinstance(exc, ValidationFailed) and _says_unsubscribed(exc):
            await self.store.set_opted_out(item.phone, True, at=self.utcnow())
            return await self._fail(item, f"Not sent: {_OPTED_OUT}"), False
        return await self._fail(item, f"Not sent: {exc}"), False

    async def _reconcile_later(self, item: OutboxItem, reason: str
                               ) -> tuple[OutboxItem | None, bool]:
        """Look it up once the server has had ``reconcile_delay`` to list it: the item stays
        ``sending`` (lease kept) and the queue goes on meanwhile (a pass picks it up when due)."""
        if self.reconcile_delay <= 0:
            noted = await self.store.update_outbox(item.key, last_error=reason, now=self.utcnow())
            return await self._reconcile(noted or item)
        now = self.utcnow()
        noted = await self.store.update_outbox(
            item.key, last_error=reason, lease=(self.owner, now + self.lease),
            next_attempt_at=now + timedelta(seconds=self.reconcile_delay), now=now)
        if noted is not None:
            self._changed(noted)
        return noted, False

    async def _reconcile(self, item: OutboxItem) -> tuple[OutboxItem | None, bool]:
        numbers = [p for p in item.numbers if p not in item.recipients]
        try:
            lookup = await self.reconciler.look_up(item, numbers)
        except ApiError as exc:  # unreadable lists too: a GET is safe to repeat
            return await self._lookup_failed(item, exc)
        self._offline_streak = 0
        self._lookup_failures.pop(item.key, None)
        if item.kind == "batch":
            return await self._batch_outcome(item, lookup, numbers), False
        if item.phone in lookup.found:
            found = lookup.found[item.phone]
            log.info("outbox: %s found on the server as %s", item.key, found.id)
            return await self._sent(item, found), False
        if lookup.unclear:
            return await self._mark_unclear(item, lookup.unclear[item.phone], lookup.seen), False
        if item.attempts >= self.max_attempts:
            reason = item.last_error or "the server did not confirm it"
            return await self._fail(
                item, f"Not sent after {item.attempts} tries ({reason}). The server has no "
                "copy, so nothing went out; retry when the connection is better."
            ), False
        # Proven absent by an answer the server just gave: post it again now (the rate limit
        # paces it). A back-off here only left the send route idle while the server answered.
        again = await self._requeue(item, item.last_error, attempts=item.attempts, wait=0.0)
        self._wakers["posts"].wake()
        return again

    async def _lookup_failed(self, item: OutboxItem, exc: ApiError
                             ) -> tuple[OutboxItem | None, bool]:
        failures = self._lookup_failures.get(item.key, 0) + 1
        self._lookup_failures[item.key] = failures
        if failures >= self.max_lookup_failures:
            self._lookup_failures.pop(item.key, None)
            return await self._mark_unclear(
                item, f"smsdesk could not check with the server {failures} times ({exc})"), False
        # Still unknown: stay "sending" (lease kept) and look again later. Never post blind.
        # Only an unreachable server stops the pass; a 5xx or a cut answer is this lookup's.
        offline = isinstance(exc, TransportError) and not exc.maybe_sent
        if offline:
            self._offline_streak += 1
        now = self.utcnow()
        noted = await self.store.update_outbox(
            item.key, last_error=f"Checking whether it was sent: {exc}",
            next_attempt_at=now + timedelta(
                seconds=self._backoff(max(failures, self._offline_streak))),
            lease=(self.owner, now + self.lease), now=now,
        )
        if noted is not None:
            self._changed(noted)
        return noted, offline

    # --- state changes -----------------------------------------------------------------------

    async def _sent(self, item: OutboxItem, message: Message) -> OutboxItem | None:
        self.client.server_clock.observe_time(message.created_at)
        done = await self.store.outbox_sent(item.key, message, now=self.utcnow())
        if done is None:
            # The server answered with another number or text: never attach it to this reply.
            return await self._mark_unclear(
                item, "the server answered with a different text or number", (message,))
        self._changed(done)
        return done

    async def _mark_unclear(self, item: OutboxItem, why: str,
                            seen: Sequence[Message] = ()) -> OutboxItem | None:
        found = ""
        if seen:
            shown = "; ".join(f"{m.created_at:%Y-%m-%d %H:%M} UTC to {m.phone_number}"
                              for m in seen[:3])
            found = f" Found on the server: {len(seen)} similar text(s) ({shown})."
        reason = (f"Maybe sent: {why}.{found} Check with the recipient, then choose "
                  "'it went out' or 'send again'.")
        log.warning("outbox: %s unclear: %s", item.key, why)
        unclear = await self.store.update_outbox(
            item.key, state="unclear", last_error=reason, next_attempt_at=None,
            lease=(None, None), now=self.utcnow())
        if unclear is not None:
            self._changed(unclear)
        return unclear

    async def _fail(self, item: OutboxItem, reason: str) -> OutboxItem | None:
        log.warning("outbox: %s failed: %s", item.key, reason)
        failed = await self.store.update_outbox(
            item.key, state="failed", last_error=reason, next_attempt_at=None,
            lease=(None, None), now=self.utcnow()
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
            next_attempt_at=self.utcnow() + timedelta(seconds=delay), lease=(None, None),
            now=self.utcnow(),
        )
        if queued is not None:
            self._changed(queued)
        return queued, offline

    def _changed(self, item: OutboxItem) -> None:
        for listener in [self.on_change, *self._listeners]:
            if listener is None:
                continue
            try:
                listener(item)
            except Exception:
                log.exception("outbox: a change listener failed")
