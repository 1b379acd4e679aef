"""The inbox list, a conversation's pages and de-duplication of texts from the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_factories import T0, contact, message

from tui.store import Store


def test_saving_the_same_texts_twice_returns_them_new_only_once(store: Store) -> None:
    batch = [message("m1", minutes=1), message("m2", minutes=2)]
    assert [m.id for m in store.save_messages(batch)] == ["m1", "m2"]
    assert store.save_messages([*batch, message("m3", minutes=3)])[0].id == "m3"
    assert len(store.messages_for("+16502530000", limit=10)) == 3


def test_conversation_row_follows_the_newest_text_and_counts_unread(store: Store) -> None:
    store.save_messages([
        message("m1", body="first", minutes=1),
        message("m2", body="second   line\nwrapped", minutes=2),
        message("m3", body="old but read", minutes=0, read=True),
    ])
    conv = store.conversation("+16502530000")
    assert conv is not None
    assert conv.preview == "second line wrapped"
    assert conv.last_message_at == T0 + timedelta(minutes=2)
    assert conv.unread_count == 2
    assert conv.title == "+16502530000"
    assert store.count_unread() == 2


def test_messages_for_pages_newest_first_for_load_older(store: Store) -> None:
    store.save_messages([message(f"m{i}", minutes=i) for i in range(10)])
    first = store.messages_for("+16502530000", limit=4)
    assert [m.id for m in first] == ["m9", "m8", "m7", "m6"]
    older = store.messages_for("+16502530000", before=first[-1].created_at, limit=4)
    assert [m.id for m in older] == ["m5", "m4", "m3", "m2"]


def test_list_views_unread_and_opted_out(store: Store) -> None:
    store.save_messages([
        message("a", "+15550000001", minutes=1, read=True),
        message("b", "+15550000002", minutes=2),
        message("c", "+15550000003", minutes=3, read=True),
    ])
    store.set_opted_out("+15550000003", True)
    assert [c.phone for c in store.list_conversations()] == [
        "+15550000003", "+15550000002", "+15550000001"]
    assert [c.phone for c in store.list_conversations("unread")] == ["+15550000002"]
    opted = store.list_conversations("opted_out")
    assert [c.phone for c in opted] == ["+15550000003"]
    assert opted[0].badges == ("STOP",)
    with pytest.raises(ValueError, match="Unknown conversation view"):
        store.list_conversations("archived")


def test_search_finds_conversations_by_name_digits_and_text(store: Store) -> None:
    store.upsert_contacts([contact("c1", "+15550000001", "Ada", "Lovelace")])
    store.save_messages([
        message("a", "+15550000001", "see you", minutes=1),
        message("b", "+16502530000", "where is my parcel?", minutes=2),
        message("c", "+15550000009", "hi", minutes=3),
    ])
    def phones(q: str) -> list[str]:
        return [c.phone for c in store.list_conversations(search=q)]
    assert phones("love") == ["+15550000001"]
    assert phones("253-00") == ["+16502530000"]
    assert phones("(650) 253") == ["+16502530000"]
    assert phones("parcel") == ["+16502530000"]
    assert phones("") == ["+15550000009", "+16502530000", "+15550000001"]
    assert store.count_conversations(search="ada") == 1
    assert phones('"; DROP TABLE x') == []


def test_receipt_updates_change_an_existing_text_without_making_it_new(store: Store) -> None:
    store.save_messages([message("o1", direction="outgoing", code="136")])
    result = store.store_messages([message("o1", direction="outgoing", code="100")])
    assert result.new == ()
    assert result.changed_phones == {"+16502530000"}
    stored = store.messages_for("+16502530000")[0]
    assert (stored.delivery_code, stored.delivery_state) == ("100", "delivered")


def test_mark_read_and_unread_and_revert(store: Store) -> None:
    store.save_messages([message("m1", minutes=1), message("m2", minutes=2)])
    ids = store.mark_conversation_read("+16502530000")
    assert sorted(ids) == ["m1", "m2"]
    assert store.count_unread() == 0
    assert store.mark_conversation_unread("+16502530000") == "m2"
    assert store.unread_message_ids("+16502530000") == ["m2"]
    store.set_messages_read(["m1"], False)
    assert store.conversation("+16502530000").unread_count == 2  # type: ignore[union-attr]


def test_contact_name_flows_into_the_conversation(store: Store) -> None:
    store.save_messages([message("m1", "+15550000001")])
    store.upsert_contacts([contact("c1", "+15550000001", "Grace", "Hopper")])
    conv = store.conversation("+15550000001")
    assert conv is not None and conv.title == "Grace Hopper" and conv.contact_id == "c1"


def test_unsubscribed_contact_marks_its_conversation_opted_out(store: Store) -> None:
    store.save_messages([message("m1", "+15550000001")])
    store.upsert_contacts([contact("c1", "+15550000001", unsubscribed=True, updated_minutes=5)])
    assert store.conversation("+15550000001").opted_out  # type: ignore[union-attr]
    # Contacts never create conversations of their own.
    store.upsert_contacts([contact("c2", "+15550000002", unsubscribed=True)])
    assert store.conversation("+15550000002") is None
