"""Migration 7: carrier lookups are kept, and the contact list can be sorted by its groups.

``phone_lookups``: one row per number (the latest answer of ``POST /phone-numbers/lookup``),
so the detail pane shows it after a restart; a number is the contact's E.164 form, so a
re-synced contact keeps its lookup.

``contacts.group_names``: the contact's group names, folded and in order ("deals, vip club"),
kept by triggers from the ``groups`` column whatever writes it; indexed like the other sorts.
"""

from __future__ import annotations

from typing import Final

_NAMES: Final = """(SELECT coalesce(group_concat(name, ', '), '') FROM (
        SELECT lower(json_extract(value, '$.name')) AS name FROM json_each(new.groups)
        ORDER BY name))"""

SQL: Final = f"""
CREATE TABLE phone_lookups (
    phone TEXT PRIMARY KEY,
    valid INTEGER NOT NULL,
    line_type TEXT NOT NULL,
    carrier TEXT,
    looked_up_at TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE contacts ADD COLUMN group_names TEXT NOT NULL DEFAULT '';
CREATE TRIGGER contacts_group_names_new AFTER INSERT ON contacts BEGIN
    UPDATE contacts SET group_names = {_NAMES} WHERE rowid = new.rowid;
END;
CREATE TRIGGER contacts_group_names AFTER UPDATE OF groups ON contacts BEGIN
    UPDATE contacts SET group_names = {_NAMES} WHERE rowid = new.rowid;
END;
UPDATE contacts SET groups = groups;
CREATE INDEX contacts_by_groups ON contacts (group_names, sort_name, id);
"""
