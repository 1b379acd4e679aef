"""``AsyncStore``: the store for the event loop; all sqlite work runs on one worker thread.

A sqlite failure while running (disk full, file damaged or made read-only, locked) comes out as
a ``StoreError`` whose sentence says what to do, never as a raw ``sqlite3`` exception.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from tui.store.async_campaigns import AsyncCampaignSends
from tui.store.contact_query import ContactQuery
from tui.store.db import StoreError, explain
from tui.store.quick_read import TooSlow
from tui.store.records import (
    Conversation,
    OutboxItem,
    ReceivedEvent,
    SavedReply,
    SaveResult,
    StoredContact,
    StoredGroup,
    StoredLookup,
    StoredMessage,
)
from tui.store.store import Store

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Contact, Group, Message

log = logging.getLogger("smsdesk.store")
# A read on the event loop may hold the screen this long at most (then: the store's thread).
QUICK_BUDGET = 0.012
P = ParamSpec("P")
T = TypeVar("T")


class AsyncStore(AsyncCampaignSends):
    """The same queries as ``Store``, awaitable; never blocks the loop.

    One thread owns the connection, so calls run in the order they were made.
    """

    def __init__(self, store: Store) -> None:
        self.sync = store
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="smsdesk-store"
        )
        # Told once per kind when a query fails while running (disk full, damaged, locked…).
        self.on_trouble: Callable[[StoreError], None] | None = None
        self._last_trouble: str | None = None

    @property
    def path(self) -> Path:
        return self.sync.path

    @property
    def notice(self) -> str | None:
        return self.sync.notice

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if self._executor is None:
            raise StoreError("The local database is already closed.", "closed")
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(
                self._executor, functools.partial(fn, *args, **kwargs)
            )
        except sqlite3.Error as exc:
            raise self._failed(getattr(fn, "__name__", str(fn)), exc) from exc
        self._last_trouble = None
        return result

    def _failed(self, query: str, exc: sqlite3.Error) -> StoreError:
        trouble = explain(exc, self.path)
        log.error("store: %s failed: %s", query, exc)
        self._report(trouble)
        return trouble

    def _report(self, trouble: StoreError) -> None:
        # One notice per kind of trouble until it goes away, not one per failed query.
        if trouble.kind == self._last_trouble or self.on_trouble is None:
            return
        self._last_trouble = trouble.kind
        try:
            self.on_trouble(trouble)
        except Exception:
            log.exception("store: on_trouble callback failed")

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run any ``Store`` query (``store.sync.<query>``) on the store's thread."""
        return await self._run(fn, *args, **kwargs)

    async def close(self) -> None:
        """Finish queued work, close the database and the worker thread. Safe to call twice."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(executor, self.sync.close)
        executor.shutdown(wait=True)

    # --- conversations and messages ---------------------------------------------------------

    def first_page(self, view: str = "all", limit: int = 100) -> list[Conversation]:
        """The inbox's first rows, read on the caller's thread: the app does it once, at start,
        on the event loop (an indexed query of about a millisecond; the connection is shared
        under a lock), so the first frame has its rows without waiting for this thread."""
        if self._executor is None:
            raise StoreError("The local database is already closed.", "closed")
        try:
            return self.sync.list_conversations(view, "", limit, 0, ())
        except sqlite3.Error as exc:
            raise self._failed("first_page", exc) from exc

    async def list_conversations(
        self, view: str = "all", search: str = "", limit: int = 100, offset: int = 0,
        keep: Sequence[str] = (),
    ) -> list[Conversation]:
        return await self._run(
            self.sync.list_conversations, view, search, limit, offset, tuple(keep)
        )

    async def set_triage(self, phone: str, triage: str | None, *, at: datetime) -> None:
        await self._run(self.sync.set_triage, phone, triage, at=at)

    async def start_conversation(self, phone: str, *, at: datetime) -> None:
        await self._run(self.sync.start_conversation, phone, at=at)

    async def longest_waiting(self) -> Conversation | None:
        return await self._run(self.sync.longest_waiting)

    async def queue_read_marks(self, message_ids: Iterable[str], read: bool) -> None:
        await self._run(self.sync.queue_read_marks, list(message_ids), read)

    async def pending_read_marks(self) -> list[tuple[str, bool]]:
        return await self._run(self.sync.pending_read_marks)

    async def forget_read_marks(self, message_ids: Iterable[str]) -> None:
        await self._run(self.sync.forget_read_marks, list(message_ids))

    async def forget_read_mark(self, message_id: str, read: bool) -> None:
        await self._run(self.sync.forget_read_mark, message_id, read)

    async def count_conversations(self, view: str = "all", search: str = "") -> int:
        return await self._run(self.sync.count_conversations, view, search)

    async def count_unread(self) -> int:
        return await self._run(self.sync.count_unread)

    async def count_unread_conversations(self) -> int:
        return await self._run(self.sync.count_unread_conversations)

    async def conversation(self, phone: str) -> Conversation | None:
        return await self._run(self.sync.conversation, phone)

    async def messages_for(
        self, phone: str, before: datetime | None = None, limit: int = 50
    ) -> list[StoredMessage]:
        return await self._run(self.sync.messages_for, phone, before, limit)

    async def message(self, message_id: str) -> StoredMessage | None:
        return await self._run(self.sync.message, message_id)

    async def save_messages(self, messages: Sequence[Message]) -> list[StoredMessage]:
        return await self._run(self.sync.save_messages, list(messages))

    async def store_messages(self, messages: Sequence[Message]) -> SaveResult:
        return await self._run(self.sync.store_messages, list(messages))

    async def unread_message_ids(self, phone: str) -> list[str]:
        return await self._run(self.sync.unread_message_ids, phone)

    async def mark_conversation_read(self, phone: str) -> list[str]:
        return await self._run(self.sync.mark_conversation_read, phone)

    async def mark_conversation_unread(self, phone: str) -> str | None:
        return await self._run(self.sync.mark_conversation_unread, phone)

    async def set_messages_read(self, message_ids: Iterable[str], read: bool) -> set[str]:
        return await self._run(self.sync.set_messages_read, list(message_ids), read)

    async def oldest_undelivered_at(self, since: datetime) -> datetime | None:
        return await self._run(self.sync.oldest_undelivered_at, since)

    async def undelivered_ids(
        self, phone: str | None, since: datetime, limit: int = 5
    ) -> list[str]:
        return await self._run(self.sync.undelivered_ids, phone, since, limit)

    async def message_claimed_by_other(self, message_id: str, outbox_key: str) -> bool:
        return await self._run(self.sync.message_claimed_by_other, message_id, outbox_key)

    async def set_opted_out(
        self, phone: str, opted_out: bool, *, at: datetime | None = None
    ) -> None:
        await self._run(self.sync.set_opted_out, phone, opted_out, at=at)

    async def add_badge(self, phone: str, badge: str) -> None:
        await self._run(self.sync.add_badge, phone, badge)

    async def clear_badges(self, phone: str) -> None:
        await self._run(self.sync.clear_badges, phone)

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

    # --- outbox -----------------------------------------------------------------------------

    async def add_outbox(
        self, *, key: str, phone: str, body: str, contact_id: str | None = None,
        created_at: datetime | None = None, replaces_draft: bool = False,
    ) -> OutboxItem:
        return await self._run(self.sync.add_outbox, key=key, phone=phone, body=body,
                               contact_id=contact_id, created_at=created_at,
                               replaces_draft=replaces_draft)

    async def get_outbox(self, key: str) -> OutboxItem | None:
        return await self._run(self.sync.get_outbox, key)

    async def update_outbox(self, key: str, **changes: Any) -> OutboxItem | None:
        """``Store.update_outbox`` (state, expect, attempts, lease, leasable_by, …)."""
        return await self._run(functools.partial(self.sync.update_outbox, key, **changes))

    async def add_outbox_batch(
        self, *, key: str, phones: Sequence[str], body: str, campaign_ref: str | None = None,
        created_at: datetime | None = None,
    ) -> OutboxItem:
        return await self._run(self.sync.add_outbox_batch, key=key, phones=phones, body=body,
                               campaign_ref=campaign_ref, created_at=created_at)

    async def outbox_sent(
        self, key: str, message: Message | None, *, now: datetime | None = None
    ) -> OutboxItem | None:
        return await self._run(self.sync.outbox_sent, key, message, now=now)

    async def cancel_outbox(self, key: str, *, now: datetime | None = None) -> OutboxItem | None:
        return await self._run(self.sync.cancel_outbox, key, now=now)

    async def list_outbox(
        self, *, states: Collection[str] | None = None, phone: str | None = None,
        campaign_ref: str | None = None, limit: int = 500,
    ) -> list[OutboxItem]:
        return await self._run(self.sync.list_outbox, states=states, phone=phone,
                               campaign_ref=campaign_ref, limit=limit)

    async def list_pending_outbox(self) -> list[OutboxItem]:
        return await self._run(self.sync.list_pending_outbox)

    async def list_failed_outbox(self) -> list[OutboxItem]:
        return await self._run(self.sync.list_failed_outbox)

    async def list_unclear_outbox(self) -> list[OutboxItem]:
        return await self._run(self.sync.list_unclear_outbox)

    # --- drafts, saved replies, cursors, events ---------------------------------------------

    async def get_draft(self, phone: str) -> str | None:
        return await self._run(self.sync.get_draft, phone)

    async def save_draft(self, phone: str, text: str) -> None:
        await self._run(self.sync.save_draft, phone, text)

    async def clear_draft(self, phone: str) -> None:
        await self._run(self.sync.clear_draft, phone)

    async def phones_with_drafts(self) -> list[str]:
        return await self._run(self.sync.phones_with_drafts)

    async def list_saved_replies(self) -> list[SavedReply]:
        return await self._run(self.sync.list_saved_replies)

    async def saved_reply(self, reply_id: int) -> SavedReply | None:
        return await self._run(self.sync.saved_reply, reply_id)

    async def add_saved_reply(self, title: str, body: str) -> SavedReply:
        return await self._run(self.sync.add_saved_reply, title, body)

    async def update_saved_reply(self, reply_id: int, *, title: str, body: str) -> SavedReply:
        return await self._run(self.sync.update_saved_reply, reply_id, title=title, body=body)

    async def delete_saved_reply(self, reply_id: int) -> bool:
        return await self._run(self.sync.delete_saved_reply, reply_id)

    async def get_cursor(self, name: str) -> str | None:
        return await self._run(self.sync.get_cursor, name)

    async def set_cursor(self, name: str, value: str | None) -> None:
        await self._run(self.sync.set_cursor, name, value)

    async def add_received_event(
        self, *, provider: str, kind: str, phone: str | None = None,
        occurred_at: datetime | None = None, text: str | None = None,
        status_code: str | None = None, raw: str = "", dedupe_key: str | None = None,
    ) -> ReceivedEvent | None:
        return await self._run(
            self.sync.add_received_event, provider=provider, kind=kind, phone=phone,
            occurred_at=occurred_at, text=text, status_code=status_code, raw=raw,
            dedupe_key=dedupe_key,
        )

    async def list_received_events(
        self, *, phone: str | None = None, limit: int = 100
    ) -> list[ReceivedEvent]:
        return await self._run(self.sync.list_received_events, phone=phone, limit=limit)
