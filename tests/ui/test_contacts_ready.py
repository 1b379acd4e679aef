"""Key 2 without the wait: the section is built while the inbox is idle; stale searches skip."""

from __future__ import annotations

from typing import Any

from tests.ui.contacts_env import BigAccount
from tests.ui.helpers import until
from tui.app import SmsDeskApp
from tui.services.contacts import ContactView
from tui.store.contact_query import ContactQuery
from tui.widgets.virtual_list import VirtualList


async def test_the_contacts_section_is_ready_before_key_2(account: BigAccount) -> None:
    app = SmsDeskApp(account.desk, ready_sections=("contacts",))
    async with app.run_test(size=(120, 40)) as pilot:
        await until(lambda: "contacts" in app._screen_stacks, timeout=15)
        assert app.current_mode == "inbox"  # built out of sight: the inbox stays on screen
        built = app._screen_stacks["contacts"][0]

        def first_row_read() -> bool:
            found = built.query("#contacts-list")
            return bool(found) and found.first(VirtualList).row_at(0) is not None

        await until(first_row_read)
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is built
        lst = app.screen.query_one("#contacts-list", VirtualList)
        assert lst.row_at(0) is not None  # the first page was there before the key
        await pilot.press("1")
        await pilot.pause()
        assert app.current_mode == "inbox"


async def test_a_search_replaced_by_the_next_key_is_not_run(account: BigAccount) -> None:
    book = account.desk.contact_book()
    stale = ContactView(book, ContactQuery(text="a"), lambda: False)
    assert await stale.rows(0, 50) == []
    assert await stale.count() == 0
    fresh = ContactView(book, ContactQuery(text="a"))
    assert len(await fresh.rows(0, 50)) == 50
    await account.desk.store.close()


async def test_a_typed_letter_and_its_first_rows_come_in_the_same_frame(
        account: BigAccount) -> None:
    """The first window of a search is read on the quick reader while the key is handled:
    by the time the key is processed the list holds the new rows (no store-thread round)."""
    store = account.desk.store
    on_thread: list[ContactQuery] = []
    threaded = store.contact_window

    async def counted(query: ContactQuery, *args: Any, **kwargs: Any) -> Any:
        on_thread.append(query)
        return await threaded(query, *args, **kwargs)

    store.contact_window = counted  # type: ignore[method-assign]
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await account.desk.services()
        await pilot.press("2")
        await until(lambda: app.screen.query("#contacts-list") and app.screen.query_one(
            "#contacts-list", VirtualList).row_at(0) is not None)
        lst = app.screen.query_one("#contacts-list", VirtualList)
        await pilot.press("slash")
        on_thread.clear()
        await pilot.press("o")
        first = lst.row_at(0)
        assert first is not None
        words = f"{first.first_name} {first.last_name} {first.email} {first.fields}".lower()
        assert any(w.startswith("o") for w in words.replace("@", " ").split())
        assert not [q for q in on_thread if q.text == "o"]
