"""Drafts, saved replies, cursors, events and opening damaged or newer databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.store import AsyncStore, Store, StoreError, open_store
from tui.store.migrations import SCHEMA_VERSION


def test_drafts_are_kept_per_conversation_and_cleared(store: Store) -> None:
    store.save_draft("+15550000001", "half a thought")
    assert store.get_draft("+15550000001") == "half a thought"
    assert store.get_draft("+15550000002") is None
    store.save_draft("+15550000001", "   ")
    assert store.get_draft("+15550000001") is None


def test_saved_replies_are_seeded_and_editable(store: Store) -> None:
    replies = store.list_saved_replies()
    assert len(replies) >= 3 and all(r.body.isascii() for r in replies)
    added = store.add_saved_reply("Directions", "We are at 1 Main St, {first_name}.")
    assert store.list_saved_replies()[-1] == added
    changed = store.update_saved_reply(added.id, title="Where", body="1 Main St")
    assert store.saved_reply(added.id) == changed
    assert store.delete_saved_reply(added.id)
    with pytest.raises(ValueError, match="needs a title"):
        store.add_saved_reply(" ", "x")
    with pytest.raises(KeyError):
        store.update_saved_reply(999, title="a", body="b")


def test_cursors_remember_and_forget(store: Store) -> None:
    store.set_cursor("inbox", "2024-05-01")
    assert store.get_cursor("inbox") == "2024-05-01"
    store.set_cursor("inbox", None)
    assert store.get_cursor("inbox") is None


def test_received_events_are_deduplicated(store: Store) -> None:
    first = store.add_received_event(provider="mobiniti", kind="inbound", dedupe_key="e1")
    assert first is not None
    assert store.add_received_event(provider="mobiniti", kind="inbound", dedupe_key="e1") is None
    assert [e.id for e in store.list_received_events()] == [first.id]


def test_the_database_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "p.db"
    s = open_store(path)
    s.save_draft("+15550000001", "kept")
    s.close()
    again = open_store(path)
    assert again.get_draft("+15550000001") == "kept"
    assert again.schema_version == SCHEMA_VERSION
    again.close()


def test_a_corrupt_file_is_explained_and_left_alone_without_recover(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError) as err:
        open_store(path)
    assert "damaged" in str(err.value) and "outbox" in str(err.value)
    assert path.read_bytes().startswith(b"this is not")


def test_a_corrupt_file_is_moved_aside_with_recover(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_bytes(b"garbage" * 500)
    s = open_store(path, recover=True)
    assert s.notice is not None and "moved aside" in s.notice and "outbox" in s.notice
    moved = list(tmp_path.glob("p.db.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"garbage")
    assert s.list_saved_replies()  # a fresh, working database
    s.close()


def test_a_database_from_a_newer_smsdesk_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer smsdesk"):
        open_store(path, recover=True)
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_a_folder_that_cannot_hold_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "p.db").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path / "p.db", recover=True)


async def test_async_store_runs_on_one_worker_thread_and_closes(tmp_path: Path) -> None:
    import threading

    astore = AsyncStore(open_store(tmp_path / "a.db"))
    await astore.save_draft("+15550000001", "x")
    names = {await astore._run(lambda: threading.current_thread().name) for _ in range(5)}
    assert len(names) == 1 and threading.current_thread().name not in names
    assert await astore.get_draft("+15550000001") == "x"
    assert await astore.list_conversations() == []
    await astore.close()
    await astore.close()
    with pytest.raises(StoreError, match="closed"):
        await astore.count_unread()


def test_queueing_a_reply_takes_its_draft_with_it_in_one_transaction(store: Store) -> None:
    """kill -9 between Enter's two writes must not leave the sent text in the reply box."""
    store.save_draft("+16502530001", "On my w")  # saved while typing: part of the text
    store.save_draft("+16502530002", "Something else")
    store.add_outbox(key="k1", phone="+16502530001", body="On my way", replaces_draft=True)
    store.add_outbox(key="k2", phone="+16502530002", body="From the CLI")
    assert store.get_draft("+16502530001") is None
    assert store.get_draft("+16502530002") == "Something else"
