"""Migration 4: provider events keep their code's meaning, ids and details; effects are tracked."""

from __future__ import annotations

from typing import Final

# ``applied`` is 0 until the app has applied the event's effects (conversation, contact,
# delivery state); the receiver only ever inserts, so it needs no other state.
SQL: Final = """
ALTER TABLE received_events ADD COLUMN meaning TEXT;
ALTER TABLE received_events ADD COLUMN ids TEXT NOT NULL DEFAULT '{}';
ALTER TABLE received_events ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE received_events ADD COLUMN applied INTEGER NOT NULL DEFAULT 0;
CREATE INDEX received_events_unapplied ON received_events (id) WHERE applied = 0;
CREATE INDEX received_events_by_kind ON received_events (kind, received_at);
"""
