"""Ways to hurt a live database in tests: damaged pages under an open store, a full disk."""

from __future__ import annotations

import os

from tui.store import Store


def damage_pages_under(store: Store) -> None:
    """Overwrite all but the first two and the last page with noise, under the open store;
    its cache is shrunk first so the damaged pages are really read from disk."""
    with store.db.reading() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA cache_size = 1")
    size = store.path.stat().st_size
    with open(store.path, "r+b") as handle:
        handle.seek(4096 * 2)
        handle.write(os.urandom(size - 4096 * 3))


def fill_the_disk(store: Store) -> None:
    """What a full disk looks like to sqlite: the file may not grow by one more page."""
    with store.db.reading() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
