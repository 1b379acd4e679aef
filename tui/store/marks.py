"""Read marks, opt-outs and keyword badges of conversations (local; services mirror them)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

from tui.store.db import Database
from tui.store.message_writes import ensure_conversation, refresh_conversation
from tui.store.records import to_db_time


class MarkQueries:
    """Mixed into ``Store``."""

    db: Database

    # --- read marks (local; the inbox service mirrors them to the server) -----------------

    def mark_conversation_read(self, phone: str) -> list[str]:
        """Mark every unread incoming text read; returns their ids (to PUT, or to revert)."""
        with self.db.transaction() as conn:
            ids = [r["id"] for r in conn.execute(
                "SELECT id FROM messages WHERE phone = ? AND direction = 'incoming' AND read = 0",
                (phone,),
            )]
            if ids:
                self._set_read(conn, ids, True)
                refresh_conversation(conn, phone)
        return ids

    def mark_conversation_unread(self, phone: str) -> str | None:
        """Mark the newest incoming text unread; returns its id (None when there is none)."""
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT id, read FROM messages WHERE phone = ? AND direction = 'incoming' "
                "ORDER BY created_at DESC, rowid DESC LIMIT 1",
                (phone,),
            ).fetchone()
            if row is None:
                return None
            self._set_read(conn, [row["id"]], False)
            refresh_conversation(conn, phone)
        return str(row["id"])

    def set_messages_read(self, message_ids: Iterable[str], read: bool) -> set[str]:
        """Set ``read`` on these texts (used to undo a failed mark); returns phones touched."""
        ids = list(message_ids)
        if not ids:
            return set()
        with self.db.transaction() as conn:
            phones = self._set_read(conn, ids, read)
            for phone in phones:
                refresh_conversation(conn, phone)
        return phones

    @staticmethod
    def _set_read(conn: sqlite3.Connection, ids: list[str], read: bool) -> set[str]:
        phones: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            conn.execute(f"UPDATE messages SET read = ? WHERE id IN ({marks})", (int(read), *chunk))
            phones.update(
                r[0] for r in conn.execute(
                    f"SELECT DISTINCT phone FROM messages WHERE id IN ({marks})", chunk
                )
            )
        return phones

    # --- marks the server has not heard of yet (offline) ----------------------------------

    def queue_read_marks(self, message_ids: Iterable[str], read: bool) -> None:
        """Remember marks to send when the server answers again (the newest wish wins)."""
        now = to_db_time(datetime.now(UTC))
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO pending_read_marks (message_id, read, queued_at) VALUES (?, ?, ?) "
                "ON CONFLICT (message_id) DO UPDATE SET read = excluded.read, "
                "queued_at = excluded.queued_at",
                [(i, int(read), now) for i in message_ids],
            )

    def pending_read_marks(self) -> list[tuple[str, bool]]:
        with self.db.reading() as conn:
            rows = conn.execute(
                "SELECT message_id, read FROM pending_read_marks ORDER BY queued_at, message_id"
            ).fetchall()
        return [(r["message_id"], bool(r["read"])) for r in rows]

    def forget_read_marks(self, message_ids: Iterable[str]) -> None:
        """A newer mark of these texts is on its way: the waiting ones are out of date."""
        with self.db.transaction() as conn:
            conn.executemany(
                "DELETE FROM pending_read_marks WHERE message_id = ?", [(i,) for i in message_ids]
            )

    def forget_read_mark(self, message_id: str, read: bool) -> None:
        """The server has it (unless the person changed their mind meanwhile)."""
        with self.db.transaction() as conn:
            conn.execute(
                "DELETE FROM pending_read_marks WHERE message_id = ? AND read = ?",
                (message_id, int(read)),
            )

    # --- opt-out and keyword badges -------------------------------------------------------

    def set_opted_out(self, phone: str, opted_out: bool, *, at: datetime | None = None) -> None:
        """The person (or a STOP/START text) changed whether this number may be texted."""
        with self.db.transaction() as conn:
            ensure_conversation(conn, phone)
            badges = _badges(conn, phone)
            badges = [b for b in badges if b not in ("STOP", "START")]
            badges.append("STOP" if opted_out else "START")
            conn.execute(
                "UPDATE conversations SET opted_out = ?, opted_out_changed_at = ?, badges = ? "
                "WHERE phone = ?",
                (int(opted_out), to_db_time(at or datetime.now(UTC)), json.dumps(badges), phone),
            )

    def add_badge(self, phone: str, badge: str) -> None:
        """Show a keyword badge (e.g. "HELP") on the conversation."""
        with self.db.transaction() as conn:
            ensure_conversation(conn, phone)
            badges = _badges(conn, phone)
            if badge not in badges:
                badges.append(badge)
                conn.execute(
                    "UPDATE conversations SET badges = ? WHERE phone = ?",
                    (json.dumps(badges), phone),
                )

    def clear_badges(self, phone: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("UPDATE conversations SET badges = '[]' WHERE phone = ?", (phone,))


def _badges(conn: sqlite3.Connection, phone: str) -> list[str]:
    row = conn.execute("SELECT badges FROM conversations WHERE phone = ?", (phone,)).fetchone()
    return list(json.loads(row["badges"])) if row else []
