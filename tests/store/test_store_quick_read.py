"""Same-frame reads for the screen: the quick reader gives the thread's answer, or gives up."""

from __future__ import annotations

import pytest
from store_factories import contact

from tui.store import AsyncStore, Store, open_store
from tui.store.contact_query import ContactQuery
from tui.store.quick_read import TooSlow


def _fill(store: Store, count: int) -> None:
    store.upsert_contacts([contact(f"c{i:05d}", f"+1720555{i:04d}", f"Ann{i % 7}", f"Smith{i}")
                           for i in range(count)])


@pytest.mark.parametrize("text", ["", "smi", "ann3 smith1", "720555", "zzz"])
def test_the_quick_window_is_the_threads_window(store: Store, text: str) -> None:
    _fill(store, 300)
    query = ContactQuery(text=text, sort="phone", descending=True)
    assert store.contact_window_now(query, 0, 50, budget=5.0) == store.contact_window(
        query, 0, 50)


def test_a_query_over_its_budget_gives_up_and_the_store_still_answers(store: Store) -> None:
    _fill(store, 3000)
    query = ContactQuery(sort="created")
    with pytest.raises(TooSlow):
        store.contact_window_now(query, 2500, 100, budget=0.0)
    assert len(store.contact_window_now(query, 2500, 100, budget=5.0)) == 100


async def test_without_a_second_reader_the_screen_asks_the_thread() -> None:
    store = AsyncStore(open_store(":memory:"))
    try:
        assert store.contact_window_now(ContactQuery(), 0, 10) is None
        assert await store.contact_window(ContactQuery(), 0, 10) == []
    finally:
        await store.close()
    assert store.contact_window_now(ContactQuery(), 0, 10) is None  # closed: no quick reads
