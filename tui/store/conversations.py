"""Messages and conversations: saving texts, the inbox list, pages of a chat, read marks.

Writing one server message and refreshing its conversation row is ``tui.store.message_writes``
(its names stay importable from here)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from tui.store.db import Database
from tui.store.message_writes import OUTBOX_KEY_FIELD as OUTBOX_KEY_FIELD
from tui.store.message_writes import PREVIEW_LENGTH as PREVIEW_LENGTH
from tui.store.message_writes import ensure_conversation as ensure_conversation
from tui.store.message_writes import preview_of as preview_of
from tui.store.message_writes import refresh_conversation as refresh_conversation
from tui.store.message_writes import stored_from_api as stored_from_api
from tui.store.message_writes import write_message as write_message
from tui.store.records import (
    CONVERSATION_VIEWS,
    LOCAL_ID_PREFIX,
    TRIAGE_FLAGS,
    Conversation,
    SaveResult,
    StoredMessage,
    from_db_time,
    to_db_time,
)
from tui.store.search import fts_phrase, like_contains, split_terms

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Message

# What each inbox view lists (the rows of table conversations, aliased c) and in which order.
_WAITING = "(c.triage = 'needs_reply' OR (c.waiting_since IS NOT NULL AND c.triage IS NULL))"
VIEW_CLAUSES = {
    "unread": "c.unread_count > 0",
    "needs_reply": f"({_WAITING} AND c.opted_out = 0)",
    "done": "c.triage = 'done'",
    "opted_out": "c.opted_out = 1",
}
VIEW_ORDER = {
    "needs_reply": "coalesce(c.waiting_since, c.triage_at) ASC, c.phone",
}

_MESSAGE_COLUMNS = (
    "m.id, m.phone, m.body, m.direction, m.read, m.created_at, m.delivery_code, "
    "m.delivery_state, m.contact_id, m.message_type, m.outbox_key, m.metadata, "
    "o.state AS outbox_state, o.last_error AS outbox_error"
)


def message_from_row(row: sqlite3.Row) -> StoredMessage:
    created = from_db_time(row["created_at"])
    assert created is not None
    return StoredMessage(
        id=row["id"],
        phone=row["phone"],
        body=row["body"],
        direction=row["direction"],
        read=bool(row["read"]),
        created_at=created,
        delivery_code=row["delivery_code"],
        delivery_state=row["delivery_state"],
        contact_id=row["contact_id"],
        message_type=row["message_type"],
        outbox_key=row["outbox_key"],
        outbox_state=row["outbox_state"],
        last_error=(row["outbox_error"] if row["outbox_state"] in ("failed", "unclear")
                    or row["delivery_state"] == "failed" else None),
        metadata=json.loads(row["metadata"] or "{}"),
    )


def conversation_from_row(row: sqlite3.Row) -> Conversation:
    return Conversation(
        phone=row["phone"],
        display_name=row["display_name"],
        contact_id=row["contact_id"],
        last_message_at=from_db_time(row["last_message_at"]),
        preview=row["last_preview"],
        last_direction=row["last_direction"],
        unread_count=row["unread_count"],
        opted_out=bool(row["opted_out"]),
        badges=tuple(json.loads(row["badges"] or "[]")),
        triage=row["triage"],
        waiting_since=from_db_time(row["waiting_since"]),
        # sqlite3.Row: "in" looks at the values, keys() at the column names.
        has_draft=bool(row["has_draft"]) if "has_draft" in row.keys() else False,  # noqa: SIM118
    )


class ConversationQueries:
    """Mixed into ``Store``: everything the Inbox reads and writes about texts."""

    db: Database

    # --- writing server messages ---------------------------------------------------------

    def store_messages(self, messages: Sequence[Message]) -> SaveResult:
        """Save texts from the server; de-duplicated by id, receipts refreshed, list rows kept."""
        new: list[StoredMessage] = []
        changed: set[str] = set()
        with self.db.transaction() as conn:
            for message in messages:
                is_new, did_change = write_message(conn, message)
                if is_new:
                    new.append(stored_from_api(message))
                if did_change:
                    changed.add(message.phone_number)
            for phone in changed:
                refresh_conversation(conn, phone)
        return SaveResult(tuple(new), frozenset(changed))

    def save_messages(self, messages: Sequence[Message]) -> list[StoredMessage]:
        """Save texts from the server; returns only the ones not seen before."""
        return list(self.store_messages(messages).new)

    # --- the inbox list ------------------------------------------------------------------

    def _list_filter(
        self, view: str, search: str, keep: Sequence[str] = ()
    ) -> tuple[str, list[object]]:
        if view not in CONVERSATION_VIEWS:
            raise ValueError(
                f"Unknown conversation view {view!r}; use one of {', '.join(CONVERSATION_VIEWS)}."
            )
        clauses: list[str] = []
        params: list[object] = []
        shown = VIEW_CLAUSES.get(view)
        if shown is not None:
            if keep:  # opened from this view: it stays listed though it no longer matches
                marks = ",".join("?" * len(keep))
                shown = f"({shown} OR c.phone IN ({marks}))"
                params.extend(keep)
            clauses.append(shown)
        for term in split_terms(search, fold_accents=True):
            options = ["c.name_folded LIKE ? ESCAPE '\\'"]
            params.append(like_contains(term.text))
            if term.digits:
                options.append("c.phone_digits LIKE ?")
                params.append(f"%{term.digits}%")
            if len(term.text) >= 3:
                options.append(
                    "c.phone IN (SELECT m.phone FROM messages_fts f JOIN messages m "
                    "ON m.rowid = f.rowid WHERE messages_fts MATCH ?)"
                )
                params.append(fts_phrase(term.text))
            clauses.append("(" + " OR ".join(options) + ")")
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    def list_conversations(
        self, view: str = "all", search: str = "", limit: int = 100, offset: int = 0,
        keep: Sequence[str] = (),
    ) -> list[Conversation]:
        """Newest first (Needs reply: the longest wait first). ``search`` matches names, phone
        digits ("253-00") and message text, with case and accents folded ("muller": "Müller").
        ``keep``: phones listed even when they no longer match the view (opened from it)."""
        where, params = self._list_filter(view, search, keep)
        order = VIEW_ORDER.get(view, "c.last_message_at DESC, c.phone")
        with self.db.reading() as conn:
            rows = conn.execute(
                "SELECT c.*, d.phone IS NOT NULL AS has_draft FROM conversations c "
                f"LEFT JOIN drafts d ON d.phone = c.phone {where} "
                f"ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, max(0, limit), max(0, offset)),
            ).fetchall()
        return [conversation_from_row(r) for r in rows]

    def count_conversations(self, view: str = "all", search: str = "") -> int:
        where, params = self._list_filter(view, search)
        with self.db.reading() as conn:
            return int(
                conn.execute(f"SELECT count(*) FROM conversations c {where}", params).fetchone()[0]
            )

    def set_triage(self, phone: str, triage: str | None, *, at: datetime) -> None:
        """Flag a conversation done or needs reply (None clears the flag)."""
        if triage is not None and triage not in TRIAGE_FLAGS:
            raise ValueError(f"Unknown triage flag {triage!r}; use one of {TRIAGE_FLAGS}.")
        with self.db.transaction() as conn:
            ensure_conversation(conn, phone)
            conn.execute(
                "UPDATE conversations SET triage = ?, triage_at = ? WHERE phone = ?",
                (triage, to_db_time(at) if triage else None, phone),
            )

    def start_conversation(self, phone: str, *, at: datetime) -> None:
        """A conversation the person starts: listed at the top before its first text."""
        with self.db.transaction() as conn:
            ensure_conversation(conn, phone)
            conn.execute(
                "UPDATE conversations SET last_message_at = ? "
                "WHERE phone = ? AND last_message_at IS NULL",
                (to_db_time(at), phone),
            )

    def longest_waiting(self) -> Conversation | None:
        """The conversation whose unanswered text is oldest (not done, not opted out)."""
        rows = self.list_conversations("needs_reply", limit=1)
        return rows[0] if rows else None

    def count_unread(self) -> int:
        """Unread incoming texts over all conversations (the status bar's number)."""
        with self.db.reading() as conn:
            row = conn.execute("SELECT coalesce(sum(unread_count), 0) FROM conversations")
            return int(row.fetchone()[0])

    def count_unread_conversations(self) -> int:
        with self.db.reading() as conn:
            row = conn.execute("SELECT count(*) FROM conversations WHERE unread_count > 0")
            return int(row.fetchone()[0])

    def conversation(self, phone: str) -> Conversation | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT * FROM conversations WHERE phone = ?", (phone,)).fetchone()
        return conversation_from_row(row) if row else None

    # --- one conversation -----------------------------------------------------------------

    def messages_for(
        self, phone: str, before: datetime | None = None, limit: int = 50
    ) -> list[StoredMessage]:
        """Newest first, ``limit`` texts older than ``before``; outbox replies included in place."""
        sql = (
            f"SELECT {_MESSAGE_COLUMNS} FROM messages m LEFT JOIN outbox o ON o.key = m.outbox_key "
            "WHERE m.phone = ?"
        )
        params: list[object] = [phone]
        if before is not None:
            sql += " AND m.created_at < ?"
            params.append(to_db_time(before))
        sql += " ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?"
        params.append(max(0, limit))
        with self.db.reading() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [message_from_row(r) for r in rows]

    def message(self, message_id: str) -> StoredMessage | None:
        with self.db.reading() as conn:
            row = conn.execute(
                f"SELECT {_MESSAGE_COLUMNS} FROM messages m LEFT JOIN outbox o "
                "ON o.key = m.outbox_key WHERE m.id = ?",
                (message_id,),
            ).fetchone()
        return message_from_row(row) if row else None

    def unread_message_ids(self, phone: str) -> list[str]:
        with self.db.reading() as conn:
            rows = conn.execute(
                "SELECT id FROM messages WHERE phone = ? AND direction = 'incoming' AND read = 0 "
                "ORDER BY created_at, rowid",
                (phone,),
            ).fetchall()
        return [r["id"] for r in rows]

    def oldest_undelivered_at(self, since: datetime) -> datetime | None:
        """Created time of the oldest sent text (since ``since``) without a final receipt."""
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT min(created_at) FROM messages WHERE direction = 'outgoing' "
                "AND (delivery_code IS NULL OR delivery_code IN ('136', '137')) "
                "AND created_at >= ? AND id NOT LIKE ?",
                (to_db_time(since), LOCAL_ID_PREFIX + "%"),
            ).fetchone()
        return from_db_time(row[0])

    def undelivered_ids(self, phone: str | None, since: datetime, limit: int) -> list[str]:
        """Server ids of sent texts (since ``since``) without a final receipt: ``phone``'s
        first, then the newest."""
        with self.db.reading() as conn:
            rows = conn.execute(
                "SELECT id FROM messages WHERE direction = 'outgoing' "
                "AND (delivery_code IS NULL OR delivery_code IN ('136', '137')) "
                "AND created_at >= ? AND id NOT LIKE ? "
                "ORDER BY phone IS ? DESC, created_at DESC LIMIT ?",
                (to_db_time(since), LOCAL_ID_PREFIX + "%", phone, limit),
            ).fetchall()
        return [row[0] for row in rows]

    def message_claimed_by_other(self, message_id: str, outbox_key: str) -> bool:
        """Whether a server message already stands for a different outbox item."""
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT 1 FROM messages WHERE id = ? AND outbox_key IS NOT NULL "
                "AND outbox_key != ? UNION ALL SELECT 1 FROM outbox WHERE message_id = ? "
                "AND key != ? LIMIT 1",
                (message_id, outbox_key, message_id, outbox_key),
            ).fetchone()
        return row is not None
