"""Local state gone bad: damaged, truncated, locked, read-only or full databases; two smsdesks.

Each case ends in a sentence that says what happened and what to do, and drafts and the
outbox are never lost silently.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store.damage import damage_pages_under, fill_the_disk
from tui.store import AsyncStore, Store, StoreError, open_store
from tui.store import db as store_db

PHONE = "+15555550100"


def _fill(path: Path) -> None:
    """A database with drafts, an outbox item being sent and lots of cached rows after them."""
    store = open_store(path)
    store.save_draft(PHONE, "half-written answer")
    store.add_outbox(key="k-1", phone=PHONE, body="on its way")
    store.update_outbox("k-1", state="sending")
    with store.db.transaction() as conn:
        conn.executemany(
            "INSERT INTO sync_cursors (name, value, updated_at) VALUES (?, ?, '')",
            [(f"filler-{i}", "x" * 400) for i in range(2000)],
        )
    store.close()


def test_a_truncated_database_is_noticed_at_start_and_drafts_and_outbox_carried_over(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    _fill(path)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    with pytest.raises(StoreError, match="damaged") as refused:
        open_store(path)
    assert refused.value.kind == "damaged"
    store = open_store(path, recover=True)
    assert store.notice and "1 drafts" in store.notice and "1 texts in the outbox" in store.notice
    assert store.get_draft(PHONE) == "half-written answer"
    item = store.get_outbox("k-1")
    assert item is not None and item.state == "sending"  # reconciled before any retry
    assert list(tmp_path.glob("p.db.corrupt-*"))
    store.close()


def test_a_garbage_file_is_moved_aside_and_says_what_could_not_be_read(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(os.urandom(8192))
    store = open_store(path, recover=True)
    assert store.notice and "could not read from it: drafts" in store.notice.lower()
    store.close()


def test_an_empty_file_becomes_a_fresh_database(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"")
    store = open_store(path)
    assert store.notice is None and store.phones_with_drafts() == []
    store.close()


async def test_pages_damaged_under_a_running_app_give_a_sentence_not_a_traceback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    _fill(path)
    sync = open_store(path)
    damage_pages_under(sync)
    store = AsyncStore(sync)
    told: list[StoreError] = []
    store.on_trouble = told.append
    for _ in range(2):
        with pytest.raises(StoreError, match="quit and start smsdesk again") as failed:
            await store.list_conversations()
        assert failed.value.kind == "damaged"
    assert len(told) == 1  # one notice, not one per query
    await store.close()


async def test_a_full_disk_keeps_what_was_saved_and_says_to_free_space(tmp_path: Path) -> None:
    store = AsyncStore(open_store(tmp_path / "p.db"))
    await store.save_draft(PHONE, "kept")
    fill_the_disk(store.sync)
    with pytest.raises(StoreError, match="full") as full:
        await store.save_draft("+15555550101", "x" * 20000)
        await store.add_outbox(key="k-2", phone=PHONE, body="y" * 20000)
    assert full.value.kind == "full"
    assert await store.get_draft(PHONE) == "kept"
    await store.close()


async def test_a_database_made_read_only_while_running_is_explained(tmp_path: Path) -> None:
    store = AsyncStore(open_store(tmp_path / "p.db"))
    with store.sync.db.reading() as conn:
        conn.execute("PRAGMA query_only = ON")  # what a read-only remount looks like to sqlite
    with pytest.raises(StoreError, match="read-only") as refused:
        await store.save_draft(PHONE, "hello")
    assert refused.value.kind == "read-only"
    await store.close()


def test_a_read_only_database_file_is_refused_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.db"
    open_store(path).close()
    path.chmod(0o400)
    if os.geteuid() == 0:  # root may write anyway; pretend to be the person
        monkeypatch.setattr(store_db.os, "access", lambda p, mode: Path(p) != path)
    with pytest.raises(StoreError, match=r"chmod u\+rw") as refused:
        open_store(path)
    assert refused.value.kind == "read-only"


def test_a_read_only_folder_is_refused_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    open_store(folder / "p.db").close()
    folder.chmod(0o500)
    try:
        if os.geteuid() == 0:
            monkeypatch.setattr(store_db.os, "access", lambda p, mode: Path(p) != folder)
        with pytest.raises(StoreError, match=r"chmod u\+rwx") as refused:
            open_store(folder / "p.db")
        assert refused.value.kind == "read-only"
    finally:
        folder.chmod(0o700)


async def test_a_locked_database_while_running_names_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    store = AsyncStore(open_store(path))
    with store.sync.db.reading() as conn:
        conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            await store.save_draft(PHONE, "x")
    finally:
        other.execute("ROLLBACK")
        other.close()
    await store.save_draft(PHONE, "x")  # works again once the other program lets go
    await store.close()


def test_a_second_smsdesk_on_the_same_profile_is_refused_naming_the_first(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.db"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom tui.store import open_store\n"
         "s = open_store(sys.argv[1], lock=True, profile='work')\nprint('ready', flush=True)\n"
         "time.sleep(60)\n", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match=f"process {holder.pid}") as refused:
            open_store(path, lock=True, profile="work")
        assert "profile 'work'" in str(refused.value)
    finally:
        holder.kill()
        holder.wait()
    # kill -9 leaves no stale lock: the kernel let go with the process.
    open_store(path, lock=True, profile="work").close()


def test_the_lock_is_let_go_on_close(tmp_path: Path) -> None:
    first = open_store(tmp_path / "p.db", lock=True)
    first.close()
    open_store(tmp_path / "p.db", lock=True).close()


def test_database_files_are_private_and_new_folders_0700(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "smsdesk"
    old = os.umask(0o022)
    try:
        store: Store = open_store(folder / "p.db", lock=True)
        store.save_draft(PHONE, "x")
        names = ["p.db", "p.db-wal", "p.db-shm", "p.db.lock"]
        modes = {n: stat.S_IMODE((folder / n).stat().st_mode) for n in names}
        assert modes == dict.fromkeys(names, 0o600)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
        store.close()
    finally:
        os.umask(old)


def test_an_existing_database_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_store(path).close()
    path.chmod(0o644)
    open_store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_lock_file_says_who_holds_it(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db", lock=True)
    assert (tmp_path / "p.db.lock").read_text().split()[0] == str(os.getpid())
    store.close()
    time.sleep(0)
