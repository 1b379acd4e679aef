"""Opening the sqlite file: WAL, migrations, and clear errors for corrupt or newer databases."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.store.files import SIDE_FILES, private_database_file, tighten
from tui.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tui.store.search import FOLD_FUNCTION, sql_fold

if TYPE_CHECKING:
    from tui.store.profile_lock import ProfileLock

log = logging.getLogger("smsdesk.store")

BUSY_TIMEOUT_MS = 5000
_LOST_ON_RESET = (
    "Conversations, contacts and groups are only a cache and will be downloaded again, but "
    "unsent texts in the outbox, drafts and saved replies lived only in that file"
)


class StoreError(Exception):
    """The local database cannot be used; the message says what happened and what to do.

    ``kind`` names the trouble for code that reacts to it: "full", "read-only", "locked",
    "damaged", "unreadable", "newer", "in-use" or "other".
    """

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


def trouble_kind(exc: sqlite3.Error) -> str:
    """What went wrong, from sqlite's message (its error codes are not exposed before 3.11)."""
    text = str(exc).lower()
    if "full" in text:
        return "full"
    if "readonly" in text or "read-only" in text:
        return "read-only"
    if "locked" in text or "busy" in text:
        return "locked"
    if _is_corrupt(exc):
        return "damaged"
    if "disk i/o" in text or "unable to open" in text:
        return "unreadable"
    return "other"


def explain(exc: sqlite3.Error, path: Path) -> StoreError:
    """A sqlite failure while smsdesk runs, as a sentence that says what to do."""
    kind = trouble_kind(exc)
    text = {
        "full": f"The disk that holds {path} is full, so the last change could not be saved "
                "(what you typed is still on screen). Free some disk space and try again.",
        "read-only": f"The local database {path} has become read-only, so changes cannot be "
                     "saved (what you typed is still on screen). Make the file and its folder "
                     "writable again (chmod u+w), then try again.",
        "locked": f"The local database {path} is locked by another program. Close whatever "
                  "has it open (another smsdesk, an sqlite3 shell) and try again.",
        "damaged": f"The local database {path} is damaged ({exc}). What is on screen stays; "
                   "quit and start smsdesk again: it moves the damaged file aside and carries "
                   "your drafts, outbox and saved replies over to a fresh one.",
        "unreadable": f"The local database {path} could not be read or written ({exc}). Check "
                      "the disk, then quit and start smsdesk again.",
    }.get(kind, f"The local database {path} failed ({exc}). Quit and start smsdesk again; "
                "if it keeps happening, see docs/reliability.md.")
    return StoreError(text, kind)


class Database:
    """One sqlite connection; every call holds the lock, writes run in ``transaction()``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        # Set when open_store had to move a broken file aside: the UI shows it once.
        self.notice: str | None = None
        self.lock: ProfileLock | None = None  # held while open, when asked for

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``: the write lock up front, all or nothing."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                # sqlite already rolled back after some errors (a full disk): do not hide them.
                if self._conn.in_transaction:
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
            if self.lock is not None:
                self.lock.release()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])


def connect(path: Path) -> sqlite3.Connection:
    """Open (or create) the database and bring its schema up to date. Raises sqlite3 errors."""
    if path != Path(":memory:"):
        _check_writable(path)
        private_database_file(path)
    # One worker thread uses this connection (AsyncStore); the lock in Database guards it.
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        # The search columns and triggers call it (migration 3): every connection needs it.
        conn.create_function(FOLD_FUNCTION, 1, sql_fold, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise _NewerSchema(version)
        if path != Path(":memory:"):
            _check_length(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives a crash or kill -9 of the app (not a power cut mid-write).
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        _migrate(conn, version)
    except BaseException:
        conn.close()
        raise
    if path != Path(":memory:"):
        for suffix in SIDE_FILES:  # created by sqlite with the database's mode; made sure
            tighten(path.with_name(path.name + suffix))
    return conn


def _check_length(conn: sqlite3.Connection, path: Path) -> None:
    """A file cut short (a copy that stopped, a full disk) reads fine until a missing page is
    needed; the header says how long it should be, so the damage shows at start-up instead."""
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return  # pages may legitimately live in the WAL until the next checkpoint
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    if path.stat().st_size < pages * size:
        raise sqlite3.DatabaseError(
            "database disk image is malformed: the file is shorter than its header says")


def _check_writable(path: Path) -> None:
    """A read-only file or folder is refused up front, with the fix, before sqlite half-opens it."""
    folder = path.parent
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} should be the local database file but is a folder. Move it "
                         "away or choose another profile.", "unreadable")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(
            f"The local database {path} is read-only for you, and smsdesk must write to it to "
            f"keep drafts and the outbox. Run: chmod u+rw {path}   (nothing was changed)",
            "read-only")
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"The folder {folder} is read-only for you, and sqlite must create its journal "
            f"files next to the database. Run: chmod u+rwx {folder}   (nothing was changed)",
            "read-only")


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


def open_database(
    path: Path, *, recover: bool = False, now: datetime | None = None,
    lock: bool = False, profile: str | None = None,
) -> Database:
    """Open the profile's database, explaining every way that can fail.

    With ``recover=True`` a corrupt file is moved aside (``<name>.corrupt-<time>``), a fresh one
    is started and the drafts, outbox and saved replies that can still be read are carried
    over; ``Database.notice`` then says so. A database written by a newer smsdesk is never
    touched. With ``lock=True`` the profile's lock is taken first (one smsdesk per profile).
    """
    path = Path(path)
    held = None
    if lock:
        from tui.store.profile_lock import ProfileLock

        held = ProfileLock.acquire(path, profile=profile)
    try:
        database = _open(path, recover=recover, now=now)
    except BaseException:
        if held is not None:
            held.release()
        raise
    database.lock = held
    return database


def _open(path: Path, *, recover: bool, now: datetime | None) -> Database:
    try:
        return Database(connect(path), path)
    except _NewerSchema as newer:
        raise StoreError(
            f"The local database {path} was written by a newer smsdesk (schema version "
            f"{newer.version}; this version knows up to {SCHEMA_VERSION}). Update smsdesk "
            "(pip install -U smsdesk) or use another profile; the file was left unchanged.",
            "newer",
        ) from None
    except sqlite3.Error as exc:
        if not _is_corrupt(exc):
            text = str(exc)
            kind = trouble_kind(exc)
            hint = {
                "locked": "Another program (another smsdesk, an sqlite3 shell) holds it; "
                          "close it and try again.",
                "full": "The disk is full; free some space and try again.",
                "read-only": "Make the file and its folder writable (chmod u+rw) and try again.",
            }.get(kind, "Check that the folder exists and that you may write to it.")
            raise StoreError(
                f"The local database {path} could not be opened ({text}). {hint}", kind
            ) from exc
        if not recover:
            raise StoreError(
                f"The local database {path} is damaged ({exc}). Move it aside (or let smsdesk "
                f"do it: it starts a fresh cache and keeps the old file). {_LOST_ON_RESET}.",
                "damaged",
            ) from exc
        return _start_fresh(path, exc, now or datetime.now(UTC))


def _start_fresh(path: Path, damage: sqlite3.Error, now: datetime) -> Database:
    from tui.store.salvage import salvage

    moved = _move_aside(path, now)
    log.warning("store: %s was damaged (%s); moved to %s", path, damage, moved)
    try:
        database = Database(connect(path), path)
    except sqlite3.Error as again:
        raise StoreError(
            f"The local database {path} was damaged and moved to {moved}, but a fresh one "
            f"could not be created either ({again}). Check the disk and the folder's "
            "permissions.", trouble_kind(again),
        ) from again
    with database.reading() as conn:
        kept = salvage(moved, conn)
    database.notice = (
        f"The local database was damaged ({damage}); it was moved aside to {moved} and "
        f"smsdesk started a fresh cache (conversations and contacts download again). "
        f"{kept.sentence()}"
    )
    return database
