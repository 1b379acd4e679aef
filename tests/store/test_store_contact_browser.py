"""The contact browser's queries: word starts, filters, sorts, windows and every matching id."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from store_factories import contact

from tui.api import models as m
from tui.store import Store, open_store
from tui.store.contact_query import SORT_COLUMNS, STATUS_FILTERS, ContactQuery


def _fill(store: Store) -> None:
    store.upsert_contacts([
        contact("c1", "+17205550100", "José", "Smith", email="jose@acme.io",
                groups=[("g1", "VIP")]),
        contact("c2", "+17205550101", "Bob", "Smithers", unsubscribed=True,
                groups=[("g1", "VIP"), ("g2", "Staff")]),
        contact("c3", "+15550000003", "Cy", "Osmium"),
        contact("c4", "+13035550199", "Ann", "Jones", email="ann.jones@smi.org"),
    ])
    with_fields = contact("c5", "+13035550142", "Dee", "Zed").model_copy(
        update={"fields": {"favourite": "Pistachio ice"}})
    store.upsert_contacts([with_fields])


def _ids(store: Store, **query: object) -> list[str]:
    return [c.id for c in store.contact_window(ContactQuery(**query), 0, 100)]  # type: ignore[arg-type]


def test_accents_do_not_matter_and_custom_fields_are_searched(store: Store) -> None:
    _fill(store)
    assert _ids(store, text="jose") == ["c1"]
    assert _ids(store, text="JOSÉ smi") == ["c1"]
    assert _ids(store, text="pist") == ["c5"]
    assert _ids(store, text="acme") == ["c1"]


def test_partial_phone_digits_match_anywhere_in_the_number(store: Store) -> None:
    _fill(store)
    assert _ids(store, text="(720) 555-01") == ["c1", "c2"]
    assert _ids(store, text="0199") == ["c4"]
    assert _ids(store, text="+1 303") == ["c4", "c5"]


def test_filters_by_status_and_group(store: Store) -> None:
    _fill(store)
    assert _ids(store, status="unsubscribed") == ["c2"]
    assert _ids(store, group_id="g1") == ["c1", "c2"]
    assert _ids(store, group_id="g1", status="subscribed") == ["c1"]
    assert _ids(store, group_id="g2", text="smi") == ["c2"]
    assert _ids(store, text="smi", status="subscribed") == ["c4", "c1", "c3"]


def test_sort_by_groups_follows_membership_changes(store: Store) -> None:
    _fill(store)
    # No group first (by name), then "staff, vip" (c2), then "vip" (c1).
    assert _ids(store, sort="groups") == ["c4", "c3", "c5", "c2", "c1"]
    assert _ids(store, sort="groups", descending=True)[:2] == ["c1", "c2"]
    assert _ids(store, sort="groups", text="smi") == ["c4", "c2", "c1", "c3"]  # best first
    store.leave_group("c2", "g2")  # now just "vip", after José Smith by name
    assert _ids(store, sort="groups")[-2:] == ["c1", "c2"]
    store.set_group_members("g2", ["c4"])
    assert _ids(store, sort="groups")[-3:] == ["c4", "c1", "c2"]


def test_sort_by_any_column_either_way(store: Store) -> None:
    _fill(store)
    assert _ids(store, sort="phone") == ["c5", "c4", "c3", "c1", "c2"]
    assert _ids(store, sort="phone", descending=True) == ["c2", "c1", "c3", "c4", "c5"]
    assert _ids(store, sort="status")[0] == "c2"
    assert _ids(store, text="smi", descending=True) == ["c2", "c1", "c4", "c3"]


def test_windows_page_through_the_same_order_as_every_id(store: Store) -> None:
    _fill(store)
    query = ContactQuery(text="smi")
    whole = store.matching_ids(query)
    assert whole == ["c4", "c1", "c2", "c3"]
    paged = [c.id for o in range(0, 4, 2) for c in store.contact_window(query, o, 2)]
    assert paged == whole and store.count_matching(query) == 4


def test_group_membership_follows_the_contacts_groups(store: Store) -> None:
    _fill(store)
    store.upsert_contacts([contact("c2", "+17205550101", "Bob", "Smithers", groups=[])])
    assert _ids(store, group_id="g1") == ["c1"]
    store.forget_contacts(["c1"])
    assert _ids(store, group_id="g1") == [] and _ids(store, text="jose") == []


def test_groups_keep_their_settings_for_the_form(store: Store) -> None:
    group = m.Group.model_validate({
        "id": "g9", "name": "Deals", "join_message": "Welcome!", "one_time_message": True,
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "keyword": {"keyword": "DEALS"}})
    store.upsert_groups([group])
    stored = store.group("g9")
    assert stored is not None and stored.join_message == "Welcome!"
    assert stored.flags["one_time_message"] and stored.status == "keyword"


_shared = open_store(":memory:")
_fill(_shared)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20), st.sampled_from(SORT_COLUMNS), st.sampled_from(STATUS_FILTERS),
       st.booleans())
def test_any_query_pages_consistently(text: str, sort: str, status: str, desc: bool) -> None:
    query = ContactQuery(text=text, sort=sort, status=status, descending=desc)  # type: ignore[arg-type]
    whole = _shared.matching_ids(query)
    assert len(whole) == len(set(whole)) == _shared.count_matching(query)
    assert [c.id for c in _shared.contact_window(query, 0, 100)] == whole
