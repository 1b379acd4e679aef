"""Same-frame reads for the screen: the quick reader gives the thread's answer, or gives up."""

from __future__ import annotations

import time

import pytest
from store_factories import contact

from tui.store import AsyncStore, Store, open_store, quick_read
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


class _BusyClock:
    """``time`` for the quick reader: the clock on the wall has run ``lag`` seconds once the
    query starts (the process waited for a core), the CPU clock is the real one."""

    def __init__(self, lag: float) -> None:
        self.lag = lag
        self.calls = 0

    def perf_counter(self) -> float:
        self.calls += 1
        return 1000.0 if self.calls == 1 else 1000.0 + self.lag

    @staticmethod
    def thread_time() -> float:
        return time.thread_time()


def test_waiting_for_a_core_does_not_count_against_the_budget(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a busy machine the wall clock also counts the wait for a core: giving up then only
    ran the query again on the thread and drew its rows a frame later."""
    _fill(store, 3000)
    query = ContactQuery(sort="created")
    monkeypatch.setattr(quick_read, "time", _BusyClock(lag=0.1))
    assert len(store.contact_window_now(query, 2500, 100, budget=0.05)) == 100


def test_a_query_stuck_far_past_its_budget_on_the_clock_still_gives_up(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(store, 3000)
    query = ContactQuery(sort="created")
    monkeypatch.setattr(quick_read, "time", _BusyClock(lag=0.05 * quick_read.WALL_FACTOR + 0.1))
    with pytest.raises(TooSlow):
        store.contact_window_now(query, 2500, 100, budget=0.05)
