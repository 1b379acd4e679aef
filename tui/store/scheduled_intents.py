"""Scheduled texts being saved: written before ``POST /message/schedule``, so a crash before the
answer leaves a row to look up at the next start, never a text lost or saved twice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

from tui.store.db import Database
from tui.store.records import from_db_time, to_db_time

if TYPE_CHECKING:
    from tui.store.store import Store

IntentState = Literal["saving", "unclear", "failed"]
INTENT_STATES: Final[tuple[IntentState, ...]] = ("saving", "unclear", "failed")


@dataclass(frozen=True, slots=True)
class ScheduleIntent:
    """A text the person asked to schedule whose outcome is still open (see m008)."""

    key: str
    phone: str
    message: str
    send_at: datetime
    state: IntentState
    created_at: datetime
    updated_at: datetime
    posted_at: datetime | None = None  # this computer's time just before the first post
    server_offset: float | None = None  # the server clock's lead then, when known
    last_error: str | None = None


def _intent(row: sqlite3.Row) -> ScheduleIntent:
    send_at, created, updated = (from_db_time(row[k]) for k in
                                 ("send_at", "created_at", "updated_at"))
    assert send_at is not None and created is not None and updated is not None
    return ScheduleIntent(
        key=row["key"], phone=row["phone"], message=row["message"], send_at=send_at,
        state=row["state"], created_at=created, updated_at=updated,
        posted_at=from_db_time(row["posted_at"]), server_offset=row["server_offset"],
        last_error=row["last_error"])


# Functions of the database rather than ``Store`` methods: only the Scheduled section's service
# uses them (through ``AsyncStore.call``), so they stay off the path to the first screen.


def add_intent(db: Database, *, key: str, phone: str, message: str, send_at: datetime,
               now: datetime, server_offset: float | None) -> ScheduleIntent:
    """Write the text down (state ``saving``, posted from ``now``) before it is posted."""
    stamp = to_db_time(now)
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO scheduled_intents (key, phone, message, send_at, state, created_at,"
            " updated_at, posted_at, server_offset) VALUES (?, ?, ?, ?, 'saving', ?, ?, ?, ?)",
            (key, phone, message, to_db_time(send_at), stamp, stamp, stamp, server_offset))
    found = intent(db, key)
    assert found is not None
    return found


def intent(db: Database, key: str) -> ScheduleIntent | None:
    with db.reading() as conn:
        row = conn.execute("SELECT * FROM scheduled_intents WHERE key = ?", (key,)).fetchone()
    return _intent(row) if row else None


def open_intents(db: Database) -> list[ScheduleIntent]:
    """Every one whose outcome is open, oldest first."""
    with db.reading() as conn:
        rows = conn.execute("SELECT * FROM scheduled_intents ORDER BY created_at, key").fetchall()
    return [_intent(r) for r in rows]


def any_saving(db: Database) -> bool:
    """Is a text left ``saving`` (a run stopped before its answer)? Cheap: asked at each start."""
    with db.reading() as conn:
        return conn.execute(
            "SELECT 1 FROM scheduled_intents WHERE state = 'saving' LIMIT 1").fetchone() is not None


def cut_off_last_time(store: Store) -> bool:
    """Did a run stop during a campaign send or while a scheduled text was being saved?"""
    return bool(store.list_campaign_sends(states=("sending",))) or any_saving(store.db)


def set_intent(db: Database, key: str, state: IntentState, *, now: datetime,
               last_error: str | None = None, posted_at: datetime | None = None,
               server_offset: float | None = None) -> ScheduleIntent | None:
    """A new state (and, when given, a new post time); None when the row is gone."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scheduled_intents SET state = ?, last_error = ?, updated_at = ?,"
            " posted_at = coalesce(?, posted_at), server_offset = coalesce(?, server_offset)"
            " WHERE key = ?",
            (state, last_error, to_db_time(now), to_db_time(posted_at) if posted_at else None,
             server_offset, key))
    return intent(db, key)


def forget_intent(db: Database, key: str) -> bool:
    """The outcome is settled (saved, or the person saw why not): the row goes."""
    with db.transaction() as conn:
        gone = conn.execute("DELETE FROM scheduled_intents WHERE key = ?", (key,))
    return gone.rowcount > 0
