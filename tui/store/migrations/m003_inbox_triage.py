"""Migration 3: search that folds case and accents, triage flags, read marks waiting to be sent."""

from __future__ import annotations

from typing import Final

# smsdesk_fold() is tui.store.search.sql_fold, registered on every connection (tui.store.db).
# The message index keeps folded text only (contentless): "cafe" finds "Café", "muller" finds
# "Müller". Conversation names get a folded copy kept by triggers, whoever writes the name.
SQL: Final = """
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='', tokenize='trigram');
INSERT INTO messages_fts (rowid, body) SELECT rowid, smsdesk_fold(body) FROM messages;
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, smsdesk_fold(new.body));
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        VALUES ('delete', old.rowid, smsdesk_fold(old.body));
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body)
        VALUES ('delete', old.rowid, smsdesk_fold(old.body));
    INSERT INTO messages_fts (rowid, body) VALUES (new.rowid, smsdesk_fold(new.body));
END;

ALTER TABLE conversations ADD COLUMN name_folded TEXT NOT NULL DEFAULT '';
UPDATE conversations SET name_folded = smsdesk_fold(display_name);
CREATE TRIGGER conversations_fold_insert AFTER INSERT ON conversations BEGIN
    UPDATE conversations SET name_folded = smsdesk_fold(new.display_name)
        WHERE phone = new.phone;
END;
CREATE TRIGGER conversations_fold_update AFTER UPDATE OF display_name ON conversations BEGIN
    UPDATE conversations SET name_folded = smsdesk_fold(new.display_name)
        WHERE phone = new.phone;
END;

-- Triage: 'done' (handled; a new inbound text clears it) or 'needs_reply' (our reply clears it).
ALTER TABLE conversations ADD COLUMN triage TEXT;
ALTER TABLE conversations ADD COLUMN triage_at TEXT;
-- When the person last had a text they had not answered: the longest wait is easy to reach.
ALTER TABLE conversations ADD COLUMN waiting_since TEXT;
UPDATE conversations SET waiting_since = last_message_at WHERE last_direction = 'incoming';
CREATE INDEX conversations_waiting ON conversations (waiting_since, phone)
    WHERE waiting_since IS NOT NULL;

-- Read/unread marks made while the server could not be reached, sent when it answers again.
CREATE TABLE pending_read_marks (
    message_id TEXT PRIMARY KEY,
    read INTEGER NOT NULL,
    queued_at TEXT NOT NULL
);
"""
