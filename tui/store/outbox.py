"""The outbox table: texts the person asked to send, written before anything is posted."""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.store.db import Database
from tui.store.message_writes import refresh_conversation, write_message
from tui.store.records import (
    LOCAL_ID_PREFIX,
    OUTBOX_STATES,
    OutboxItem,
    Recipient,
    from_db_time,
    is_same_text,
    to_db_time,
)

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Message


class Keep(enum.Enum):
    """``update_outbox`` leaves a field alone when it is given ``KEEP``."""

    KEEP = 0


KEEP = Keep.KEEP


def _recipients(raw: str | None) -> dict[str, Recipient]:
    data = json.loads(raw or "{}")
    return {phone: Recipient(**fields) for phone, fields in data.items()}


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
        kind=row["kind"],
        phones=tuple(json.loads(row["phones"] or "[]")),
        recipients=_recipients(row["recipients"]),
        campaign_ref=row["campaign_ref"],
        posted_at=from_db_time(row["posted_at"]),
        server_offset=row["server_offset"],
        lease_owner=row["lease_owner"],
        lease_expires_at=from_db_time(row["lease_expires_at"]),
    )


def _get(conn: sqlite3.Connection, key: str) -> OutboxItem | None:
    row = conn.execute("SELECT * FROM outbox WHERE key = ?", (key,)).fetchone()
    return outbox_from_row(row) if row else None


def _refresh(conn: sqlite3.Connection, item: OutboxItem) -> None:
    # A reply lives in its conversation; a batch (a campaign) does not make conversations.
    if item.kind == "single":
        refresh_conversation(conn, item.phone)


def _time_or_none(value: datetime | None) -> str | None:
    return to_db_time(value) if value else None


class OutboxQueries:
    """Mixed into ``Store``. Every change is one transaction; state changes can be conditional."""

    db: Database

    def add_outbox(
        self, *, key: str, phone: str, body: str, contact_id: str | None = None,
        created_at: datetime | None = None, replaces_draft: bool = False,
    ) -> OutboxItem:
        """Queue a text and show it in its conversation at once (as ``local:<key>``).

        ``replaces_draft`` (Enter in the reply box): the conversation's draft goes in the same
        transaction, so a kill before the box is cleared cannot leave it there to be sent again.
        """
        when = to_db_time(created_at or datetime.now(UTC))
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO outbox (key, phone, body, contact_id, state, attempts, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)",
                (key, phone, body, contact_id, when, when),
            )
            if replaces_draft:
                conn.execute("DELETE FROM drafts WHERE phone = ?", (phone,))
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

    def add_outbox_batch(
        self, *, key: str, phones: Sequence[str], body: str, campaign_ref: str | None = None,
        created_at: datetime | None = None,
    ) -> OutboxItem:
        """Queue one text to up to 100 numbers; the same key again returns the existing item."""
        when = to_db_time(created_at or datetime.now(UTC))
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO outbox (key, kind, phone, phones, campaign_ref, body, state, "
                "attempts, created_at, updated_at) VALUES (?, 'batch', '', ?, ?, ?, 'queued', 0, "
                "?, ?) ON CONFLICT (key) DO NOTHING",
                (key, json.dumps(list(phones)), campaign_ref, body, when, when),
            )
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
        recipients: Mapping[str, Recipient] | Keep = KEEP,
        posted_at: datetime | Keep | None = KEEP,
        server_offset: float | Keep | None = KEEP,
        lease: tuple[str | None, datetime | None] | Keep = KEEP,
        leasable_by: tuple[str, datetime] | None = None,
        now: datetime | None = None,
    ) -> OutboxItem | None:
        """Change an item; with ``expect`` only if its state is one of those (else None).

        ``lease=(owner, expires)`` takes or drops the lease; ``leasable_by=(owner, now)`` changes
        the item only if nobody else holds an unexpired lease on it.
        """
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
            sets["next_attempt_at"] = _time_or_none(next_attempt_at)
        if not isinstance(recipients, Keep):
            sets["recipients"] = json.dumps({p: asdict(r) for p, r in recipients.items()})
        if not isinstance(posted_at, Keep):
            sets["posted_at"] = _time_or_none(posted_at)
        if not isinstance(server_offset, Keep):
            sets["server_offset"] = server_offset
        if not isinstance(lease, Keep):
            sets["lease_owner"], sets["lease_expires_at"] = lease[0], _time_or_none(lease[1])
        sql = "UPDATE outbox SET " + ", ".join(f"{k} = ?" for k in sets) + " WHERE key = ?"
        params: list[object] = [*sets.values(), key]
        if expect is not None:
            states = list(expect)
            sql += f" AND state IN ({','.join('?' * len(states))})"
            params.extend(states)
        if leasable_by is not None:
            owner, at = leasable_by
            sql += " AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ?)"
            params.extend((owner, to_db_time(at)))
        with self.db.transaction() as conn:
            if conn.execute(sql, params).rowcount == 0:
                return None
            item = _get(conn, key)
            if item is not None:
                # The conversation's preview line does not change, but its row is touched so a
                # list that shows outbox state stays right.
                _refresh(conn, item)
        return item

    def outbox_sent(self, key: str, message: Message | None, *, now: datetime | None = None
                    ) -> OutboxItem | None:
        """The server has the text: mark the item sent and let the server copy replace ours.

        ``message`` None: the person said it went out (no server copy known). A server message
        with another number or text is never attached to the item (returns None, nothing done).
        """
        stamp = to_db_time(now or datetime.now(UTC))
        with self.db.transaction() as conn:
            item = _get(conn, key)
            if item is None or item.kind != "single":
                return None
            if message is not None and not is_same_text(
                item.phone, item.body, message.phone_number, message.message
            ):
                return None
            conn.execute(
                "UPDATE outbox SET state = 'sent', message_id = ?, last_error = NULL, "
                "next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, "
                "updated_at = ? WHERE key = ?",
                (message.id if message else None, stamp, key),
            )
            if message is not None:
                _attach(conn, key, item, message)
            refresh_conversation(conn, item.phone)
            return _get(conn, key)

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
            _refresh(conn, item)
        return item

    def list_outbox(
        self, *, states: Collection[str] | None = None, phone: str | None = None,
        campaign_ref: str | None = None, limit: int = 500,
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
        if campaign_ref is not None:
            clauses.append("campaign_ref = ?")
            params.append(campaign_ref)
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

    def list_unclear_outbox(self) -> list[OutboxItem]:
        """Texts that may or may not have gone out, waiting for the person to decide."""
        return self.list_outbox(states=("unclear",))


def _attach(conn: sqlite3.Connection, key: str, item: OutboxItem, message: Message) -> None:
    """Let the server's copy of a reply stand for it in the conversation (same text only)."""
    local = conn.execute(
        "SELECT rowid FROM messages WHERE outbox_key = ?", (key,)
    ).fetchone()
    server = conn.execute(
        "SELECT rowid, phone, body, outbox_key FROM messages WHERE id = ?", (message.id,)
    ).fetchone()
    if server is not None and (local is None or server["rowid"] != local["rowid"]):
        if server["outbox_key"] not in (None, key) or not is_same_text(
            item.phone, item.body, server["phone"], server["body"]
        ):
            return  # that row is another text: the local stand-in stays
        if local is not None:
            conn.execute("DELETE FROM messages WHERE rowid = ?", (local["rowid"],))
        conn.execute("UPDATE messages SET outbox_key = ? WHERE id = ?", (key, message.id))
        return
    tagged = message.model_copy(update={"metadata": {**message.metadata, "smsdesk_key": key}})
    write_message(conn, tagged)  # replaces the local stand-in (matched by key)
    conn.execute("UPDATE messages SET outbox_key = ? WHERE id = ? AND outbox_key IS NULL",
                 (key, message.id))
