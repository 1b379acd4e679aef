"""The outbox table: texts the person asked to send, written before anything is posted."""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Collection
from datetime import UTC, datetime

from tui.api.models import Message
from tui.store.conversations import refresh_conversation, write_message
from tui.store.db import Database
from tui.store.records import (
    LOCAL_ID_PREFIX,
    OUTBOX_STATES,
    OutboxItem,
    from_db_time,
    to_db_time,
)


class Keep(enum.Enum):
    """``update_outbox`` leaves a field alone when it is given ``KEEP``."""

    KEEP = 0


KEEP = Keep.KEEP


def outbox_from_row(row: sqlite3.Row) -> OutboxItem:
    created, updated = from_db_time(row["created_at"]), from_db_time(row["updated_at"])
    assert created is not None and updated is not None
    return OutboxItem(
        key=row["key"],
        phone=row["phone"],
        body=row["body"],
        state=row["state"],
        created_at=created,
        updated_at=updated,
        contact_id=row["contact_id"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        message_id=row["message_id"],
        next_attempt_at=from_db_time(row["next_attempt_at"]),
    )


def _get(conn: sqlite3.Connection, key: str) -> OutboxItem | None:
    row = conn.execute("SELECT * FROM outbox WHERE key = ?", (key,)).fetchone()
    return outbox_from_row(row) if row else None


class OutboxQueries:
    """Mixed into ``Store``. Every change is one transaction; state changes can be conditional."""

    db: Database

    def add_outbox(
        self, *, key: str, phone: str, body: str, contact_id: str | None = None,
        created_at: datetime | None = None,
    ) -> OutboxItem:
        """Queue a text and show it in its conversation at once (as ``local:<key>``)."""
        when = to_db_time(created_at or datetime.now(UTC))
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO outbox (key, phone, body, contact_id, state, attempts, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)",
                (key, phone, body, contact_id, when, when),
            )
            conn.execute(
                "INSERT INTO messages (id, phone, body, direction, read, created_at, contact_id, "
                "outbox_key, metadata) VALUES (?, ?, ?, 'outgoing', 1, ?, ?, ?, ?)",
                (LOCAL_ID_PREFIX + key, phone, body, when, contact_id, key,
                 json.dumps({"smsdesk_key": key})),
            )
            refresh_conversation(conn, phone)
            item = _get(conn, key)
        assert item is not None
        return item

    def get_outbox(self, key: str) -> OutboxItem | None:
        with self.db.reading() as conn:
            return _get(conn, key)

    def update_outbox(
        self,
        key: str,
        *,
        state: str | Keep = KEEP,
        expect: Collection[str] | None = None,
        attempts: int | Keep = KEEP,
        last_error: str | Keep | None = KEEP,
        message_id: str | Keep | None = KEEP,
        next_attempt_at: datetime | Keep | None = KEEP,
        now: datetime | None = None,
    ) -> OutboxItem | None:
        """Change an item; with ``expect`` only if its state is one of those (else None)."""
        sets: dict[str, object] = {"updated_at": to_db_time(now or datetime.now(UTC))}
        if not isinstance(state, Keep):
            if state not in OUTBOX_STATES:
                raise ValueError(f"Unknown outbox state {state!r}.")
            sets["state"] = state
        if not isinstance(attempts, Keep):
            sets["attempts"] = attempts
        if not isinstance(last_error, Keep):
            sets["last_error"] = last_error
        if not isinstance(message_id, Keep):
            sets["message_id"] = message_id
        if not isinstance(next_attempt_at, Keep):
            sets["next_attempt_at"] = to_db_time(next_attempt_at) if next_attempt_at else None
        sql = "UPDATE outbox SET " + ", ".join(f"{k} = ?" for k in sets) + " WHERE key = ?"
        params: list[object] = [*sets.values(), key]
        if expect is not None:
            states = list(expect)
            sql += f" AND state IN ({','.join('?' * len(states))})"
            params.extend(states)
        with self.db.transaction() as conn:
            if conn.execute(sql, params).rowcount == 0:
                return None
            item = _get(conn, key)
            if item is not None:
                # The conversation's preview line does not change, but its row is touched so a
                # list that shows outbox state stays right.
                refresh_conversation(conn, item.phone)
        return item

    def outbox_sent(self, key: str, message: Message, *, now: datetime | None = None
                    ) -> OutboxItem | None:
        """The server has the text: mark the item sent and let the server copy replace ours."""
        stamp = to_db_time(now or datetime.now(UTC))
        with self.db.transaction() as conn:
            conn.execute(
                "UPDATE outbox SET state = 'sent', message_id = ?, last_error = NULL, "
                "next_attempt_at = NULL, updated_at = ? WHERE key = ?",
                (message.id, stamp, key),
            )
            local = conn.execute(
                "SELECT rowid FROM messages WHERE outbox_key = ?", (key,)
            ).fetchone()
            server = conn.execute(
                "SELECT rowid FROM messages WHERE id = ?", (message.id,)
            ).fetchone()
            if server is not None and (local is None or server["rowid"] != local["rowid"]):
                if local is not None:
                    conn.execute("DELETE FROM messages WHERE rowid = ?", (local["rowid"],))
                conn.execute("UPDATE messages SET outbox_key = ? WHERE id = ?", (key, message.id))
            else:
                tagged = message.model_copy(
                    update={"metadata": {**message.metadata, "smsdesk_key": key}}
                )
                write_message(conn, tagged)  # replaces the local stand-in (matched by key)
                conn.execute("UPDATE messages SET outbox_key = ? WHERE id = ?", (key, message.id))
            refresh_conversation(conn, message.phone_number)
            item = _get(conn, key)
        return item

    def cancel_outbox(self, key: str, *, now: datetime | None = None) -> OutboxItem | None:
        """The person discarded a queued or failed text: it leaves the conversation too."""
        with self.db.transaction() as conn:
            changed = conn.execute(
                "UPDATE outbox SET state = 'cancelled', next_attempt_at = NULL, updated_at = ? "
                "WHERE key = ? AND state IN ('queued', 'failed')",
                (to_db_time(now or datetime.now(UTC)), key),
            ).rowcount
            if not changed:
                return None
            item = _get(conn, key)
            assert item is not None
            conn.execute(
                "DELETE FROM messages WHERE outbox_key = ? AND id LIKE ?",
                (key, LOCAL_ID_PREFIX + "%"),
            )
            refresh_conversation(conn, item.phone)
        return item

    def list_outbox(
        self, *, states: Collection[str] | None = None, phone: str | None = None,
        limit: int = 500,
    ) -> list[OutboxItem]:
        clauses: list[str] = []
        params: list[object] = []
        if states is not None:
            wanted = list(states)
            clauses.append(f"state IN ({','.join('?' * len(wanted))})")
            params.extend(wanted)
        if phone is not None:
            clauses.append("phone = ?")
            params.append(phone)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self.db.reading() as conn:
            rows = conn.execute(
                f"SELECT * FROM outbox {where} ORDER BY created_at, key LIMIT ?",
                (*params, max(0, limit)),
            ).fetchall()
        return [outbox_from_row(r) for r in rows]

    def list_pending_outbox(self) -> list[OutboxItem]:
        """Queued or sending, oldest first: what the sender still has to do."""
        return self.list_outbox(states=("queued", "sending"))

    def list_failed_outbox(self) -> list[OutboxItem]:
        """Failed texts waiting for the person to retry or discard them."""
        return self.list_outbox(states=("failed",))
