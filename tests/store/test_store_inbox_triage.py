"""Inbox search folding, triage flags, the longest wait and read marks waiting for the server."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from store_factories import T0, contact, message

from tui.store import Store, open_store
from tui.store.migrations import m001_initial
from tui.store.search import fold

A, B, C = "+15550000001", "+15550000002", "+15550000003"


def test_search_folds_case_and_accents_in_names_and_texts(store: Store) -> None:
    store.upsert_contacts([contact("c1", A, "Jürgen", "Müller"), contact("c2", B, "Zoë", "Ng")])
    store.save_messages([message("a", A, "hello", minutes=1),
                         message("b", B, "Un café crème, s'il vous plaît", minutes=2),
                         message("c", C, "nothing here", minutes=3)])
    for query in ("muller", "MÜLLER", "Muller", "jurgen mul"):
        assert [c.phone for c in store.list_conversations(search=query)] == [A], query
    assert [c.phone for c in store.list_conversations(search="zoe")] == [B]
    assert [c.phone for c in store.list_conversations(search="CAFE CREME")] == [B]
    assert [c.phone for c in store.list_conversations(search="plait")] == [B]
    assert store.list_conversations(search="nobody") == []


@given(st.text(max_size=30))
def test_fold_is_idempotent_and_lower_case(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert once == once.lower()


def test_done_until_they_text_again_and_needs_reply_until_we_answer(store: Store) -> None:
    store.save_messages([message("a1", A, "hi", minutes=1), message("b1", B, "hey", minutes=2)])
    store.set_triage(A, "done", at=T0 + timedelta(minutes=5))
    assert [c.phone for c in store.list_conversations("done")] == [A]
    assert [c.phone for c in store.list_conversations("needs_reply")] == [B]
    store.save_messages([message("a2", A, "one more thing", minutes=6)])
    assert store.conversation(A).triage is None  # type: ignore[union-attr]
    store.set_triage(B, "needs_reply", at=T0 + timedelta(minutes=7))
    store.save_messages([message("b2", B, "on it", direction="outgoing", minutes=8)])
    conv = store.conversation(B)
    assert conv is not None and conv.triage is None and conv.waiting_since is None


def test_needs_reply_lists_the_longest_wait_first(store: Store) -> None:
    store.save_messages([
        message("a1", A, "first, still waiting", minutes=1),
        message("b1", B, "second", minutes=2),
        message("b2", B, "answered", direction="outgoing", minutes=3),
        message("c1", C, "third", minutes=4),
        message("a2", A, "hello??", minutes=9),
    ])
    assert [c.phone for c in store.list_conversations("needs_reply")] == [A, C]
    waiting = store.longest_waiting()
    assert waiting is not None and waiting.phone == A
    assert waiting.waiting_since == T0 + timedelta(minutes=1)


def test_a_conversation_opened_from_a_view_can_be_kept_in_it(store: Store) -> None:
    store.save_messages([message("a", A, minutes=1), message("b", B, minutes=2)])
    store.mark_conversation_read(A)
    assert [c.phone for c in store.list_conversations("unread")] == [B]
    assert [c.phone for c in store.list_conversations("unread", keep=[A])] == [B, A]


def test_the_list_shows_which_conversations_have_a_draft(store: Store) -> None:
    store.save_messages([message("a", A, minutes=1), message("b", B, minutes=2)])
    store.save_draft(A, "half a thought")
    drafts = {c.phone: c.has_draft for c in store.list_conversations()}
    assert drafts == {A: True, B: False}


def test_waiting_read_marks_newest_wish_wins(store: Store) -> None:
    store.queue_read_marks(["m1", "m2"], False)
    store.queue_read_marks(["m2"], True)
    assert store.pending_read_marks() == [("m1", False), ("m2", True)]
    store.forget_read_mark("m2", False)  # an older wish: the newer one stays
    store.forget_read_mark("m1", False)
    assert store.pending_read_marks() == [("m2", True)]


def test_a_database_of_schema_1_is_migrated_with_its_texts_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(m001_initial.SQL + "\nPRAGMA user_version = 1;")
    conn.execute(
        "INSERT INTO messages (id, phone, body, direction, read, created_at) "
        "VALUES ('m1', ?, 'Grüße aus Köln', 'incoming', 0, '2024-05-01T12:00:00.000000Z')", (A,)
    )
    conn.execute("INSERT INTO conversations (phone, phone_digits, display_name, last_message_at, "
                 "last_direction) VALUES (?, '15550000001', 'Çelik', "
                 "'2024-05-01T12:00:00.000000Z', 'incoming')", (A,))
    conn.commit()
    conn.close()
    store = open_store(path)
    try:
        assert [c.phone for c in store.list_conversations(search="koln")] == [A]
        assert [c.phone for c in store.list_conversations(search="celik")] == [A]
        assert [c.phone for c in store.list_conversations("needs_reply")] == [A]
    finally:
        store.close()
