"""``AsyncStore``'s contact and group queries (mixed in): awaitable, run on the store's thread,
and the contact list's same-frame read on the event loop."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from tui.store.contact_query import ContactQuery
from tui.store.quick_read import TooSlow
from tui.store.records import StoredContact, StoredGroup, StoredLookup

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Contact, Group
    from tui.store.store import Store

# A read on the event loop may hold the screen this long at most (then: the store's thread).
QUICK_BUDGET = 0.012
P = ParamSpec("P")
T = TypeVar("T")


class AsyncContacts:
    """Mixed into ``AsyncStore`` (which provides ``sync``, ``_executor`` and ``_run``)."""

    sync: Store
    _executor: ThreadPoolExecutor | None

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        raise NotImplementedError

    # --- contacts and groups ----------------------------------------------------------------

    async def upsert_contacts(
        self, contacts: Sequence[Contact], *, synced_at: datetime | None = None
    ) -> int:
        return await self._run(self.sync.upsert_contacts, list(contacts), synced_at=synced_at)

    async def delete_contacts_not_synced_since(self, since: datetime) -> int:
        return await self._run(self.sync.delete_contacts_not_synced_since, since)

    async def search_contacts(
        self, query: str = "", limit: int = 100, offset: int = 0
    ) -> list[StoredContact]:
        return await self._run(self.sync.search_contacts, query, limit, offset)

    async def count_contacts(self, query: str = "") -> int:
        return await self._run(self.sync.count_contacts, query)

    async def contact_window(
        self, query: ContactQuery, offset: int = 0, limit: int = 100,
        wanted: Callable[[], bool] | None = None,
    ) -> list[StoredContact]:
        """``wanted`` is asked on the store's thread just before the query runs: a search
        already replaced by the next keystroke is skipped instead of delaying it."""

        def window() -> list[StoredContact]:
            if wanted is not None and not wanted():
                return []
            return self.sync.contact_window(query, offset, limit)

        return await self._run(window)

    def contact_window_now(self, query: ContactQuery, offset: int, limit: int,
                           budget: float = QUICK_BUDGET) -> list[StoredContact] | None:
        """On the event loop, within ``budget`` seconds, or None (then await
        ``contact_window``): a search's first rows drawn in the frame of the key."""
        if self._executor is None:
            return None
        try:
            return self.sync.contact_window_now(query, offset, limit, budget)
        except TooSlow:
            return None

    async def count_matching(self, query: ContactQuery,
                             wanted: Callable[[], bool] | None = None) -> int:
        def count() -> int:
            if wanted is not None and not wanted():
                return 0
            return self.sync.count_matching(query)

        return await self._run(count)

    async def matching_ids(self, query: ContactQuery) -> list[str]:
        return await self._run(self.sync.matching_ids, query)

    async def save_lookups(self, lookups: Sequence[StoredLookup]) -> None:
        await self._run(self.sync.save_lookups, list(lookups))

    async def lookup_of(self, phone: str) -> StoredLookup | None:
        return await self._run(self.sync.lookup_of, phone)

    async def set_group_members(self, group_id: str, contact_ids: Sequence[str]) -> int:
        return await self._run(self.sync.set_group_members, group_id, list(contact_ids))

    async def contacts_by_ids(self, ids: Sequence[str]) -> list[StoredContact]:
        return await self._run(self.sync.contacts_by_ids, list(ids))

    async def mark_unsubscribed(self, phones: Sequence[str], at: datetime) -> int:
        return await self._run(self.sync.mark_unsubscribed, list(phones), at)

    async def leave_group(self, contact_id: str, group_id: str) -> None:
        await self._run(self.sync.leave_group, contact_id, group_id)

    async def known_versions(self, kind: str, ids: Sequence[str]) -> dict[str, str]:
        return await self._run(self.sync.known_versions, kind, list(ids))

    async def forget_contacts(self, ids: Sequence[str]) -> int:
        return await self._run(self.sync.forget_contacts, list(ids))

    async def group(self, group_id: str) -> StoredGroup | None:
        return await self._run(self.sync.group, group_id)

    async def forget_group(self, group_id: str) -> None:
        await self._run(self.sync.forget_group, group_id)

    async def contact_by_phone(self, phone: str) -> StoredContact | None:
        return await self._run(self.sync.contact_by_phone, phone)

    async def contact(self, contact_id: str) -> StoredContact | None:
        return await self._run(self.sync.contact, contact_id)

    async def upsert_groups(
        self, groups: Sequence[Group], *, synced_at: datetime | None = None
    ) -> int:
        return await self._run(self.sync.upsert_groups, list(groups), synced_at=synced_at)

    async def delete_groups_not_synced_since(self, since: datetime) -> int:
        return await self._run(self.sync.delete_groups_not_synced_since, since)

    async def list_groups(self, search: str = "") -> list[StoredGroup]:
        return await self._run(self.sync.list_groups, search)
