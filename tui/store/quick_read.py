"""A read-only second connection for answers the screen needs within the same frame.

Search-as-you-type: the first window of a new search, read on the event loop the moment the
key arrives, lands in the same frame as the typed letter (no hop to the store's thread, no wait
behind a sync page being written: WAL readers never wait for the writer). A query that runs
past its time budget is interrupted by sqlite and the caller falls back to the store's thread,
so a slow search never holds the screen for long.

The budget is the query's own CPU time: on a busy machine the wall clock also counts the wait
for a core, and interrupting then only ran the query again on the thread and drew its rows a
frame later. A wall-clock cap (WALL_FACTOR times the budget) still bounds a query that waits on
the disk instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tui.store.db import BUSY_TIMEOUT_MS
from tui.store.search import FOLD_FUNCTION, sql_fold

T = TypeVar("T")
# sqlite calls the progress handler every this many virtual machine steps (~0.1 ms).
_STEPS = 2000
WALL_FACTOR = 4


class TooSlow(Exception):
    """The query did not finish within its budget (or the reader is not available)."""


class QuickReader:
    """Opened on first use; one query at a time; never writes (``query_only``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._closed = path == Path(":memory:")  # an in-memory database has no second reader

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                   check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.create_function(FOLD_FUNCTION, 1, sql_fold, deterministic=True)
            conn.execute(f"PRAGMA busy_timeout = {min(BUSY_TIMEOUT_MS, 50)}")
            conn.execute("PRAGMA query_only = ON")
            self._conn = conn
        return self._conn

    def run(self, budget: float, query: Callable[[sqlite3.Connection], T]) -> T:
        """``query(conn)`` if it finishes within ``budget`` seconds of CPU (and ``WALL_FACTOR``
        times that on the clock), else ``TooSlow``."""
        if self._closed or not self._lock.acquire(blocking=False):
            raise TooSlow("the quick reader is busy or closed")
        try:
            conn = self._connection()
            cpu_deadline = time.thread_time() + budget
            wall_deadline = time.perf_counter() + budget * WALL_FACTOR

            def too_slow() -> int:
                return int(time.thread_time() > cpu_deadline
                           or time.perf_counter() > wall_deadline)

            conn.set_progress_handler(too_slow, _STEPS)
            try:
                return query(conn)
            except sqlite3.OperationalError as exc:
                raise TooSlow(str(exc)) from None
            except sqlite3.Error as exc:  # damaged, locked…: the store's thread will say so
                raise TooSlow(str(exc)) from None
            finally:
                conn.set_progress_handler(None, 0)
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None
