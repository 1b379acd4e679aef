"""Pagination, filters, sorting and includes follow seed 002 and the contract table."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tui.api import models as m
from tui.sandbox import Sandbox


async def test_pagination_meta_and_next_link_walk_every_contact(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    seen: list[str] = []
    url: str | None = "/contacts?limit=15"
    pages = 0
    while url:
        response = await http.get(url)
        page = m.Page[m.Contact].model_validate(response.json())
        assert page.meta.pagination is not None
        meta = page.meta.pagination
        assert (meta.total, meta.per_page, meta.total_pages) == (40, 15, 3)
        assert meta.count == len(page.data)
        seen.extend(c.id for c in page.data)
        url = meta.links.next
        pages += 1
    assert pages == 3
    assert seen == list(sandbox.state.contacts)


async def test_next_link_keeps_filters_and_previous_link_exists(http: httpx.AsyncClient) -> None:
    response = await http.get("/messages", params={"limit": 5, "page": 2,
                                                   "filter[type]": "INCOMING_ALL"})
    links = response.json()["meta"]["pagination"]["links"]
    assert "filter%5Btype%5D=INCOMING_ALL" in links["next"] and "page=3" in links["next"]
    assert "page=1" in links["previous"]


async def test_page_past_the_end_is_empty(http: httpx.AsyncClient) -> None:
    body = (await http.get("/contacts", params={"page": 99})).json()
    assert body["data"] == [] and body["meta"]["pagination"]["current_page"] == 99


async def test_phone_filter_is_exact_on_contacts_and_partial_on_messages(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    record = sandbox.state.messages[-1]
    exact = (await http.get("/contacts", params={"filter[phone_number]": record.phone_number}))
    assert [c["phone_number"] for c in exact.json()["data"]] == [record.phone_number]
    partial = await http.get("/contacts", params={"filter[phone_number]": record.phone_number[-6:]})
    assert partial.json()["data"] == []
    digits = record.phone_number[-7:-2]
    found = (await http.get("/messages", params={"filter[phone_number]": digits})).json()["data"]
    assert found and all(digits in f["phone_number"] for f in found)


async def test_reward_points_filter_is_exact(sandbox: Sandbox, http: httpx.AsyncClient) -> None:
    points = next(c.reward_points for c in sandbox.state.contacts.values() if c.reward_points)
    data = (await http.get("/contacts", params={"filter[reward_points]": points})).json()["data"]
    expected = sum(1 for c in sandbox.state.contacts.values() if c.reward_points == points)
    assert len(data) == expected and all(c["reward_points"] == points for c in data)


async def test_unknown_filter_and_sort_are_400_naming_what_is_allowed(
    http: httpx.AsyncClient,
) -> None:
    bad_filter = await http.get("/contacts", params={"filter[email]": "x"})
    assert bad_filter.status_code == 400
    assert "phone_number" in bad_filter.json()["errors"]["filter[email]"][0]
    bad_sort = await http.get("/groups", params={"sort": "colour"})
    assert bad_sort.status_code == 400


async def test_sort_descending_and_multi_key(sandbox: Sandbox, http: httpx.AsyncClient) -> None:
    data = (await http.get("/messages", params={"sort": "-created_at"})).json()["data"]
    stamps = [d["created_at"] for d in data]
    assert stamps == sorted(stamps, reverse=True)
    contacts = (await http.get("/contacts", params={"sort": "-reward_points,created_at"})).json()
    points = [c["reward_points"] for c in contacts["data"]]
    assert points == sorted(points, reverse=True)


async def test_created_at_window_selects_messages(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    middle = sandbox.state.messages[len(sandbox.state.messages) // 2].created_at
    low = m.format_timestamp(middle - timedelta(hours=1))
    high = m.format_timestamp(middle)
    body = (await http.get("/messages", params={"filter[created_at_min]": low,
                                                "filter[created_at_max]": high})).json()
    expected = [r.id for r in sandbox.state.messages
                if middle - timedelta(hours=1) <= r.created_at <= middle]
    assert [d["id"] for d in body["data"]] == expected[:100]
    bad = await http.get("/messages", params={"filter[created_at_min]": "yesterday"})
    assert bad.status_code == 422


async def test_unread_incoming_listing(sandbox: Sandbox, http: httpx.AsyncClient) -> None:
    body = (await http.get("/messages", params={"filter[type]": "INCOMING_ALL",
                                                "filter[read]": "false"})).json()
    expected = [r.id for r in sandbox.state.messages if r.direction == "incoming" and not r.read]
    assert expected, "the demo data has unread texts"
    assert [d["id"] for d in body["data"]] == expected


async def test_includes_are_left_out_unless_asked(http: httpx.AsyncClient) -> None:
    plain = (await http.get("/messages", params={"limit": 1})).json()["data"][0]
    assert not {"receipt", "contact", "type"} & set(plain)
    assert {"direction", "read"} <= set(plain)
    full = (await http.get("/messages", params={"limit": 50, "filter[type]": "OUTGOING_ALL",
                                                "include": "receipt,contact.carrier,type"}))
    item = full.json()["data"][0]
    assert item["type"]["direction"] == "outgoing"
    assert item["receipt"]["code"] in {"100", "136", "137"} or not item["receipt"]["success"]
    assert item["contact"]["carrier"]["name"]
    assert "groups" not in item["contact"]


async def test_include_array_form_is_accepted(http: httpx.AsyncClient, sandbox: Sandbox) -> None:
    group_id = next(iter(sandbox.state.groups))
    response = await http.get(f"/groups/{group_id}/contacts?include[]=status&include[]=fields")
    first = response.json()["data"][0]
    assert first["status"]["subscribed"] in (True, False) and first["fields"] == {}
    assert "carrier" not in first
    refused = await http.get(f"/groups/{group_id}/contacts", params={"include": "carrier"})
    assert refused.status_code == 400


async def test_group_keyword_include(http: httpx.AsyncClient) -> None:
    without = (await http.get("/groups")).json()["data"]
    assert all("keyword" not in g for g in without)
    with_kw = (await http.get("/groups", params={"include": "keyword"})).json()["data"]
    keywords = [g["keyword"] for g in with_kw]
    assert {"keyword": "VIP", "short_code": "64600"}.items() <= keywords[0].items()
    assert None in keywords  # groups without a keyword show null
