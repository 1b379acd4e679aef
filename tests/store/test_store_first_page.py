"""The inbox's first page, read on the caller's thread at start, is the list's first page."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_factories import message

from tui.store import AsyncStore, StoreError, open_store


async def test_the_first_page_is_the_lists_first_page(tmp_path: Path) -> None:
    store = AsyncStore(open_store(tmp_path / "first.db"))
    await store.store_messages([message(f"m{i}", phone=f"+1650253{i:04d}", minutes=-i)
                                for i in range(30)])
    first = store.first_page(limit=10)
    assert [c.phone for c in first] == [
        c.phone for c in await store.list_conversations(limit=10)
    ]
    assert first[0].phone == "+16502530000"  # the newest first
    await store.close()


async def test_a_store_that_fails_says_so_in_words(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store = AsyncStore(open_store(tmp_path / "first.db"))
    told: list[StoreError] = []
    store.on_trouble = told.append

    def broken(*args: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(store.sync, "list_conversations", broken)
    with pytest.raises(StoreError):
        store.first_page()
    assert told and told[0].kind == "damaged"
    await store.close()
    with pytest.raises(StoreError):
        store.first_page()
