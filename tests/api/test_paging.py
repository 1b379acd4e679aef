"""paginate() follows meta.pagination to the last page and never loops for ever."""

from __future__ import annotations

from typing import Any

import httpx
from api_fakes import BASE, SAMPLES, TOKEN, Script, page_json

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.rate import Priority, RateScheduler


def contacts(page: int, n: int = 2) -> list[dict[str, Any]]:
    return [dict(SAMPLES[m.Contact], id=f"c{page}-{i}") for i in range(n)]


def client_for(script: Script) -> MobinitiClient:
    return MobinitiClient(TOKEN, BASE, transport=script.transport,
                          scheduler=RateScheduler(per_second=1000.0))


async def test_paginate_reads_every_page_in_order() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return httpx.Response(200, json=page_json(m.Contact, page=page, total_pages=3,
                                                  per_page=2, items=contacts(page)))

    script = Script(handler=handler)
    async with client_for(script) as client:
        ids = [c.id async for c in client.paginate(
            client.list_contacts, limit=2, sort="-created_at", priority=Priority.BACKGROUND)]
    assert ids == ["c1-0", "c1-1", "c2-0", "c2-1", "c3-0", "c3-1"]
    assert [r.url.params["page"] for r in script.requests] == ["1", "2", "3"]
    assert all(r.url.params["limit"] == "2" and r.url.params["sort"] == "-created_at"
               for r in script.requests)


async def test_paginate_passes_ids_and_filters_of_group_contacts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        return httpx.Response(200, json=page_json(m.Contact, page=page, total_pages=4,
                                                  per_page=1, items=contacts(page, 1)))

    script = Script(handler=handler)
    async with client_for(script) as client:
        pages = [p async for p in client.pages(client.list_group_contacts, "g1", limit=1,
                                                   filters={"reward_points": 3})]
    assert len(pages) == 4
    assert {r.url.path for r in script.requests} == {"/v1/groups/g1/contacts"}
    assert pages[-1].meta.pagination is not None and pages[-1].meta.pagination.current_page == 4


async def test_paginate_follows_links_next_when_total_pages_lies() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        body = page_json(m.Contact, page=page, total_pages=1, items=contacts(page, 1))
        if page < 3:
            body["meta"]["pagination"]["links"] = {"next": f"{BASE}/contacts?page={page + 1}"}
        return httpx.Response(200, json=body)

    script = Script(handler=handler)
    async with client_for(script) as client:
        items = [c async for c in client.paginate(client.list_contacts)]
    assert len(items) == 3


async def test_paginate_stops_when_the_server_ignores_the_page_number() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=page_json(m.Contact, page=1, total_pages=5,
                                                  items=contacts(1)))

    script = Script(handler=handler)
    async with client_for(script) as client:
        items = [c async for c in client.paginate(client.list_contacts)]
    assert len(items) == 2 and len(script.requests) == 2


async def test_paginate_stops_on_an_empty_page_or_missing_meta() -> None:
    script = Script(httpx.Response(200, json={"data": contacts(1)}))
    async with client_for(script) as client:
        items = [c async for c in client.paginate(client.list_contacts)]
    assert len(items) == 2 and len(script.requests) == 1
    script = Script(httpx.Response(200, json=page_json(m.Contact, page=1, total_pages=9,
                                                       items=[])))
    async with client_for(script) as client:
        assert [c async for c in client.paginate(client.list_contacts)] == []
    assert len(script.requests) == 1
