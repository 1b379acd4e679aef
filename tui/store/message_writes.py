"""Writing one server message into the cache (a new text, a receipt, our own reply coming back
in place of its stand-in) and keeping its conversation's list row current."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from tui.api.codes import delivery_state
from tui.store.records import StoredMessage, is_same_text, phone_digits, to_db_time
from tui.store.webhook_texts import claim_webhook_text

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Message

PREVIEW_LENGTH = 160
OUTBOX_KEY_FIELD = "smsdesk_key"


def preview_of(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= PREVIEW_LENGTH else flat[: PREVIEW_LENGTH - 1] + "…"


def ensure_conversation(conn: sqlite3.Connection, phone: str) -> None:
    """Create the conversation row (named after a cached contact) if it is not there yet."""
    contact = conn.execute(
        "SELECT id, full_name FROM contacts WHERE phone = ? ORDER BY updated_at DESC LIMIT 1",
        (phone,),
    ).fetchone()
    conn.execute(
        "INSERT INTO conversations (phone, phone_digits, contact_id, display_name) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (phone) DO NOTHING",
        (
            phone,
            phone_digits(phone),
            contact["id"] if contact else None,
            (contact["full_name"] or None) if contact else None,
        ),
    )


def refresh_conversation(conn: sqlite3.Connection, phone: str) -> None:
    """Recompute the list row of one phone from its messages (two indexed lookups)."""
    ensure_conversation(conn, phone)
    last = conn.execute(
        "SELECT body, direction, created_at FROM messages WHERE phone = ? "
        "ORDER BY created_at DESC, rowid DESC LIMIT 1",
        (phone,),
    ).fetchone()
    unread = conn.execute(
        "SELECT count(*) FROM messages WHERE phone = ? AND direction = 'incoming' AND read = 0",
        (phone,),
    ).fetchone()[0]
    # Their oldest text after our last one: how long they have been waiting for an answer.
    waiting = conn.execute(
        "SELECT min(created_at) FROM messages WHERE phone = ? AND direction = 'incoming' "
        "AND created_at > coalesce((SELECT max(created_at) FROM messages WHERE phone = ? "
        "AND direction = 'outgoing'), '')",
        (phone, phone),
    ).fetchone()[0]
    conn.execute(
        "UPDATE conversations SET last_message_at = ?, last_preview = ?, last_direction = ?, "
        "unread_count = ?, waiting_since = ? WHERE phone = ?",
        (
            last["created_at"] if last else None,
            preview_of(last["body"]) if last else "",
            last["direction"] if last else None,
            unread,
            waiting,
            phone,
        ),
    )
    # A new text from them reopens a conversation marked done; our reply answers "needs reply".
    if last is not None:
        cleared = "done" if last["direction"] == "incoming" else "needs_reply"
        conn.execute(
            "UPDATE conversations SET triage = NULL, triage_at = NULL WHERE phone = ? "
            "AND triage = ? AND triage_at < ?",
            (phone, cleared, last["created_at"]),
        )


def _receipt_fields(message: Message) -> tuple[str | None, str | None, str | None]:
    receipt = message.receipt
    if receipt is None:
        return None, None, None
    # A server may leave out the receipt's time: the message's own last change stands in.
    when = receipt.updated_at or message.updated_at
    return receipt.code, delivery_state(receipt.code), to_db_time(when)


def stored_from_api(message: Message, *, outbox_key: str | None = None) -> StoredMessage:
    code, state, _updated = _receipt_fields(message)
    return StoredMessage(
        id=message.id,
        phone=message.phone_number,
        body=message.message,
        direction=message.direction,
        read=message.read or message.direction == "outgoing",
        created_at=message.created_at,
        delivery_code=code,
        delivery_state=state,
        contact_id=message.contact_id,
        message_type=message.type.name if message.type else None,
        outbox_key=outbox_key,
        metadata=dict(message.metadata),
    )


def write_message(conn: sqlite3.Connection, message: Message) -> tuple[bool, bool]:
    """Insert or refresh one server message: returns (is_new, changed_something)."""
    code, state, receipt_at = _receipt_fields(message)
    row = conn.execute(
        "SELECT delivery_code FROM messages WHERE id = ?", (message.id,)
    ).fetchone()
    if row is not None:
        if code is None or code == row["delivery_code"]:
            return False, False
        conn.execute(
            "UPDATE messages SET delivery_code = ?, delivery_state = ?, delivery_updated_at = ? "
            "WHERE id = ?",
            (code, state, receipt_at, message.id),
        )
        return False, True
    key = message.metadata.get(OUTBOX_KEY_FIELD)
    if message.direction == "outgoing" and key:
        # Our own reply coming back from the server: it replaces its local stand-in.
        local = conn.execute(
            "SELECT id, phone, body FROM messages WHERE outbox_key = ?", (key,)
        ).fetchone()
        # Only the same text to the same number stands for our reply (a server that reuses
        # ids or keys must never move a reply into another conversation).
        if local is not None and is_same_text(local["phone"], local["body"],
                                              message.phone_number, message.message):
            conn.execute(
                "UPDATE messages SET id = ?, created_at = ?, delivery_code = ?, "
                "delivery_state = ?, delivery_updated_at = ?, contact_id = ?, message_type = ?, "
                "metadata = ?, read = 1 WHERE outbox_key = ?",
                (message.id, to_db_time(message.created_at), code, state, receipt_at,
                 message.contact_id, message.type.name if message.type else None,
                 json.dumps(message.metadata), key),
            )
            return False, True
    if message.direction == "incoming" and claim_webhook_text(
        conn, message.id, message.phone_number, message.message, message.created_at
    ):
        return False, True
    conn.execute(
        "INSERT INTO messages (id, phone, body, direction, read, created_at, delivery_code, "
        "delivery_state, delivery_updated_at, contact_id, message_type, outbox_key, metadata) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        (
            message.id, message.phone_number, message.message, message.direction,
            int(message.read or message.direction == "outgoing"),
            to_db_time(message.created_at), code, state, receipt_at, message.contact_id,
            message.type.name if message.type else None, json.dumps(message.metadata),
        ),
    )
    return True, True
