"""Sending a campaign: every request posted exactly once, resumable, cancellable between requests.

``start`` writes the whole send (its requests) to the store before anything is posted; ``run``
posts the requests in order. An unclear outcome (timeout after the request left, 5xx, a cut
answer) is never retried blind: the server is asked first (``GET /messages`` for a batch by our
key, ``GET /message/schedule`` for a scheduled text) and the request is posted again only when
the lookup proves it absent. A send cut off by Ctrl+C, kill or a lost network is picked up by
``resume``; requests left ``sending`` are looked up first, like any unclear outcome.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError, RateLimited, TransportError, ValidationFailed
from tui.api.models import BatchItem, MessageBatchCreate, ScheduledMessageCreate
from tui.api.rate import Clock, Priority, SystemClock
from tui.services.campaign_report import SendReport, build_report
from tui.services.pages import pages_of
from tui.services.timing import UtcNow, utc_now
from tui.store import AsyncStore
from tui.store.campaign_sends import (
    CampaignRequest,
    CampaignSend,
    PlannedRequest,
    RequestCounts,
    SendState,
)
from tui.store.records import phone_digits

log = logging.getLogger("smsdesk.campaigns")

KEY_FIELD: Final = "smsdesk_key"
# "messages.3.phone_number" (a personalised batch) or "phone_numbers.3" (one text, many numbers)
_ITEM_ERROR: Final = re.compile(r"^(?:messages|phone_numbers)\.(\d+)")
_P = Priority.BACKGROUND


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


def _unclear(exc: ApiError) -> bool:
    if isinstance(exc, TransportError):
        return exc.maybe_sent
    return exc.maybe_sent or exc.status >= 500


class CampaignSender:
    """Posts the requests of campaign sends; one instance per desk (or per CLI run)."""

    def __init__(
        self,
        client: MobinitiClient,
        store: AsyncStore,
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
    ) -> None:
        self.client = client
        self.store = store
        self.on_progress = on_progress
        self.clock: Clock = clock or SystemClock()
        self.utcnow = utcnow
        self.max_attempts = max(1, max_attempts)
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.reconcile_delay = reconcile_delay
        self.reconcile_window = reconcile_window
        self.seconds_per_request = seconds_per_request
        self._cancelled: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}

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
        return build_report(send, await self.store.campaign_requests(send_id))

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
                # Unclear ones are settled even after a cancel: they may have gone out.
                request = await self.store.next_campaign_request(
                    send_id, include_queued=send_id not in self._cancelled)
                if request is None:
                    break
                await self._wait_until_due(request)
                await self._process(request)
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

    async def _process(self, request: CampaignRequest) -> None:
        if request.state == "sending":
            await self._reconcile(request)
            return
        sending = await self.store.update_campaign_request(
            request.key, state="sending", expect=("queued",), attempts=request.attempts + 1,
            last_error=request.last_error, now=self.utcnow(),
        )
        if sending is None:
            return
        try:
            ids = await self._post(sending)
        except ApiError as exc:
            await self._after_error(sending, exc)
            return
        await self._sent(sending, ids)

    async def _post(self, request: CampaignRequest) -> list[str]:
        if request.kind == "schedule":
            assert request.send_at is not None
            scheduled = await self.client.create_scheduled(
                ScheduledMessageCreate(phone_number=request.phones[0], message=request.message,
                                       send_at=request.send_at), priority=_P)
            return [scheduled.id]
        body = MessageBatchCreate(messages=[
            BatchItem(phone_number=p, message=request.message, metadata={KEY_FIELD: request.key})
            for p in request.phones
        ])
        return [m.id for m in await self.client.send_batch(body, priority=_P)]

    async def _after_error(self, request: CampaignRequest, exc: ApiError) -> None:
        if _unclear(exc):
            log.info("campaign: request %s unclear (%s); looking it up", request.key,
                     type(exc).__name__)
            if self.reconcile_delay > 0:
                await self.clock.sleep(self.reconcile_delay)
            await self._reconcile(request, str(exc))
            return
        if isinstance(exc, TransportError | RateLimited):
            # Provably never applied: post again later, this attempt does not count.
            wait = exc.retry_after if isinstance(exc, RateLimited) and exc.retry_after else None
            await self._requeue(request, str(exc), attempts=request.attempts - 1, wait=wait)
            return
        refused = _refused_numbers(request, exc) if isinstance(exc, ValidationFailed) else {}
        if refused:
            # The server applied nothing (422): the others go again without the refused ones.
            merged = {**request.refused, **refused}
            rest = [p for p in request.phones if p not in refused]
            if rest:
                await self.store.update_campaign_request(
                    request.key, state="queued", attempts=request.attempts - 1, refused=merged,
                    phones=rest, now=self.utcnow())
            else:
                await self.store.update_campaign_request(
                    request.key, state="sent", refused=merged, phones=[], now=self.utcnow())
            return
        await self._fail(request, f"Not sent: {exc}")

    async def _reconcile(self, request: CampaignRequest, error: str | None = None) -> None:
        reason = error or request.last_error
        try:
            found = await self.find_sent(request)
        except ApiError as exc:
            # Still unknown: stay "sending" and look again later. Never post blind.
            later = self.utcnow() + timedelta(seconds=self._backoff(request.attempts))
            await self.store.update_campaign_request(
                request.key, state="sending", last_error=f"Checking whether it was sent: {exc}",
                next_attempt_at=later, now=self.utcnow())
            return
        if found is not None:
            log.info("campaign: request %s found on the server", request.key)
            await self._sent(request, found)
            return
        if request.attempts >= self.max_attempts:
            await self._fail(request, f"Not sent after {request.attempts} tries ({reason}). The "
                             "server has no copy, so nothing went out.")
            return
        await self._requeue(request, reason, attempts=request.attempts)

    async def find_sent(self, request: CampaignRequest) -> list[str] | None:
        """The server's ids for this request if it was applied; None when provably absent."""
        since = request.created_at - self.reconcile_window
        if request.kind == "schedule":
            return await self._find_scheduled(request, since)
        phone = request.phones[0]
        candidates = []
        async with pages_of(
            self.client.list_messages,
            filters={"phone_number": phone, "type": "OUTGOING_ALL", "created_at_min": since},
            sort="created_at", priority=_P,
        ) as pages:
            async for page in pages:
                for message in page.data:
                    if message.metadata.get(KEY_FIELD) == request.key:
                        return [message.id]
                    candidates.append(message)
        if any(KEY_FIELD in m.metadata for m in candidates):
            return None  # the server echoes our keys, and none is ours: provably absent
        same = [m for m in candidates
                if phone_digits(m.phone_number) == phone_digits(phone)
                and m.message == request.message]
        return [same[-1].id] if same else None

    async def _find_scheduled(self, request: CampaignRequest, since: object) -> list[str] | None:
        phone = request.phones[0]
        async with pages_of(self.client.list_scheduled, sort="created_at", priority=_P) as pages:
            async for page in pages:
                for item in page.data:
                    if (phone_digits(item.phone_number) == phone_digits(phone)
                            and item.message == request.message
                            and request.send_at is not None
                            and abs((item.send_at - request.send_at).total_seconds()) < 1
                            and item.created_at >= request.created_at - self.reconcile_window):
                        return [item.id]
        return None

    # --- state changes -----------------------------------------------------------------------

    async def _sent(self, request: CampaignRequest, ids: list[str]) -> None:
        await self.store.update_campaign_request(
            request.key, state="sent", result_ids=ids, last_error=None, now=self.utcnow())

    async def _fail(self, request: CampaignRequest, reason: str) -> None:
        log.warning("campaign: request %s failed: %s", request.key, reason)
        await self.store.update_campaign_request(
            request.key, state="failed", last_error=reason, now=self.utcnow())

    async def _requeue(self, request: CampaignRequest, reason: str | None, *, attempts: int,
                       wait: float | None = None) -> None:
        delay = wait if wait is not None else self._backoff(max(1, attempts))
        await self.store.update_campaign_request(
            request.key, state="queued", attempts=max(0, attempts), last_error=reason,
            next_attempt_at=self.utcnow() + timedelta(seconds=delay), now=self.utcnow())

    def _backoff(self, step: int) -> float:
        return float(min(self.max_retry_delay, self.retry_delay * 2 ** max(0, step - 1)))

    def _progress(self, send_id: str, counts: RequestCounts, *, finished: bool = False) -> None:
        if self.on_progress is None:
            return
        left = counts.total - counts.done
        try:
            self.on_progress(SendProgress(
                send_id, counts.done, counts.total, counts.sent, counts.refused, counts.failed,
                left * self.seconds_per_request, finished, counts.note))
        except Exception:
            log.exception("campaign: on_progress callback failed")


def _refused_numbers(request: CampaignRequest, exc: ValidationFailed) -> dict[str, str]:
    refused: dict[str, str] = {}
    for key, messages in exc.errors.items():
        match = _ITEM_ERROR.match(key)
        if match is None:
            continue
        index = int(match.group(1))
        if 0 <= index < len(request.phones):
            refused[request.phones[index]] = "; ".join(messages) or "refused by the server"
    return refused
