"""Opening the sqlite file: WAL, migrations, and clear errors for corrupt or newer databases."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tui.store.migrations import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger("smsdesk.store")

BUSY_TIMEOUT_MS = 5000
_LOST_ON_RESET = (
    "Conversations, contacts and groups are only a cache and will be downloaded again, but "
    "unsent texts in the outbox, drafts and saved replies lived only in that file"
)


class StoreError(Exception):
    """The local database cannot be used; the message says what happened and what to do."""


class Database:
    """One sqlite connection; every call holds the lock, writes run in ``transaction()``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        # Set when open_store had to move a broken file aside: the UI shows it once.
        self.notice: str | None = None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``: the write lock up front, all or nothing."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])


def connect(path: Path) -> sqlite3.Connection:
    """Open (or create) the database and bring its schema up to date. Raises sqlite3 errors."""
    if path != Path(":memory:"):
        path.parent.mkdir(parents=True, exist_ok=True)
    # One worker thread uses this connection (AsyncStore); the lock in Database guards it.
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise _NewerSchema(version)
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives a crash or kill -9 of the app (not a power cut mid-write).
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        _migrate(conn, version)
    except BaseException:
        conn.close()
        raise
    return conn


class _NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    for number in range(version + 1, SCHEMA_VERSION + 1):
        log.info("store: migrating to schema %d", number)
        try:
            # executescript commits any open transaction first, so BEGIN/COMMIT live inside it.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[number - 1]}\nPRAGMA user_version = {number};\n"
                "COMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _is_corrupt(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    )


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


def open_database(path: Path, *, recover: bool = False, now: datetime | None = None) -> Database:
    """Open the profile's database, explaining every way that can fail.

    With ``recover=True`` a corrupt file is moved aside (``<name>.corrupt-<time>``) and a fresh
    one is started; ``Database.notice`` then says so. A database written by a newer smsdesk is
    never touched.
    """
    path = Path(path)
    try:
        return Database(connect(path), path)
    except _NewerSchema as newer:
        raise StoreError(
            f"The local database {path} was written by a newer smsdesk (schema version "
            f"{newer.version}; this version knows up to {SCHEMA_VERSION}). Update smsdesk "
            "(pip install -U smsdesk) or use another profile; the file was left unchanged."
        ) from None
    except sqlite3.Error as exc:
        if not _is_corrupt(exc):
            text = str(exc)
            hint = (
                "Another smsdesk may be using this profile; close it and try again."
                if "locked" in text.lower()
                else "Check that the folder exists and that you may write to it."
            )
            raise StoreError(
                f"The local database {path} could not be opened ({text}). {hint}"
            ) from exc
        if not recover:
            raise StoreError(
                f"The local database {path} is damaged ({exc}). Move it aside (or let smsdesk "
                f"do it: it starts a fresh cache and keeps the old file). {_LOST_ON_RESET}."
            ) from exc
        moved = _move_aside(path, now or datetime.now(UTC))
        log.warning("store: %s was damaged (%s); moved to %s", path, exc, moved)
        try:
            database = Database(connect(path), path)
        except sqlite3.Error as again:
            raise StoreError(
                f"The local database {path} was damaged and moved to {moved}, but a fresh one "
                f"could not be created either ({again}). Check the disk and the folder's "
                "permissions."
            ) from again
        database.notice = (
            f"The local database was damaged ({exc}); it was moved aside to {moved} and "
            f"smsdesk started a fresh cache. {_LOST_ON_RESET}: they are still in the old file."
        )
        return database
