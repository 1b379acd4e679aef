"""Migration 8: a scheduled text is written down before ``POST /message/schedule``.

``scheduled_intents``: one row per text the person asked to schedule whose outcome is still
open — being saved (``saving``: posted, or about to be, or cut off by a crash), maybe saved
(``unclear``: the server could not say; the person checks) or not saved for a reason nobody
has seen yet (``failed``). A row is removed once the server has the text or the person saw the
refusal. ``posted_at``/``server_offset`` bound the lookup in the server's list.
"""

from __future__ import annotations

from typing import Final

SQL: Final = """
CREATE TABLE scheduled_intents (
    key TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    message TEXT NOT NULL,
    send_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('saving', 'unclear', 'failed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    posted_at TEXT,
    server_offset REAL,
    last_error TEXT
) WITHOUT ROWID;
"""
