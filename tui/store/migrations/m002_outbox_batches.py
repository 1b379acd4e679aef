"""Outbox: batch entries (one text to up to 100 numbers), the "unclear" state, and a lease.

SQLite cannot change a CHECK constraint, so the table is rebuilt (its rows kept).
- ``kind``: 'single' (one reply; ``phone``) or 'batch' (``phones`` JSON list, ``phone`` '').
- ``recipients``: JSON ``{phone: {"state", "message_id", "reason"}}`` for a batch's outcome.
- ``posted_at`` / ``server_offset``: when the first POST left (local clock) and how far the
  server's clock was from ours then, so a lookup window follows the server's time.
- ``lease_owner`` / ``lease_expires_at``: the process sending it; nobody else reconciles it
  before the lease expires.
"""

from __future__ import annotations

from typing import Final

SQL: Final = """
CREATE TABLE outbox_v2 (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL DEFAULT 'single' CHECK (kind IN ('single', 'batch')),
    phone TEXT NOT NULL,
    phones TEXT NOT NULL DEFAULT '[]',
    recipients TEXT NOT NULL DEFAULT '{}',
    campaign_ref TEXT,
    body TEXT NOT NULL,
    contact_id TEXT,
    state TEXT NOT NULL
        CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unclear', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    message_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    next_attempt_at TEXT,
    posted_at TEXT,
    server_offset REAL,
    lease_owner TEXT,
    lease_expires_at TEXT
);
INSERT INTO outbox_v2 (key, phone, body, contact_id, state, attempts, last_error, message_id,
                       created_at, updated_at, next_attempt_at)
    SELECT key, phone, body, contact_id, state, attempts, last_error, message_id, created_at,
           updated_at, next_attempt_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_open ON outbox (created_at)
    WHERE state IN ('queued', 'sending', 'failed', 'unclear');
CREATE INDEX outbox_by_phone ON outbox (phone, created_at);
CREATE INDEX outbox_by_campaign ON outbox (campaign_ref) WHERE campaign_ref IS NOT NULL;
"""
