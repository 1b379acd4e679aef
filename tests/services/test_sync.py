"""Contacts and groups mirrored into the store: progress, resume after a cut, deletions."""

from __future__ import annotations

import pytest
from service_env import Env

from tui.api.errors import ApiError
from tui.services.sync import ContactSync, SyncProgress


async def test_contacts_and_groups_are_mirrored_with_progress(env: Env) -> None:
    seen: list[SyncProgress] = []
    sync = ContactSync(env.client, env.store, on_progress=seen.append, page_size=7)
    _groups, contacts = await sync.sync_all()
    assert contacts.finished and contacts.done == len(env.sandbox.state.contacts)
    assert await env.store.count_contacts() == len(env.sandbox.state.contacts)
    assert len(await env.store.list_groups()) == len(env.sandbox.state.groups)
    pages = [p for p in seen if p.kind == "contacts" and not p.finished]
    assert [p.page for p in pages] == list(range(1, len(pages) + 1))
    assert pages[0].total == len(env.sandbox.state.contacts) and pages[-1].fraction == 1.0
    assert await sync.last_synced("contacts") is not None
    someone = next(iter(env.sandbox.state.contacts.values()))
    cached = await env.store.contact_by_phone(someone.phone_number)
    assert cached is not None and cached.id == someone.id


async def test_a_cut_off_sync_resumes_at_the_page_it_reached(env: Env) -> None:
    sync = ContactSync(env.client, env.store, page_size=10)
    calls = {"n": 0}
    real = env.client.list_contacts

    async def flaky(**kwargs: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 3:
            env.transport.down = True
        return await real(**kwargs)  # type: ignore[arg-type]

    env.client.list_contacts = flaky  # type: ignore[method-assign]
    with pytest.raises(ApiError):
        await sync.sync("contacts")
    assert await env.store.get_cursor("sync.contacts.next_page") == "3"
    env.transport.down = False
    env.client.list_contacts = real  # type: ignore[method-assign]
    env.transport.seen.clear()
    result = await sync.sync("contacts")
    assert result.finished and await env.store.count_contacts() == len(env.sandbox.state.contacts)
    assert env.transport.count("GET", "/v1/contacts") == 1  # 30 contacts: only page 3 was left


async def test_contacts_deleted_on_the_server_leave_the_cache(env: Env) -> None:
    sync = ContactSync(env.client, env.store)
    await sync.sync("contacts")
    gone = next(iter(env.sandbox.state.contacts))
    del env.sandbox.state.contacts[gone]
    await sync.sync("contacts")
    assert await env.store.contact(gone) is None


async def test_a_refresh_reads_newest_first_and_stops_at_what_it_knows(env: Env) -> None:
    from datetime import timedelta

    sync = ContactSync(env.client, env.store, page_size=10)
    await sync.sync_all()
    assert not await sync.full_pass_due()
    changed = sorted(env.sandbox.state.contacts.values(), key=lambda c: c.id)[5]
    changed.first_name = "Renamed"
    changed.updated_at = env.sandbox.state.now() + timedelta(seconds=5)
    env.transport.seen.clear()
    assert await sync.refresh("contacts") == 1
    assert (await env.store.contact(changed.id)).first_name == "Renamed"  # type: ignore[union-attr]
    assert env.transport.count("GET", "/v1/contacts") == 1  # page 1 held a known contact
    assert await sync.refresh("contacts") == 0


async def test_a_cut_off_pass_makes_the_next_round_a_full_pass(env: Env) -> None:
    sync = ContactSync(env.client, env.store, page_size=10)
    await env.store.set_cursor("sync.contacts.next_page", "2")
    assert await sync.full_pass_due()
