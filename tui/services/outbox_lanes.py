"""How the outbox works its queue: two loops, one looking up unclear sends, one posting queued
texts, so a lookup the server keeps waiting never holds up the next text; a conversation's
texts keep their order. Mixed into ``Outbox`` (``tui.services.outbox``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from typing import Final, Literal

from tui.services.timing import UtcNow, Waker
from tui.store import AsyncStore, OutboxItem, StoreError

log = logging.getLogger("smsdesk.outbox")

Lane = Literal["lookups", "posts"]
LANES: Final[tuple[Lane, ...]] = ("lookups", "posts")
# Seconds between looks at the queue while the local database fails (disk full, locked…).
STORE_TROUBLE_PAUSE: Final = 5.0


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_is_gone(owner: str) -> bool:
    """The lease holder was a process on this machine that no longer runs (killed, crashed).

    Its lease need not be waited out: nothing is posting the text any more. Anything short of
    proof (another machine, a process that exists, even a reused pid) keeps the lease.
    """
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists (not ours to signal)
        return False
    return False


class Lanes:
    """The queue-working half of ``Outbox`` (which provides ``_process`` and the rest)."""

    store: AsyncStore
    utcnow: UtcNow
    owner: str
    _wakers: dict[Lane, Waker]
    _locks: dict[Lane, asyncio.Lock]
    _handling: set[str]  # keys one of the loops is working on right now

    async def _process(self, item: OutboxItem) -> tuple[OutboxItem | None, bool]:
        raise NotImplementedError

    async def run(self) -> None:
        """Send until cancelled. Items left ``sending`` by a crash are reconciled first.

        Posts and lookups each loop on their own: a lookup held up by the server (its
        Retry-After, a slow page) never keeps the next text from being posted."""
        await asyncio.gather(*(self._run_lane(lane) for lane in LANES))

    async def _run_lane(self, lane: Lane) -> None:
        while True:
            try:
                await self._pass(lane)
            except Exception:  # the sender must outlive any single bad item
                log.exception("outbox: %s pass failed", lane)
            try:
                delay = await self._seconds_to_next()
            except StoreError:  # reported by the store; look again in a while
                delay = STORE_TROUBLE_PAUSE
            await self._wakers[lane].sleep(delay)

    async def _seconds_to_next(self) -> float | None:
        pending = await self.store.list_pending_outbox()
        if not pending:
            return None
        now = self.utcnow()
        waits = []
        for item in pending:
            due = item.next_attempt_at
            if item.state == "sending" and self._leased_by_other(item) \
                    and item.lease_expires_at is not None:
                due = max(due or item.lease_expires_at, item.lease_expires_at)
            waits.append((due - now).total_seconds() if due else 0.0)
        # Never spin: even an item that is due again waits a moment.
        return max(0.5, min(waits))

    def _leased_by_other(self, item: OutboxItem) -> bool:
        return (item.lease_owner is not None and item.lease_owner != self.owner
                and item.lease_expires_at is not None and item.lease_expires_at > self.utcnow()
                and not owner_is_gone(item.lease_owner))

    async def process_due(self) -> list[OutboxItem]:
        """One pass of both lanes over the items that are due; returns their new states."""
        looked, posted = await asyncio.gather(self._pass("lookups"), self._pass("posts"))
        return looked + posted

    async def _pass(self, lane: Lane) -> list[OutboxItem]:
        """The due items of one lane: lookups of unclear sends, or posts of queued texts. A text
        waits only for an earlier one to the same number: a conversation's texts keep order."""
        async with self._locks[lane]:
            items: list[OutboxItem] = []
            waiting: set[str] = set()  # numbers with an earlier text still on its way
            for item in await self.store.list_pending_outbox():
                single = item.kind != "batch"
                if single and item.phone in waiting:
                    continue
                mine = self._lane_of(item) == lane
                if single and (item.state == "sending" or (not mine and item.state == "queued")
                               or item.key in self._handling):
                    waiting.add(item.phone)
                if mine:
                    items.append(item)
            return await self._lane(lane, items)

    def _lane_of(self, item: OutboxItem) -> Lane | None:
        """Which lane may take the item now (None: not due, or being handled right now)."""
        if item.key in self._handling:
            return None
        if item.next_attempt_at is not None and item.next_attempt_at > self.utcnow():
            return None
        if item.state == "sending":
            return "lookups"
        return "posts" if item.state == "queued" else None

    async def _lane(self, lane: Lane, items: list[OutboxItem]) -> list[OutboxItem]:
        handled: list[OutboxItem] = []
        held: set[str] = set()  # numbers whose earlier text in this lane is not done yet
        for listed in items:
            single = listed.kind != "batch"
            if single and listed.phone in held:
                continue
            # The other loop may have taken it since the list was read (a post in flight is
            # "sending" too: looking it up then could call it absent and send it twice).
            item = await self.store.get_outbox(listed.key)
            if item is None or self._lane_of(item) != lane:
                if single:
                    held.add(listed.phone)
                continue
            self._handling.add(item.key)
            try:
                result, offline = await self._process(item)
            finally:
                self._handling.discard(item.key)
            if result is not None:
                handled.append(result)
            if single and (result is None or result.state in ("queued", "sending")):
                held.add(item.phone)
            if offline:
                break  # the network is down: the rest waits for the next pass
        return handled
