"""Sending a campaign: its requests in order, each exactly once, resumable and cancellable.

``start`` writes the whole send (its requests) to the store before anything is posted; ``run``
hands the requests out one at a time. A batch (one text to up to 100 numbers) goes through the
outbox (``Outbox.enqueue_batch`` with the request's key, so a resumed send finds the same item):
the outbox posts it once and looks it up on any unclear answer. A replies typed meanwhile is
never queued behind the whole campaign, since only one batch waits in the outbox at a time.

A held recipient's text is one ``POST /message/schedule``, posted here with the same rule: an
unclear answer is looked up in ``GET /message/schedule`` before the request is posted again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError, RateLimited, TransportError, outcome_unknown
from tui.api.models import ScheduledMessageCreate
from tui.api.rate import Clock, Priority
from tui.services.campaign_report import SendReport, build_report
from tui.services.outbox import Outbox, SendRefused
from tui.services.schedule_once import find_scheduled
from tui.services.timing import Retrying, UtcNow, utc_now
from tui.store import AsyncStore, OutboxItem
from tui.store.campaign_sends import (
    CampaignRequest,
    CampaignSend,
    PlannedRequest,
    RequestCounts,
    RequestState,
    SendState,
)

log = logging.getLogger("smsdesk.campaigns")

_P = Priority.BACKGROUND
_SETTLED: Final = ("sent", "failed", "cancelled")
# How often an outbox item left 'unclear' is looked up again before the report says so.
UNCLEAR_RECHECKS: Final = 4


@dataclass(frozen=True, slots=True)
class SendProgress:
    """For a progress bar: requests done of total, recipients sent so far, seconds left."""

    send_id: str
    done: int
    total: int
    sent: int
    refused: int
    failed: int
    eta_seconds: float
    finished: bool = False
    note: str = ""


class CampaignSender(Retrying):
    """Runs campaign sends for one desk (or one CLI run) on top of its outbox."""

    def __init__(
        self,
        client: MobinitiClient,
        store: AsyncStore,
        outbox: Outbox,
        *,
        on_progress: Callable[[SendProgress], None] | None = None,
        clock: Clock | None = None,
        utcnow: UtcNow = utc_now,
        max_attempts: int = 8,
        retry_delay: float = 1.0,
        max_retry_delay: float = 30.0,
        reconcile_delay: float = 1.0,
        reconcile_window: timedelta = timedelta(minutes=2),
        seconds_per_request: float = 1.0,
        poll_interval: float = 1.0,
    ) -> None:
        self.client = client
        self.store = store
        self.outbox = outbox
        self.on_progress = on_progress
        self._pace(clock=clock, utcnow=utcnow, max_attempts=max_attempts,
                   retry_delay=retry_delay, max_retry_delay=max_retry_delay,
                   reconcile_delay=reconcile_delay)
        self.reconcile_window = reconcile_window
        self.seconds_per_request = seconds_per_request
        self.poll_interval = poll_interval
        self._cancelled: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._changed = asyncio.Event()
        outbox.listen(self._outbox_changed)

    # --- what the person does --------------------------------------------------------------

    async def start(
        self, *, name: str, template: str, audience: str, recipients: int,
        requests: Sequence[PlannedRequest], skipped: Sequence[tuple[str, str, str]] = (),
        campaign_id: str | None = None,
    ) -> CampaignSend:
        """Write the send (durable before the first POST); ``run`` then posts it."""
        keyed = [(str(uuid.uuid4()), r) for r in requests]
        return await self.store.add_campaign_send(
            send_id=str(uuid.uuid4()), name=name, template=template, audience=audience,
            recipients=recipients, requests=keyed, skipped=skipped, campaign_id=campaign_id,
            now=self.utcnow(),
        )

    def cancel(self, send_id: str) -> None:
        """Stop after the request being posted now; the rest is not sent (and reported so)."""
        self._cancelled.add(send_id)

    async def report(self, send_id: str) -> SendReport | None:
        send = await self.store.campaign_send(send_id)
        if send is None:
            return None
        items = await self.store.list_outbox(campaign_ref=send_id, limit=1_000_000)
        requests = await self.store.campaign_requests(send_id)
        # A number at a time for 10k recipients: on a thread, not in a frame of the screen.
        return await asyncio.to_thread(build_report, send, requests, {i.key: i for i in items})

    async def unfinished(self) -> list[CampaignSend]:
        return await self.store.list_campaign_sends(states=("sending",))

    async def resume_all(self) -> list[SendReport]:
        """Finish every send a crash or Ctrl+C left open (nobody is texted twice)."""
        return [await self.run(send.id) for send in await self.unfinished()]

    # --- the sender --------------------------------------------------------------------------

    async def run(self, send_id: str) -> SendReport:
        """Post the open requests of one send in order until none is left or it is cancelled."""
        lock = self._locks.setdefault(send_id, asyncio.Lock())
        async with lock:
            self._progress(send_id, await self.store.campaign_request_counts(send_id))
            while True:
                # A request already handed out is followed up even after a cancel.
                request = await self.store.next_campaign_request(
                    send_id, include_queued=send_id not in self._cancelled)
                if request is None:
                    break
                await self._wait_until_due(request)
                if request.kind == "batch":
                    await self._send_batch(request)
                else:
                    await self._process_schedule(request)
                self._progress(send_id, await self.store.campaign_request_counts(send_id))
            state: SendState = "cancelled" if send_id in self._cancelled else "done"
            self._cancelled.discard(send_id)
            await self.store.finish_campaign_send(send_id, state, now=self.utcnow())
            report = await self.report(send_id)
            assert report is not None
            self._progress(send_id, await self.store.campaign_request_counts(send_id),
                           finished=True)
            return report

    async def _wait_until_due(self, request: CampaignRequest) -> None:
        if request.next_attempt_at is None:
            return
        wait = (request.next_attempt_at - self.utcnow()).total_seconds()
        if wait > 0:
            await self.clock.sleep(wait)

    # --- batches, through the outbox -------------------------------------------------------

    async def _send_batch(self, request: CampaignRequest) -> None:
        await self.store.update_campaign_request(
            request.key, state="sending", expect=("queued", "sending"),
            attempts=max(1, request.attempts), now=self.utcnow())
        try:
            item = await self.outbox.enqueue_batch(
                request.message, request.phones, campaign_ref=request.send_id, key=request.key)
        except SendRefused as exc:
            await self.store.update_campaign_request(
                request.key, state="failed", last_error=str(exc), now=self.utcnow())
            return
        item = await self._settle(item)
        state: RequestState = ("sent" if item.state == "sent" else
                               "unclear" if item.is_unclear else "failed")
        await self.store.update_campaign_request(
            request.key, state=state, last_error=item.last_error,
            refused={p: r.reason or "refused" for p, r in item.recipients.items()
                     if r.state == "refused"},
            result_ids=[r.message_id for r in item.recipients.values() if r.message_id],
            now=self.utcnow())

    async def _settle(self, item: OutboxItem) -> OutboxItem:
        """Wait for the outbox to finish this item; look an unclear one up again (never blind)."""
        rechecks = 0
        while True:
            current = await self.outbox.get(item.key) or item
            if current.state in _SETTLED:
                return current
            if current.is_unclear:
                if rechecks >= UNCLEAR_RECHECKS:
                    return current
                rechecks += 1
                await self.clock.sleep(self._backoff(rechecks + 1))
                await self._recheck(current)
                continue
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), self.poll_interval)

    async def _recheck(self, item: OutboxItem) -> None:
        """An item the outbox could not decide: look again; act only on a clear answer."""
        undecided = [p for p in item.phones if p not in item.recipients]
        try:
            lookup = await self.outbox.reconciler.look_up(item, undecided)
        except ApiError as exc:
            log.info("campaign: recheck of %s failed (%s)", item.key, exc)
            return
        with contextlib.suppress(SendRefused):
            if lookup.decided and set(lookup.found) == set(undecided):
                await self.outbox.confirm_sent(item.key)
            elif lookup.decided and not lookup.found:
                await self.outbox.send_again(item.key)  # proven absent: nothing went out

    def _outbox_changed(self, item: OutboxItem) -> None:
        if item.kind == "batch":
            self._changed.set()

    # --- held recipients: one scheduled text each ------------------------------------------

    async def _process_schedule(self, request: CampaignRequest) -> None:
        if request.state == "sending":
            await self._reconcile(request)
            return
        sending = await self.store.update_campaign_request(
            request.key, state="sending", expect=("queued",), attempts=request.attempts + 1,
            last_error=request.last_error, now=self.utcnow(),
        )
        if sending is None:
            return
        assert sending.send_at is not None
        try:
            scheduled = await self.client.create_scheduled(ScheduledMessageCreate(
                phone_number=sending.phones[0], message=sending.message,
                send_at=sending.send_at), priority=_P)
        except ApiError as exc:
            await self._after_error(sending, exc)
            return
        await self.store.update_campaign_request(
            sending.key, state="sent", result_ids=[scheduled.id], now=self.utcnow())

    async def _after_error(self, request: CampaignRequest, exc: ApiError) -> None:
        if outcome_unknown(exc):
            await self._pause_before_lookup()
            await self._reconcile(request, str(exc))
        elif isinstance(exc, TransportError | RateLimited):
            # Provably never applied: post again later, this attempt does not count.
            wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else None
            await self._requeue(request, str(exc), attempts=request.attempts - 1, wait=wait)
        else:
            await self.store.update_campaign_request(
                request.key, state="failed", last_error=f"Not scheduled: {exc}",
                now=self.utcnow())

    async def _reconcile(self, request: CampaignRequest, error: str | None = None) -> None:
        reason = error or request.last_error
        try:
            found = await self._find_scheduled(request)
        except ApiError as exc:
            # Still unknown: stay "sending" and look again later. Never post blind.
            later = self.utcnow() + timedelta(seconds=self._backoff(request.attempts))
            await self.store.update_campaign_request(
                request.key, state="sending", last_error=f"Checking whether it was saved: {exc}",
                next_attempt_at=later, now=self.utcnow())
            return
        if found is not None:
            await self.store.update_campaign_request(
                request.key, state="sent", result_ids=[found], now=self.utcnow())
        elif request.attempts >= self.max_attempts:
            await self.store.update_campaign_request(
                request.key, state="failed", now=self.utcnow(),
                last_error=f"Not scheduled after {request.attempts} tries ({reason}).")
        else:
            await self._requeue(request, reason, attempts=request.attempts)

    async def _find_scheduled(self, request: CampaignRequest) -> str | None:
        """The server's id of this scheduled text, if it has it (same number, text and time)."""
        assert request.send_at is not None
        found = await find_scheduled(
            self.client, ScheduledMessageCreate(phone_number=request.phones[0],
                                                message=request.message, send_at=request.send_at),
            request.created_at - self.reconcile_window, priority=_P, max_pages=None, first=True)
        return found[0].id if found else None

    async def _requeue(self, request: CampaignRequest, reason: str | None, *, attempts: int,
                       wait: float | None = None) -> None:
        delay = wait if wait is not None else self._backoff(max(1, attempts))
        await self.store.update_campaign_request(
            request.key, state="queued", attempts=max(0, attempts), last_error=reason,
            next_attempt_at=self.utcnow() + timedelta(seconds=delay), now=self.utcnow())

    def _progress(self, send_id: str, counts: RequestCounts, *, finished: bool = False) -> None:
        if self.on_progress is None:
            return
        left = counts.total - counts.done
        try:
            self.on_progress(SendProgress(
                send_id, counts.done, counts.total, max(0, counts.sent - counts.refused),
                counts.refused, counts.failed,
                left * self.seconds_per_request, finished, counts.note))
        except Exception:
            log.exception("campaign: on_progress callback failed")
