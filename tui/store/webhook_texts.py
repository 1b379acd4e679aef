"""Inbound texts that came by webhook, and the server's copy of them taking over.

An inbound text that arrives by webhook has no message id (Mobiniti's ``id`` is the contact's),
so it is stored as a stand-in ``hook:<event id>``; when the poller later reads the same text
from the server, ``claim_webhook_text`` gives the stand-in its real id instead of adding a copy.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from typing import Final

from tui.safe_text import shown
from tui.store.records import to_db_time

HOOK_ID_PREFIX: Final = "hook:"
# A webhook's received_at and the server's created_at of the same text are this close.
SAME_TEXT_WINDOW: Final = timedelta(minutes=10)


def near(at: datetime) -> tuple[str, str]:
    return to_db_time(at - SAME_TEXT_WINDOW), to_db_time(at + SAME_TEXT_WINDOW)


def claim_webhook_text(conn: sqlite3.Connection, message_id: str, phone: str, body: str,
                       created_at: datetime) -> bool:
    """The server's copy of a text that came by webhook takes over its stand-in (if any)."""
    low, high = near(created_at)
    row = conn.execute(
        "SELECT id FROM messages WHERE phone = ? AND direction = 'incoming' AND id LIKE 'hook:%' "
        "AND body = ? AND created_at BETWEEN ? AND ? ORDER BY created_at LIMIT 1",
        (phone, shown(body), low, high),
    ).fetchone()
    if row is None:
        return False
    conn.execute("UPDATE messages SET id = ?, body = ?, created_at = ? WHERE id = ?",
                 (message_id, body, to_db_time(created_at), row["id"]))
    return True
