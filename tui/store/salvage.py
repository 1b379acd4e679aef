"""Carry what only this machine knows out of a damaged database into the fresh one.

The cache (messages, contacts, groups) comes back from the server; drafts, the outbox and
saved replies do not, so they are read row by row from the file that was moved aside. Rows in
``sending`` keep that state: the outbox then reconciles them with the server before any retry.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("smsdesk.store")

# (table, what a person calls its rows); the order is the order they are copied.
KEPT_TABLES = (("drafts", "drafts"), ("outbox", "texts in the outbox"),
               ("saved_replies", "saved replies"))


@dataclass
class Salvage:
    """How many rows of each kept table made it across, and which tables could not be read."""

    copied: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        names = dict(KEPT_TABLES)
        parts = [f"{n} {names[t]}" for t, n in self.copied.items() if n]
        if parts:
            said = f"Carried over from it: {', '.join(parts)}."
        elif self.unreadable:
            said = ""
        else:
            said = "It held no drafts, unsent texts or saved replies."
        if self.unreadable:
            said += (" Could not read from it: " + ", ".join(names[t] for t in self.unreadable)
                     + " (they are still in the old file).")
        return said


def salvage(old: Path, new: sqlite3.Connection) -> Salvage:
    """Copy the kept tables from ``old`` into ``new``; never raises. ``old`` is not changed."""
    padded = _padded_copy(old)
    try:
        return _salvage(padded or old, new)
    finally:
        if padded is not None:
            padded.unlink(missing_ok=True)


def _padded_copy(old: Path) -> Path | None:
    """sqlite refuses to read any page of a file shorter than its header says; a copy padded
    with zeros to that length lets the early pages (drafts, outbox) be read again."""
    try:
        with open(old, "rb") as handle:
            header = handle.read(100)
        if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
            return None
        page_size = int.from_bytes(header[16:18], "big") or 65536
        pages = int.from_bytes(header[28:32], "big")
        wanted = page_size * pages
        if old.stat().st_size >= wanted:
            return None
        copy = old.with_name(old.name + ".salvage")
        shutil.copyfile(old, copy)
        with open(copy, "r+b") as handle:
            handle.truncate(wanted)
        return copy
    except OSError as exc:
        log.warning("store: salvage could not copy %s: %s", old, exc)
        return None


def _salvage(old: Path, new: sqlite3.Connection) -> Salvage:
    result = Salvage()
    try:
        source = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        log.warning("store: salvage could not open %s: %s", old, exc)
        result.unreadable = [t for t, _ in KEPT_TABLES]
        return result
    try:
        for table, _ in KEPT_TABLES:
            try:
                result.copied[table] = _copy(source, new, table)
            except sqlite3.Error as exc:
                log.warning("store: salvage of %s from %s failed: %s", table, old, exc)
                result.unreadable.append(table)
    finally:
        with contextlib.suppress(sqlite3.Error):
            source.close()
    return result


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> int:
    wanted = [r[1] for r in target.execute(f"PRAGMA table_info({table})")]
    present = {r[1] for r in source.execute(f"PRAGMA table_info({table})")}
    columns = [c for c in wanted if c in present]
    if not columns:
        return 0
    listed = ", ".join(columns)
    rows = source.execute(f"SELECT {listed} FROM {table}").fetchall()
    marks = ", ".join("?" for _ in columns)
    target.execute("BEGIN IMMEDIATE")
    try:
        if table == "saved_replies" and rows:
            target.execute("DELETE FROM saved_replies")  # theirs replace the seeded examples
        copied = 0
        for row in rows:
            try:
                target.execute(f"INSERT OR IGNORE INTO {table} ({listed}) VALUES ({marks})", row)
                copied += 1
            except sqlite3.IntegrityError as exc:  # one odd row must not cost the others
                log.warning("store: salvage skipped a row of %s: %s", table, exc)
    except BaseException:
        target.execute("ROLLBACK")
        raise
    target.execute("COMMIT")
    return copied
