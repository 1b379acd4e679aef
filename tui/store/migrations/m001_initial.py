"""Migration 1: the whole first schema, its full-text indexes and the default saved replies."""

from __future__ import annotations

from typing import Final

# Times are fixed-width UTC text (records.to_db_time) so they sort as they should.
# The trigram tokenizer finds any 3+ character piece of a name, number or text ("smi", "25300").
SQL: Final = """
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    read INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    delivery_code TEXT,
    delivery_state TEXT,
    delivery_updated_at TEXT,
    contact_id TEXT,
    message_type TEXT,
    outbox_key TEXT,
    metadata TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX messages_by_phone ON messages (phone, created_at DESC);
CREATE INDEX messages_unread ON messages (phone, created_at)
    WHERE direction = 'incoming' AND read = 0;
CREATE INDEX messages_undelivered ON messages (created_at)
    WHERE direction = 'outgoing' AND (delivery_code IS NULL OR delivery_code IN ('136', '137'));
CREATE UNIQUE INDEX messages_by_outbox_key ON messages (outbox_key) WHERE outbox_key IS NOT NULL;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, content='messages', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, new.body);
END;

CREATE TABLE conversations (
    phone TEXT PRIMARY KEY,
    phone_digits TEXT NOT NULL,
    contact_id TEXT,
    display_name TEXT,
    last_message_at TEXT,
    last_preview TEXT NOT NULL DEFAULT '',
    last_direction TEXT,
    unread_count INTEGER NOT NULL DEFAULT 0,
    opted_out INTEGER NOT NULL DEFAULT 0,
    opted_out_changed_at TEXT,
    badges TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX conversations_recent ON conversations (last_message_at DESC, phone);
CREATE INDEX conversations_unread ON conversations (last_message_at DESC, phone)
    WHERE unread_count > 0;
CREATE INDEX conversations_opted_out ON conversations (last_message_at DESC, phone)
    WHERE opted_out = 1;

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    phone_digits TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    email TEXT,
    full_name TEXT NOT NULL DEFAULT '',
    sort_name TEXT NOT NULL DEFAULT '',
    subscribed INTEGER NOT NULL DEFAULT 1,
    unsubscribed_at TEXT,
    groups TEXT NOT NULL DEFAULT '[]',
    fields TEXT NOT NULL DEFAULT '{}',
    created_at TEXT,
    updated_at TEXT,
    synced_at TEXT
);
CREATE INDEX contacts_by_phone ON contacts (phone);
CREATE INDEX contacts_sorted ON contacts (sort_name, id);
CREATE INDEX contacts_synced ON contacts (synced_at);

CREATE VIRTUAL TABLE contacts_fts USING fts5(
    full_name, phone_digits, email, content='contacts', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, full_name, phone_digits, email)
    VALUES (new.rowid, new.full_name, new.phone_digits, new.email);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, full_name, phone_digits, email)
    VALUES ('delete', old.rowid, old.full_name, old.phone_digits, old.email);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF full_name, phone_digits, email ON contacts
BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, full_name, phone_digits, email)
    VALUES ('delete', old.rowid, old.full_name, old.phone_digits, old.email);
    INSERT INTO contacts_fts (rowid, full_name, phone_digits, email)
    VALUES (new.rowid, new.full_name, new.phone_digits, new.email);
END;

CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    contacts_count INTEGER,
    keyword TEXT,
    updated_at TEXT,
    synced_at TEXT
);
CREATE INDEX groups_by_name ON groups (name COLLATE NOCASE);

CREATE TABLE drafts (
    phone TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE outbox (
    key TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    body TEXT NOT NULL,
    contact_id TEXT,
    state TEXT NOT NULL
        CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    message_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    next_attempt_at TEXT
);
CREATE INDEX outbox_open ON outbox (created_at) WHERE state IN ('queued', 'sending', 'failed');
CREATE INDEX outbox_by_phone ON outbox (phone, created_at);

CREATE TABLE sync_cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE saved_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE received_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider TEXT NOT NULL,
    kind TEXT NOT NULL,
    phone TEXT,
    occurred_at TEXT,
    text TEXT,
    status_code TEXT,
    raw TEXT NOT NULL DEFAULT '',
    dedupe_key TEXT UNIQUE,
    received_at TEXT NOT NULL
);
CREATE INDEX received_events_recent ON received_events (received_at DESC);
CREATE INDEX received_events_by_phone ON received_events (phone, received_at DESC);

-- Plain GSM-7 text only: one curly quote would make every reply cost twice as much.
-- Merge fields use tui.sms.merge syntax: {name|fallback}.
INSERT INTO saved_replies (title, body, position, created_at, updated_at) VALUES
    ('Thanks, on it',
     'Hi {first_name|there}, thanks for your message! We will get back to you shortly.',
     1, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'),
    ('Opening hours',
     'Hi {first_name|there}, we are open Mon-Fri 9am-6pm and Sat 10am-4pm. See you soon!',
     2, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'),
    ('Call you?',
     'Hi {first_name|there}, this is easier by phone. Is it OK if we call you at this number?',
     3, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'),
    ('How to stop',
     'You can reply STOP at any time to stop receiving texts from us, or HELP for help.',
     4, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z'),
    ('Resubscribed',
     'Welcome back! You will receive our texts again. Reply STOP to opt out.',
     5, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z');
"""
