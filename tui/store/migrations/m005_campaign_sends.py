"""Migration 5: campaign sends, their requests (sent exactly once) and their stored reports."""

from __future__ import annotations

from typing import Final

# A send is written whole before its first request is posted, so a send cut off by Ctrl+C,
# kill or a lost network resumes where it stopped. A batch request's key is also its outbox
# item's key: the outbox posts it exactly once and keeps what became of each number.
SQL: Final = """
CREATE TABLE campaign_sends (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    template TEXT NOT NULL,
    audience TEXT NOT NULL DEFAULT '',
    campaign_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('sending', 'cancelled', 'done')),
    recipients INTEGER NOT NULL DEFAULT 0,
    skipped TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX campaign_sends_recent ON campaign_sends (created_at DESC);
CREATE INDEX campaign_sends_open ON campaign_sends (created_at) WHERE state = 'sending';

CREATE TABLE campaign_requests (
    key TEXT PRIMARY KEY,
    send_id TEXT NOT NULL REFERENCES campaign_sends (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('batch', 'schedule')),
    message TEXT NOT NULL,
    phones TEXT NOT NULL,
    send_at TEXT,
    state TEXT NOT NULL
        CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unclear', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    refused TEXT NOT NULL DEFAULT '{}',
    result_ids TEXT NOT NULL DEFAULT '[]',
    next_attempt_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX campaign_requests_by_send ON campaign_requests (send_id, seq);
CREATE INDEX campaign_requests_open ON campaign_requests (send_id, seq)
    WHERE state IN ('queued', 'sending');
"""
