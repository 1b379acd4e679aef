"""The Groups section's use cases: list from the mirror, create, edit, delete on the server."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tui.api import models as m
from tui.api.errors import ApiError
from tui.api.paging import iterate_pages
from tui.api.rate import Priority
from tui.services.contacts import ClientOf, FieldErrors, Progress
from tui.store import AsyncStore, StoredGroup
from tui.store.records import GROUP_FLAGS

GROUP_TEXT_FIELDS = ("name", "keyword", "join_message")


class GroupBook:
    """Groups: read from the store, changed on the server (answers written back)."""

    def __init__(self, store: AsyncStore, client: ClientOf) -> None:
        self.store = store
        self._client = client

    async def groups(self, search: str = "") -> list[StoredGroup]:
        return await self.store.list_groups(search)

    async def group(self, group_id: str) -> StoredGroup | None:
        return await self.store.group(group_id)

    async def save(self, group_id: str | None, values: Mapping[str, str],
                   flags: Mapping[str, bool]) -> StoredGroup:
        """Create (no id) or update a group; ``FieldErrors`` beside the fields on a 422."""
        body: dict[str, object] = {k: (values.get(k) or "").strip() or None
                                   for k in GROUP_TEXT_FIELDS}
        if not body["name"]:
            raise FieldErrors({"name": ["A group needs a name."]})
        body.update({k: bool(flags.get(k)) for k in GROUP_FLAGS})
        client = await self._client()
        try:
            if group_id is None:
                saved = await client.create_group(m.GroupCreate.model_validate(body))
            else:
                saved = await client.update_group(group_id, m.GroupUpdate.model_validate(body))
        except ApiError as exc:
            if exc.errors:
                raise FieldErrors(exc.errors, exc.message) from None
            raise
        await self.store.upsert_groups([saved])
        stored = await self.store.group(saved.id)
        assert stored is not None
        return stored

    async def refresh_members(self, group_id: str, progress: Progress | None = None) -> int:
        """Read the group's members from ``GET /groups/{id}/contacts`` (every page, in the
        background) and make the mirror's membership of this group exactly that list.

        The members view shows the mirror at once (membership arrives with the contacts sync's
        ``include=groups``); this pass catches what changed on the server since. Returns how
        many members the server listed."""
        client = await self._client()
        listed: list[str] = []
        async for page in iterate_pages(
                client.list_group_contacts, group_id, include=("status", "groups", "fields"),
                sort="created_at", priority=Priority.BACKGROUND):
            await self.store.upsert_contacts(page.data)
            listed.extend(c.id for c in page.data)
            pagination = page.meta.pagination
            if progress is not None:
                progress(len(listed), pagination.total if pagination else len(listed))
        await self.store.set_group_members(group_id, listed)
        return len(listed)

    async def delete(self, group_id: str) -> None:
        client = await self._client()
        try:
            await client.delete_group(group_id)
        except ApiError as exc:
            if exc.status != 404:
                raise
        await self.store.forget_group(group_id)


@dataclass(frozen=True)
class GroupView:
    """The groups whose name contains ``search``, as rows for a virtual list."""

    book: GroupBook
    search: str = ""

    async def rows(self, offset: int, limit: int) -> list[StoredGroup]:
        return (await self.book.groups(self.search))[offset:offset + limit]

    async def count(self) -> int:
        return len(await self.book.groups(self.search))

    async def ids(self) -> list[str]:
        return [g.id for g in await self.book.groups(self.search)]
