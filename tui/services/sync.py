"""Contacts and groups mirrored page by page into the store, in the background and resumable.

Progress lives in sync cursors: a pass that was cut off (quit, network) starts again at the
page it reached. A pass that reached the end removes cached items the server no longer has.
Group membership rides along (contacts are read with ``include=groups``).

Kept fresh afterwards (``keep_fresh``): every few minutes the cheapest refresh the API allows,
newest-first by ``updated_at``, stopping at the first page with nothing new; and now and then
a full pass, the only way to notice contacts deleted on the server. Every request is
background priority, so the inbox and whatever the person does go first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol, TypeVar

from tui.api.client import MobinitiClient
from tui.api.models import Page
from tui.api.rate import Priority
from tui.services.pages import pages_of
from tui.services.timing import UtcNow, utc_now
from tui.store import AsyncStore
from tui.store.records import from_db_time, to_db_time

log = logging.getLogger("smsdesk.sync")

Kind = Literal["contacts", "groups"]
CONTACT_INCLUDES = ("status", "groups", "fields")
T = TypeVar("T")


class Versioned(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


V = TypeVar("V", bound=Versioned)


@dataclass(frozen=True)
class SyncProgress:
    """For a progress bar: ``done`` of ``total`` items of ``kind`` (total None until known)."""

    kind: Kind
    done: int
    total: int | None
    page: int
    total_pages: int | None
    finished: bool = False

    @property
    def label(self) -> str:
        """For the status bar: "contacts 12,400 / 98,113"; "" once finished."""
        if self.finished:
            return ""
        total = f" / {self.total:,}" if self.total is not None else ""
        return f"{self.kind} {self.done:,}{total}"

    @property
    def fraction(self) -> float | None:
        if self.finished:
            return 1.0
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


def _cursor(kind: Kind, part: str) -> str:
    return f"sync.{kind}.{part}"


class ContactSync:
    """``await sync_all()`` mirrors groups then contacts; ``on_progress`` hears every page."""

    def __init__(
        self,
        client: MobinitiClient,
        store: AsyncStore,
        *,
        on_progress: Callable[[SyncProgress], None] | None = None,
        page_size: int = 100,
        utcnow: UtcNow = utc_now,
        refresh_every: float = 300.0,
        full_every: timedelta = timedelta(hours=12),
    ) -> None:
        self.client = client
        self.store = store
        self.on_progress = on_progress
        self.page_size = page_size
        self.utcnow = utcnow
        self.refresh_every = refresh_every
        self.full_every = full_every

    async def keep_fresh(self) -> None:
        """Run for ever: a full pass when due (or unfinished), cheap refreshes in between."""
        while True:
            if await self.full_pass_due():
                await self.sync_all()
            else:
                await self.refresh("contacts")
            await asyncio.sleep(self.refresh_every)

    async def full_pass_due(self) -> bool:
        if await self.store.get_cursor(_cursor("contacts", "next_page")) is not None:
            return True  # a pass was cut off: finish it
        finished = await self.last_synced("contacts")
        return finished is None or self.utcnow() - finished >= self.full_every

    async def refresh(self, kind: Kind = "contacts") -> int:
        """Newest changes first, until a page holds nothing we did not already have.

        Returns how many items were new or changed. Deletions wait for the next full pass.
        """
        if kind == "contacts":
            changed = await self._newest_first(
                kind, self.client.list_contacts, CONTACT_INCLUDES,
                lambda items, at: self.store.upsert_contacts(items, synced_at=at))
        else:
            changed = await self._newest_first(
                kind, self.client.list_groups, ("keyword",),
                lambda items, at: self.store.upsert_groups(items, synced_at=at))
        self._report(SyncProgress(kind, changed, changed, 0, None, finished=True))
        return changed

    async def sync_all(self) -> tuple[SyncProgress, SyncProgress]:
        groups = await self.sync("groups")
        contacts = await self.sync("contacts")
        return groups, contacts

    async def last_synced(self, kind: Kind) -> datetime | None:
        """When the last complete pass of ``kind`` finished (None: never)."""
        return from_db_time(await self.store.get_cursor(_cursor(kind, "finished_at")))

    async def sync(self, kind: Kind) -> SyncProgress:
        """Mirror every page of ``kind``, resuming a pass that was cut off. Raises ``ApiError``."""
        started_text = await self.store.get_cursor(_cursor(kind, "started_at"))
        page_text = await self.store.get_cursor(_cursor(kind, "next_page"))
        started = from_db_time(started_text)
        if started is None or page_text is None:
            started, first_page = self.utcnow(), 1
            await self.store.set_cursor(_cursor(kind, "started_at"), to_db_time(started))
        else:
            first_page = max(1, int(page_text)) if page_text.isdigit() else 1
            log.info("sync: resuming %s at page %d", kind, first_page)
        if kind == "contacts":
            progress = await self._mirror(
                kind, self.client.list_contacts, CONTACT_INCLUDES, first_page,
                lambda items, at: self.store.upsert_contacts(items, synced_at=at),
            )
        else:
            progress = await self._mirror(
                kind, self.client.list_groups, ("keyword",), first_page,
                lambda items, at: self.store.upsert_groups(items, synced_at=at),
            )
        done = progress.done
        if kind == "contacts":
            removed = await self.store.delete_contacts_not_synced_since(started)
        else:
            removed = await self.store.delete_groups_not_synced_since(started)
        if removed:
            log.info("sync: removed %d %s the server no longer has", removed, kind)
        await self.store.set_cursor(_cursor(kind, "next_page"), None)
        await self.store.set_cursor(_cursor(kind, "started_at"), None)
        await self.store.set_cursor(_cursor(kind, "finished_at"), to_db_time(self.utcnow()))
        progress = SyncProgress(kind, done, progress.total if progress.total is not None
                                else done, progress.page, progress.total_pages, finished=True)
        self._report(progress)
        return progress

    async def _newest_first(
        self,
        kind: Kind,
        method: Callable[..., Awaitable[Page[V]]],
        include: tuple[str, ...],
        save: Callable[[list[V], datetime], Awaitable[int]],
    ) -> int:
        changed = 0
        async with pages_of(
            method, limit=self.page_size, sort="-updated_at", include=include,
            priority=Priority.BACKGROUND,
        ) as pages:
            async for page in pages:
                known = await self.store.known_versions(kind, [i.id for i in page.data])
                fresh = [i for i in page.data if known.get(i.id) != to_db_time(i.updated_at)]
                if fresh:
                    await save(fresh, self.utcnow())
                    changed += len(fresh)
                    self._report(SyncProgress(kind, changed, None, 0, None))
                if len(fresh) < len(page.data):
                    break  # reached what we already had
        return changed

    async def _mirror(
        self,
        kind: Kind,
        method: Callable[..., Awaitable[Page[T]]],
        include: tuple[str, ...],
        first_page: int,
        save: Callable[[list[T], datetime], Awaitable[int]],
    ) -> SyncProgress:
        done = (first_page - 1) * self.page_size
        progress = SyncProgress(kind, done, None, first_page - 1, None)
        # Oldest first: contacts created during the pass land on later pages, not shift them.
        async with pages_of(
            method, page=first_page, limit=self.page_size, sort="created_at", include=include,
            priority=Priority.BACKGROUND,
        ) as pages:
            async for page in pages:
                await save(page.data, self.utcnow())
                pagination = page.meta.pagination
                number = pagination.current_page if pagination else progress.page + 1
                done += len(page.data)
                progress = SyncProgress(
                    kind, done, pagination.total if pagination else None, number,
                    pagination.total_pages if pagination else None,
                )
                await self.store.set_cursor(_cursor(kind, "next_page"), str(number + 1))
                self._report(progress)
        return progress

    def _report(self, progress: SyncProgress) -> None:
        if self.on_progress is None:
            return
        try:
            self.on_progress(progress)
        except Exception:
            log.exception("sync: on_progress callback failed")
