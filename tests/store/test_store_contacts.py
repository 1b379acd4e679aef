"""Contact search over the cache: names, phone digits, email, paging and counts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from store_factories import contact

from tui.store import Store, open_store


def _fill(store: Store) -> None:
    store.upsert_contacts([
        contact("c1", "+16502530000", "Ann", "Smith", email="ann@example.com",
                groups=[("g1", "VIP")]),
        contact("c2", "+15550000002", "Bob", "Smithers"),
        contact("c3", "+15550000003", "Cy", "Osmium"),
        contact("c4", "+15550000004", "Dee", "Jones", email="dee@smi.org"),
        contact("c5", "+15550000005"),
    ])


def test_words_starting_with_the_term_come_first_then_the_term_inside_a_word(
        store: Store) -> None:
    _fill(store)
    # Jones (dee@smi.org), Smith, Smithers start with "smi"; Osmium only contains it.
    assert [c.id for c in store.search_contacts("smi")] == ["c4", "c1", "c2", "c3"]
    assert [c.id for c in store.search_contacts("ann smi")] == ["c1"]
    assert store.count_contacts("smi") == 4


def test_search_by_phone_digits_with_punctuation(store: Store) -> None:
    _fill(store)
    assert [c.id for c in store.search_contacts("253-00")] == ["c1"]
    assert [c.id for c in store.search_contacts("+1 (650)")] == ["c1"]


def test_short_queries_still_work_without_the_index(store: Store) -> None:
    _fill(store)
    assert [c.id for c in store.search_contacts("cy")] == ["c3"]
    assert store.count_contacts("") == 5
    assert len(store.search_contacts("", limit=2, offset=4)) == 1


def test_contact_fields_come_back_as_plain_records(store: Store) -> None:
    _fill(store)
    ann = store.contact_by_phone("+16502530000")
    assert ann is not None
    assert (ann.display_name, ann.groups, ann.group_ids, ann.subscribed) == (
        "Ann Smith", ("VIP",), ("g1",), True)
    assert store.contact_by_phone("+19999999999") is None


def test_an_update_replaces_the_searchable_name(store: Store) -> None:
    _fill(store)
    store.upsert_contacts([contact("c1", "+16502530000", "Ann", "Brown")])
    assert "c1" not in [c.id for c in store.search_contacts("smith")]
    assert [c.id for c in store.search_contacts("brown")] == ["c1"]
    # A page without include=groups keeps the groups we knew.
    assert store.contact("c1").groups == ("VIP",)  # type: ignore[union-attr]


_shared = open_store(":memory:")
_shared.upsert_contacts([contact("c1", "+16502530000", "Ann", "Smith")])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_typed_text_is_a_valid_search(query: str) -> None:
    assert _shared.count_contacts(query) == len(_shared.search_contacts(query, limit=1000))
    _shared.list_conversations(search=query)
