"""Carrier lookups are kept in the store: the detail pane shows them after a restart."""

from __future__ import annotations

from service_env import Env

from tui.api.client import MobinitiClient
from tui.services.contacts import ContactBook, describe_lookup
from tui.services.sync import ContactSync
from tui.store import AsyncStore, open_store


async def test_a_lookup_is_shown_after_a_restart(env: Env) -> None:
    async def client() -> MobinitiClient:
        return env.client

    await ContactSync(env.client, env.store).sync_all()
    someone = (await env.store.search_contacts("", limit=1))[0]
    book = ContactBook(env.store, client)
    before = await book.detail(someone.id)
    assert before is not None and describe_lookup(before.lookup) == "not looked up (press c)"
    found = await book.lookup([someone.phone])
    answer = found[someone.phone]
    await env.store.close()  # quit

    store = AsyncStore(open_store(env.path))  # start again
    try:
        detail = await ContactBook(store, client).detail(someone.id)
        assert detail is not None and detail.lookup is not None
        assert detail.lookup.line_type == answer.line_type
        assert detail.lookup.carrier == (answer.carrier.name if answer.carrier else None)
        assert describe_lookup(detail.lookup) != "not looked up (press c)"
    finally:
        await store.close()
