"""Starting a conversation with a typed number or a contact: normalised, opt-out checked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.api import models as m
from tui.services.new_conversation import CannotText, find_recipients, start
from tui.store import AsyncStore, open_store

NOW = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)


def _contact(cid: str, phone: str, first: str, last: str, *, stopped: bool = False) -> m.Contact:
    return m.Contact(id=cid, phone_number=phone, first_name=first, last_name=last,
                     created_at=NOW, updated_at=NOW, unsubscribed_at=NOW if stopped else None)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncStore:
    s = AsyncStore(open_store(tmp_path / "s.db"))
    await s.upsert_contacts([_contact("c1", "+16502530000", "Ana", "Müller"),
                             _contact("c2", "+12125550134", "Bo", "Stopped", stopped=True)])
    return s


async def test_a_number_typed_as_people_write_it_is_normalised(store: AsyncStore) -> None:
    found = await find_recipients(store, "(650) 253-0000", region="US")
    assert found[0].phone == "+16502530000" and found[0].name == "Ana Müller"
    who = await start(store, "650 253 0000", region="US", at=NOW)
    assert who.phone == "+16502530000"
    listed = await store.list_conversations()
    assert [c.phone for c in listed] == ["+16502530000"]
    await store.close()


async def test_a_contact_is_found_by_name(store: AsyncStore) -> None:
    found = await find_recipients(store, "ana", region="US")
    assert [r.phone for r in found] == ["+16502530000"]
    await store.close()


async def test_an_opted_out_number_is_refused_before_anything_is_written(
    store: AsyncStore,
) -> None:
    with pytest.raises(CannotText, match="opted out"):
        await start(store, "+12125550134", region="US", at=NOW)
    assert await store.list_conversations() == []
    found = await find_recipients(store, "stopped", region="US")
    assert found[0].opted_out
    await store.close()


async def test_a_number_that_is_not_one_says_why(store: AsyncStore) -> None:
    with pytest.raises(CannotText):
        await start(store, "12", region="US", at=NOW)
    await store.close()
