"""Scheduled texts being saved: written before ``POST /message/schedule``, so a crash before the
answer leaves a row to look up at the next start, never a text lost or saved twice."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, Literal

from tui.store.db import Database
from tui.store.records import from_db_time, to_db_time

if TYPE_CHECKING:
    from tui.store.store import Store

IntentState = Literal["saving", "unclear", "failed", "saved"]
# A saved row is kept this long: the same text scheduled again meanwhile finds it.
SAVED_KEPT: Final = timedelta(days=1)


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
    scheduled_id: str | None = None  # the server's id, once ``saved``


def _intent(row: sqlite3.Row) -> ScheduleIntent:
    send_at, created, updated = (from_db_time(row[k]) for k in
                                 ("send_at", "created_at", "updated_at"))
    assert send_at is not None and created is not None and updated is not None
    return ScheduleIntent(
        key=row["key"], phone=row["phone"], message=row["message"], send_at=send_at,
        state=row["state"], created_at=created, updated_at=updated,
        posted_at=from_db_time(row["posted_at"]), server_offset=row["server_offset"],
        last_error=row["last_error"], scheduled_id=row["scheduled_id"])


# Functions of the database rather than ``Store`` methods: only the Scheduled section's service
# uses them (through ``AsyncStore.call``), so they stay off the path to the first screen.


def add_intent(db: Database, *, key: str, phone: str, message: str, send_at: datetime,
               now: datetime, server_offset: float | None) -> ScheduleIntent:
    """Write the text down (state ``saving``, posted from ``now``) before it is posted."""
    stamp = to_db_time(now)
    with db.transaction() as conn:
        conn.execute("DELETE FROM scheduled_intents WHERE state = 'saved' AND updated_at < ?",
                     (to_db_time(now - SAVED_KEPT),))
        conn.execute(
            "INSERT INTO scheduled_intents (key, phone, message, send_at, state, created_at,"
            " updated_at, posted_at, server_offset) VALUES (?, ?, ?, ?, 'saving', ?, ?, ?, ?)",
            (key, phone, message, to_db_time(send_at), stamp, stamp, stamp, server_offset))
    found = read_intent(db, key)
    assert found is not None
    return found


def read_intent(db: Database, key: str) -> ScheduleIntent | None:
    with db.reading() as conn:
        row = conn.execute("SELECT * FROM scheduled_intents WHERE key = ?", (key,)).fetchone()
    return _intent(row) if row else None


def open_intents(db: Database, *, saved: bool = False) -> list[ScheduleIntent]:
    """Every one whose outcome is open (with ``saved``: also those saved lately), oldest
    first."""
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT * FROM scheduled_intents WHERE ? OR state != 'saved'"
            " ORDER BY created_at, key", (saved,)).fetchall()
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
    return read_intent(db, key)


def saved_intent(db: Database, key: str, scheduled_id: str, *, now: datetime) -> None:
    """The server has it, as ``scheduled_id``."""
    with db.transaction() as conn:
        conn.execute(
            "UPDATE scheduled_intents SET state = 'saved', scheduled_id = ?, last_error = NULL,"
            " updated_at = ? WHERE key = ?", (scheduled_id, to_db_time(now), key))


def forget_intent(db: Database, key: str) -> bool:
    """The outcome is settled (saved, or the person saw why not): the row goes."""
    with db.transaction() as conn:
        gone = conn.execute("DELETE FROM scheduled_intents WHERE key = ?", (key,))
    return gone.rowcount > 0
