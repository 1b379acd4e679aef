"""What provider events change in the cache: webhook texts, opt-outs, delivery states."""

from __future__ import annotations

from datetime import datetime

from tui.api.codes import REJECTED, delivery_state
from tui.safe_text import shown
from tui.store.db import Database
from tui.store.message_writes import refresh_conversation
from tui.store.records import to_db_time
from tui.store.webhook_texts import HOOK_ID_PREFIX, near


class EventEffectQueries:
    """Mixed into ``Store``."""

    db: Database

    def add_webhook_text(self, *, event_id: int, phone: str, body: str, at: datetime,
                         contact_id: str | None = None) -> bool:
        """An inbound text from a webhook; False when the poller already has it.

        Texts carry no id here, so it counts: if this number sent this text N times around
        this time by webhook (this one included) and the cache already holds N such texts
        (the poller's, or earlier stand-ins), this one is among them. "yes" sent twice is two.
        """
        low, high = near(at)
        with self.db.transaction() as conn:
            webhooks = conn.execute(
                "SELECT count(*) FROM received_events WHERE phone = ? AND kind = "
                "'inbound_message' AND text = ? AND id <= ? AND coalesce(occurred_at, "
                "received_at) BETWEEN ? AND ?", (phone, body, event_id, low, high),
            ).fetchone()[0]
            held = sum(1 for row in conn.execute(
                "SELECT body FROM messages WHERE phone = ? AND direction = 'incoming' AND "
                "created_at BETWEEN ? AND ?", (phone, low, high),
            ) if shown(row["body"]) == body)
            if held >= max(1, webhooks):
                return False
            conn.execute(
                "INSERT INTO messages (id, phone, body, direction, read, created_at, contact_id) "
                "VALUES (?, ?, ?, 'incoming', 0, ?, ?) ON CONFLICT (id) DO NOTHING",
                (f"{HOOK_ID_PREFIX}{event_id}", phone, body, to_db_time(at), contact_id),
            )
            refresh_conversation(conn, phone)
        return True

    def set_contact_subscribed(self, phone: str, subscribed: bool, *, at: datetime) -> int:
        """The contact mirror follows an opt-in or opt-out event; returns rows changed."""
        with self.db.transaction() as conn:
            return conn.execute(
                "UPDATE contacts SET subscribed = ?, unsubscribed_at = ? WHERE phone = ?",
                (int(subscribed), None if subscribed else to_db_time(at), phone),
            ).rowcount

    def set_delivery(self, *, code: str, message_id: str | None = None,
                     outbox_key: str | None = None, at: datetime) -> str | None:
        """A delivery report for one of our texts; returns its phone when we have it."""
        with self.db.transaction() as conn:
            row = None
            if message_id:
                row = conn.execute("SELECT id, phone FROM messages WHERE id = ?",
                                   (message_id,)).fetchone()
            if row is None and outbox_key:
                row = conn.execute("SELECT id, phone FROM messages WHERE outbox_key = ?",
                                   (outbox_key,)).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE messages SET delivery_code = ?, delivery_state = ?, "
                "delivery_updated_at = ? WHERE id = ?",
                (code, delivery_state(code), to_db_time(at), row["id"]),
            )
            refresh_conversation(conn, row["phone"])
            return str(row["phone"])

    def mark_rejected(self, *, body: str, reason: str, since: datetime, at: datetime
                      ) -> tuple[str, str | None] | None:
        """The newest text we sent with this body failed; returns (phone, outbox key) if found.

        The outbox keeps the reason next to the text, so the person sees why it did not go.
        """
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT id, phone, outbox_key FROM messages WHERE direction = 'outgoing' AND "
                "body = ? AND created_at >= ? AND coalesce(delivery_state, '') != 'delivered' "
                "ORDER BY created_at DESC LIMIT 1", (body, to_db_time(since)),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE messages SET delivery_code = ?, delivery_state = 'failed', "
                "delivery_updated_at = ? WHERE id = ?", (REJECTED, to_db_time(at), row["id"]),
            )
            if row["outbox_key"]:
                conn.execute("UPDATE outbox SET last_error = ?, updated_at = ? WHERE key = ?",
                             (reason, to_db_time(at), row["outbox_key"]))
            refresh_conversation(conn, row["phone"])
            return str(row["phone"]), row["outbox_key"]
