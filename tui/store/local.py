"""What only this machine knows: drafts, saved replies, sync cursors and received events."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from tui.store.db import Database
from tui.store.records import ReceivedEvent, SavedReply, from_db_time, to_db_time


def _now() -> str:
    return to_db_time(datetime.now(UTC))


def reply_from_row(row: sqlite3.Row) -> SavedReply:
    return SavedReply(
        id=row["id"],
        title=row["title"],
        body=row["body"],
        position=row["position"],
        updated_at=from_db_time(row["updated_at"]),
    )


def event_from_row(row: sqlite3.Row) -> ReceivedEvent:
    received = from_db_time(row["received_at"])
    assert received is not None
    return ReceivedEvent(
        id=row["id"],
        provider=row["provider"],
        kind=row["kind"],
        received_at=received,
        phone=row["phone"],
        occurred_at=from_db_time(row["occurred_at"]),
        text=row["text"],
        status_code=row["status_code"],
        raw=row["raw"],
    )


class LocalQueries:
    """Mixed into ``Store``."""

    db: Database

    # --- drafts ---------------------------------------------------------------------------

    def get_draft(self, phone: str) -> str | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT text FROM drafts WHERE phone = ?", (phone,)).fetchone()
        return str(row["text"]) if row else None

    def save_draft(self, phone: str, text: str) -> None:
        """Keep what the person typed; an empty text removes the draft."""
        if not text.strip():
            self.clear_draft(phone)
            return
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO drafts (phone, text, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (phone) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (phone, text, _now()),
            )

    def clear_draft(self, phone: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM drafts WHERE phone = ?", (phone,))

    def phones_with_drafts(self) -> list[str]:
        with self.db.reading() as conn:
            return [r[0] for r in conn.execute("SELECT phone FROM drafts ORDER BY updated_at")]

    # --- saved replies --------------------------------------------------------------------

    def list_saved_replies(self) -> list[SavedReply]:
        with self.db.reading() as conn:
            rows = conn.execute("SELECT * FROM saved_replies ORDER BY position, id").fetchall()
        return [reply_from_row(r) for r in rows]

    def saved_reply(self, reply_id: int) -> SavedReply | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT * FROM saved_replies WHERE id = ?", (reply_id,)).fetchone()
        return reply_from_row(row) if row else None

    def add_saved_reply(self, title: str, body: str) -> SavedReply:
        title, body = _check_reply(title, body)
        now = _now()
        with self.db.transaction() as conn:
            position = conn.execute(
                "SELECT coalesce(max(position), 0) + 1 FROM saved_replies"
            ).fetchone()[0]
            cursor = conn.execute(
                "INSERT INTO saved_replies (title, body, position, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (title, body, position, now, now),
            )
            row = conn.execute(
                "SELECT * FROM saved_replies WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return reply_from_row(row)

    def update_saved_reply(self, reply_id: int, *, title: str, body: str) -> SavedReply:
        title, body = _check_reply(title, body)
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE saved_replies SET title = ?, body = ?, updated_at = ? WHERE id = ?",
                (title, body, _now(), reply_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"There is no saved reply {reply_id} (it may have been deleted).")
            row = conn.execute("SELECT * FROM saved_replies WHERE id = ?", (reply_id,)).fetchone()
        return reply_from_row(row)

    def delete_saved_reply(self, reply_id: int) -> bool:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM saved_replies WHERE id = ?", (reply_id,)).rowcount > 0

    # --- sync cursors ---------------------------------------------------------------------

    def get_cursor(self, name: str) -> str | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT value FROM sync_cursors WHERE name = ?", (name,)).fetchone()
        return str(row["value"]) if row else None

    def set_cursor(self, name: str, value: str | None) -> None:
        """Remember where a sync got to; ``None`` forgets it."""
        with self.db.transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM sync_cursors WHERE name = ?", (name,))
                return
            conn.execute(
                "INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (name, value, _now()),
            )

    # --- received events (webhooks, postbacks) ---------------------------------------------

    def add_received_event(
        self, *, provider: str, kind: str, phone: str | None = None,
        occurred_at: datetime | None = None, text: str | None = None,
        status_code: str | None = None, raw: str = "", dedupe_key: str | None = None,
    ) -> ReceivedEvent | None:
        """Store an event; returns None when ``dedupe_key`` was seen before."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO received_events (provider, kind, phone, occurred_at, text, "
                "status_code, raw, dedupe_key, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (dedupe_key) DO NOTHING",
                (provider, kind, phone, to_db_time(occurred_at) if occurred_at else None, text,
                 status_code, raw, dedupe_key, _now()),
            )
            if cursor.rowcount == 0:
                return None
            row = conn.execute(
                "SELECT * FROM received_events WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return event_from_row(row)

    def list_received_events(self, *, phone: str | None = None, limit: int = 100
                             ) -> list[ReceivedEvent]:
        sql = "SELECT * FROM received_events"
        params: list[object] = []
        if phone is not None:
            sql += " WHERE phone = ?"
            params.append(phone)
        sql += " ORDER BY received_at DESC, id DESC LIMIT ?"
        params.append(max(0, limit))
        with self.db.reading() as conn:
            return [event_from_row(r) for r in conn.execute(sql, params).fetchall()]


def _check_reply(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise ValueError("A saved reply needs a title (a few words to find it by).")
    if not body:
        raise ValueError("A saved reply needs some text.")
    return title, body
