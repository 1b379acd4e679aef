"""Migration 6: word-prefix search, group membership and sort indexes for the contact browser.

The word index is filled in Python (accent folding), so the cached contacts are dropped and the
next sync downloads them again: they are only a cache of the server's list.
"""

from __future__ import annotations

from typing import Final

SQL: Final = """
DELETE FROM contacts;
DELETE FROM sync_cursors WHERE name LIKE 'sync.contacts.%';

-- One row per (word, contact): "smi" is the range 'smi' <= word < 'smi' || U+10FFFF.
-- The name order and the subscription ride along so a search in name order reads this
-- index alone (no lookup of 12,000 contact rows to pick the first 50).
CREATE TABLE contact_words (
    word TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    contact INTEGER NOT NULL,
    subscribed INTEGER NOT NULL,
    PRIMARY KEY (word, sort_name, contact)
) WITHOUT ROWID;
CREATE INDEX contact_words_by_contact ON contact_words (contact, word);

CREATE TABLE contact_groups (
    group_id TEXT NOT NULL,
    contact INTEGER NOT NULL,
    PRIMARY KEY (group_id, contact)
) WITHOUT ROWID;
CREATE INDEX contact_groups_by_contact ON contact_groups (contact);

CREATE TRIGGER contacts_forget_words AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_words WHERE contact = old.rowid;
    DELETE FROM contact_groups WHERE contact = old.rowid;
END;

ALTER TABLE groups ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';

-- The columns a person sorts by, each with the id as tie-breaker for stable pages.
CREATE INDEX contacts_by_phone_sorted ON contacts (phone, id);
CREATE INDEX contacts_by_email ON contacts (coalesce(email, ''), id);
CREATE INDEX contacts_by_created ON contacts (coalesce(created_at, ''), id);
CREATE INDEX contacts_by_status ON contacts (subscribed, sort_name, id);
"""
