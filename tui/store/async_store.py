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

from tui import startup_gc
from tui.store.async_campaigns import AsyncCampaignSends
from tui.store.async_contacts import QUICK_BUDGET as QUICK_BUDGET
from tui.store.async_contacts import AsyncContacts
from tui.store.db import StoreError, explain
from tui.store.records import (
    Conversation,
    OutboxItem,
    ReceivedEvent,
    SavedReply,
    SaveResult,
    StoredMessage,
)
from tui.store.store import Store

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Message

log = logging.getLogger("smsdesk.store")
P = ParamSpec("P")
T = TypeVar("T")


class AsyncStore(AsyncContacts, AsyncCampaignSends):
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
        # Background work is running: the app's full garbage collection waits (startup_gc).
        startup_gc.busy()
        try:
            result = await loop.run_in_executor(
                self._executor, functools.partial(fn, *args, **kwargs)
            )
        except sqlite3.Error as exc:
            raise self._failed(getattr(fn, "__name__", str(fn)), exc) from exc
        finally:
            startup_gc.busy()
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
