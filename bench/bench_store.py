"""Times the store's interactive queries on a big account: 100k contacts, 1,000 chats, 20k texts.

Run: ``.venv/bin/python bench/bench_store.py`` (prints median and p95 in milliseconds).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.api.models import Contact, Message
from tui.store import Store, open_store

CONTACTS = 100_000
CONVERSATIONS = 1_000
MESSAGES = 20_000
RUNS = 50
# Figures for bench/run.py: (key, label in the printout, query).
QUERIES: list[tuple[str, str, Callable[[Store], object]]] = [
    ("store_list_conversations_ms", "list_conversations('all', first 50)",
     lambda s: s.list_conversations(limit=50)),
    ("store_list_unread_ms", "list_conversations('unread', first 50)",
     lambda s: s.list_conversations("unread", limit=50)),
    ("store_search_conversations_ms", "list_conversations(search='parcel')",
     lambda s: s.list_conversations(search="parcel", limit=50)),
    ("store_search_folded_ms", "list_conversations(search='MÜLLER') (folded)",
     lambda s: s.list_conversations(search="MÜLLER", limit=50)),
    ("store_list_needs_reply_ms", "list_conversations('needs_reply', first 50)",
     lambda s: s.list_conversations("needs_reply", limit=50)),
    ("store_search_contacts_ms", "search_contacts('smi', first 50)",
     lambda s: s.search_contacts("smi", limit=50)),
    ("store_count_contacts_ms", "count_contacts('smi')", lambda s: s.count_contacts("smi")),
    ("store_search_phone_digits_ms", "search_contacts('253-00') (phone digits)",
     lambda s: s.search_contacts("253-00", limit=50)),
    ("store_search_two_words_ms", "search_contacts('ann smi')",
     lambda s: s.search_contacts("ann smi", limit=50)),
    ("store_messages_for_ms", "messages_for(phone, limit=50)",
     lambda s: s.messages_for("+16502000001", limit=50)),
    ("store_count_unread_ms", "count_unread()", lambda s: s.count_unread()),
]

FIRST = ["Ann", "Bob", "Cy", "Dee", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia"]
LAST = ["Smith", "Jones", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Moore",
        "Taylor", "Smithers", "Osmond", "Nguyen", "Khan", "Ito", "Silva"]
WORDS = ["hi", "are", "you", "open", "today", "thanks", "see", "you", "soon", "parcel", "order",
         "table", "booking", "stop", "help"]


def _fill(store: Store, rng: random.Random, contacts: int = CONTACTS) -> float:
    start = time.perf_counter()
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    batch: list[Contact] = []
    for i in range(contacts):
        batch.append(Contact(
            id=f"c{i}", phone_number=f"+1{rng.randint(201, 989)}{rng.randint(2000000, 9999999)}",
            first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
            email=f"user{i}@example.com" if i % 3 else None, created_at=t0, updated_at=t0,
        ))
        if len(batch) == 5_000:
            store.upsert_contacts(batch)
            batch.clear()
    store.upsert_contacts(batch)
    phones = [f"+1650{2000000 + i:07d}" for i in range(CONVERSATIONS)]
    messages: list[Message] = []
    for i in range(MESSAGES):
        when = t0 + timedelta(minutes=i)
        messages.append(Message(
            id=f"m{i}", phone_number=rng.choice(phones), direction=rng.choice(
                ["incoming", "outgoing"]), read=rng.random() < 0.8,
            message=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 15))),
            created_at=when, updated_at=when,
        ))
        if len(messages) == 1_000:
            store.save_messages(messages)
            messages.clear()
    store.save_messages(messages)
    return time.perf_counter() - start


def _samples(fn: Callable[[], object], runs: int = RUNS) -> list[float]:
    fn()  # warm the page cache once, as a person's second keystroke would
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)


def _time(label: str, fn: Callable[[], object]) -> None:
    samples = _samples(fn)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<44} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def measure(quick: bool) -> dict[str, float]:
    """Medians in ms (bench/run.py convention); --quick fills 20k contacts instead of 100k."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.db")
        fill_s = _fill(store, random.Random(42), 20_000 if quick else CONTACTS)
        figures = {"store_fill_s": fill_s}
        for key, _label, query in QUERIES:
            figures[key] = statistics.median(_samples(lambda q=query: q(store), 20 if quick
                                                      else RUNS))
        store.close()
    return figures


def main() -> None:
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.db")
        seconds = _fill(store, rng)
        print(f"filled {CONTACTS:,} contacts, {CONVERSATIONS:,} conversations, "
              f"{MESSAGES:,} messages in {seconds:.1f} s")
        for _key, label, query in QUERIES:
            _time(label, lambda q=query: q(store))  # type: ignore[misc]
        store.close()


if __name__ == "__main__":
    main()
