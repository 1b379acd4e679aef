"""Migration 8: a scheduled text is written down before ``POST /message/schedule``.

``scheduled_intents``: one row per text the person asked to schedule whose outcome is still
open — being saved (``saving``: posted, or about to be, or cut off by a crash), maybe saved
(``unclear``: the server could not say; the person checks) or not saved for a reason nobody
has seen yet (``failed``). Once the server has it the row is ``saved`` with the server's id for
a day (scheduling the very same text again then finds it instead of saving a second copy); a
refusal the person saw removes the row. ``posted_at``/``server_offset`` bound the lookup.
"""

from __future__ import annotations

from typing import Final

SQL: Final = """
CREATE TABLE scheduled_intents (
    key TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    message TEXT NOT NULL,
    send_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('saving', 'unclear', 'failed', 'saved')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    posted_at TEXT,
    server_offset REAL,
    last_error TEXT,
    scheduled_id TEXT
) WITHOUT ROWID;
"""
