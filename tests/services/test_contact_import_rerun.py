"""Re-running an interrupted CSV import: rows the server already has are never "rejected"."""

from __future__ import annotations

from pathlib import Path

import httpx
from service_env import Env

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.services.contact_import import plan_import, run_import
from tui.services.contacts import ContactBook

FILE = ("phone,first name,last name\n"
        "(720) 555-0101,Ann,Smith\n"
        "(720) 555-0102,Bob,Jones\n"
        "(720) 555-0103,Cy,Brown\n")
PHONES = ("+17205550101", "+17205550102", "+17205550103")


def _book(env: Env) -> ContactBook:
    async def client() -> MobinitiClient:
        return env.client

    return ContactBook(env.store, client)


def _on_server(env: Env, phone: str) -> int:
    return sum(1 for c in env.sandbox.state.contacts.values() if c.phone_number == phone)


async def test_rows_created_before_the_cut_count_as_unchanged_or_updated(
        env: Env, tmp_path: Path) -> None:
    # An earlier run created two rows on the server and was killed before caching them:
    # the cache does not know them, so the plan calls them new.
    await env.client.create_contact(m.ContactCreate(phone_number=PHONES[0], first_name="Ann",
                                                    last_name="Smith"))
    await env.client.create_contact(m.ContactCreate(phone_number=PHONES[1], first_name="Rob",
                                                    last_name="Jones"))
    source = tmp_path / "list.csv"
    source.write_text(FILE)
    book = _book(env)
    draft = await plan_import(book, source)
    assert draft.plan.count("new") == 3

    result = await run_import(book, draft)

    assert result.rejected == [] and result.rejected_file is None
    assert (result.created, result.updated, result.unchanged, result.found) == (1, 1, 1, 2)
    assert "2 of them already on the server" in result.sentence()
    assert not (tmp_path / "list.rejected.csv").exists()
    for phone in PHONES:
        assert _on_server(env, phone) == 1
        assert await env.store.contact_by_phone(phone) is not None  # cached now
    bob = await env.store.contact_by_phone(PHONES[1])
    assert bob is not None and bob.first_name == "Bob"  # the file's name won


async def test_an_import_cut_by_a_lost_answer_can_be_run_again(env: Env, tmp_path: Path) -> None:
    source = tmp_path / "list.csv"
    source.write_text(FILE)
    book = _book(env)
    env.transport.lose[("POST", "/v1/contacts")] = 1  # created on the server, answer lost
    first = await run_import(book, await plan_import(book, source))
    assert not any("exist" in r.reason for r in first.rejected)

    again = await run_import(book, await plan_import(book, source))

    assert again.rejected == [] and again.rejected_file is None
    assert first.created + again.created + again.unchanged + again.updated >= 3
    for phone in PHONES:
        assert _on_server(env, phone) == 1


async def test_a_server_that_matches_only_national_digits_still_finds_the_earlier_row(
        env: Env, tmp_path: Path) -> None:
    """A server storing ``7205550101`` may not match a filter of ``+17205550101``: the row
    is asked for again by its national digits, not rejected as 'already exists'."""
    await env.client.create_contact(m.ContactCreate(phone_number=PHONES[0], first_name="Ann",
                                                    last_name="Smith"))
    inner = env.transport.handle_async_request
    asked: list[str] = []

    async def national_only(request: httpx.Request) -> httpx.Response:
        wanted = request.url.params.get("filter[phone_number]")
        if request.method == "GET" and wanted is not None:
            asked.append(wanted)
            if wanted.startswith("+"):  # this server knows no "+1…" form
                request = httpx.Request("GET", request.url.copy_set_param(
                    "filter[phone_number]", "+19999999999"), headers=request.headers)
        return await inner(request)

    env.transport.handle_async_request = national_only  # type: ignore[method-assign]
    source = tmp_path / "list.csv"
    source.write_text(FILE)
    book = _book(env)
    result = await run_import(book, await plan_import(book, source))
    assert result.rejected == [] and result.found == 1
    assert asked[:2] == [PHONES[0], PHONES[0][2:]]
    assert _on_server(env, PHONES[0]) == 1
