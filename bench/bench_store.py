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

FIRST = ["Ann", "Bob", "Cy", "Dee", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lia"]
LAST = ["Smith", "Jones", "Brown", "Garcia", "Miller", "Davis", "Lopez", "Wilson", "Moore",
        "Taylor", "Smithers", "Osmond", "Nguyen", "Khan", "Ito", "Silva"]
WORDS = ["hi", "are", "you", "open", "today", "thanks", "see", "you", "soon", "parcel", "order",
         "table", "booking", "stop", "help"]


def _fill(store: Store, rng: random.Random) -> float:
    start = time.perf_counter()
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    batch: list[Contact] = []
    for i in range(CONTACTS):
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


def _time(label: str, fn: Callable[[], object]) -> None:
    fn()  # warm the page cache once, as a person's second keystroke would
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<44} median {statistics.median(samples):7.2f} ms   p95 {p95:7.2f} ms")


def main() -> None:
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.db")
        seconds = _fill(store, rng)
        print(f"filled {CONTACTS:,} contacts, {CONVERSATIONS:,} conversations, "
              f"{MESSAGES:,} messages in {seconds:.1f} s")
        _time("list_conversations('all', first 50)", lambda: store.list_conversations(limit=50))
        _time("list_conversations('unread', first 50)",
              lambda: store.list_conversations("unread", limit=50))
        _time("list_conversations(search='parcel')",
              lambda: store.list_conversations(search="parcel", limit=50))
        _time("list_conversations(search='MÜLLER') (folded)",
              lambda: store.list_conversations(search="MÜLLER", limit=50))
        _time("list_conversations('needs_reply', first 50)",
              lambda: store.list_conversations("needs_reply", limit=50))
        _time("search_contacts('smi', first 50)", lambda: store.search_contacts("smi", limit=50))
        _time("count_contacts('smi')", lambda: store.count_contacts("smi"))
        _time("search_contacts('253-00') (phone digits)",
              lambda: store.search_contacts("253-00", limit=50))
        _time("search_contacts('ann smi')", lambda: store.search_contacts("ann smi", limit=50))
        _time("messages_for(phone, limit=50)",
              lambda: store.messages_for("+16502000001", limit=50))
        _time("count_unread()", store.count_unread)
        store.close()


if __name__ == "__main__":
    main()
