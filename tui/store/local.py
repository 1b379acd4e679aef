"""What only this machine knows: drafts, saved replies and sync cursors."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from tui.store.db import Database
from tui.store.records import SavedReply, from_db_time, to_db_time


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


def _check_reply(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title:
        raise ValueError("A saved reply needs a title (a few words to find it by).")
    if not body:
        raise ValueError("A saved reply needs some text.")
    return title, body
