"""The Contacts section against the sandbox with 5,000 contacts: search, edit, bulk actions, CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from tests.ui.contacts_env import BigAccount
from tests.ui.helpers import region_text, until
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.sandbox import Sandbox
from tui.store import StoredContact
from tui.widgets.virtual_list import VirtualList

# These workers wait for a dialog's answer: while one is open they are not "busy".
WAITING = {"contacts-dialog", "contacts-action", "groups-dialog", "groups-action"}


async def settle(pilot: Pilot[Any]) -> None:
    """Let the app finish what it is doing (but not wait for a person to answer a dialog)."""
    for _ in range(3):
        await pilot.pause(0.35)  # the count and the detail pane wait for a pause in typing
        modal = isinstance(pilot.app.screen, ModalScreen)
        busy = [w for w in pilot.app.workers
                if not w.is_finished and not (modal and w.group in WAITING)]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
    await pilot.pause()


def contact_list(pilot: Pilot[Any]) -> VirtualList[StoredContact]:
    return pilot.app.screen.query_one("#contacts-list", VirtualList)


async def open_contacts(pilot: Pilot[Any]) -> VirtualList[StoredContact]:
    await pilot.app.desk.services()
    await pilot.press("2")
    await settle(pilot)
    return contact_list(pilot)


async def test_search_as_you_type_finds_a_last_name_first(account: BigAccount) -> None:
    someone = sorted(account.sandbox.state.contacts.values(), key=lambda c: c.id)[7]
    assert someone.last_name
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        lst = await open_contacts(pilot)
        assert lst.total == 5_000
        await pilot.press("slash", *someone.last_name[:4].lower())
        await settle(pilot)
        assert 0 < lst.total < 5_000
        first = lst.row_at(0)
        assert first is not None
        assert any(w.lower().startswith(someone.last_name[:4].lower())
                   for w in f"{first.first_name} {first.last_name} {first.email}".split())
        await pilot.press("enter", "escape")  # back to the list; escape clears the search
        await settle(pilot)
        assert lst.total == 5_000


async def test_an_edit_refused_with_422_shows_the_error_beside_the_field(
        account: BigAccount) -> None:
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_contacts(pilot)
        await pilot.press("e")
        await settle(pilot)
        email = pilot.app.screen.query_one("#f-email", Input)
        email.value = "not-an-email"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = pilot.app.screen.query_one("#f-email-error", Static)
        assert "valid email" in str(error.render())
        # Shown, not just set: another section's stylesheet once hid it (a shared class name).
        assert error.display and error.size.height > 0
        assert pilot.app.screen.focused is email


async def test_unsubscribe_250_selected_takes_3_calls(account: BigAccount) -> None:
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        lst = await open_contacts(pilot)
        await pilot.press("f")  # subscribed only
        await settle(pilot)
        await pilot.press(*["shift+down"] * 249)
        await settle(pilot)
        assert len(lst.selected) == 250
        chosen = set(lst.selected)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert account.transport.count("PATCH", "/v1/contacts/unsubscribe") == 3
        state = account.sandbox.state.contacts
        assert all(not state[i].subscribed for i in chosen)
        cached = await account.desk.store.contacts_by_ids(list(chosen))
        assert all(not c.subscribed for c in cached)


async def test_add_to_and_remove_from_a_group(account: BigAccount) -> None:
    state = account.sandbox.state
    group = sorted(state.groups.values(), key=lambda g: g.name)[0]
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        lst = await open_contacts(pilot)
        await pilot.press("space", "space", "space")
        chosen = set(lst.selected)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*group.name, "enter")
        await settle(pilot)
        assert all(group.id in state.contacts[i].groups for i in chosen)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press(*group.name, "enter")
        await settle(pilot)
        assert not any(group.id in state.contacts[i].groups for i in chosen)
        cached = await account.desk.store.contacts_by_ids(list(chosen))
        assert not any(group.id in c.group_ids for c in cached)


async def test_the_members_view_follows_the_servers_group_list(account: BigAccount) -> None:
    """Membership changed on the server since the last sync: the members view reads
    GET /groups/{id}/contacts and shows exactly the server's members."""
    state = account.sandbox.state
    group = sorted(state.groups.values(), key=lambda g: g.name)[0]
    members = list(group.members)
    leaver = state.contacts[members[0]]
    joiner = next(c for c in sorted(state.contacts.values(), key=lambda c: c.id)
                  if group.id not in c.groups)
    state.leave_group(leaver, group.id)  # behind the mirror's back
    state.join_group(joiner, group.id)
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.desk.services()
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("slash", *group.name, "enter", "enter")
        await settle(pilot)
        lst = contact_list(pilot)
        assert pilot.app.screen.group is not None  # type: ignore[attr-defined]
        assert account.transport.count("GET", f"/v1/groups/{group.id}/contacts") >= 1
        await settle(pilot)
        shown_ids = set(await lst.source.ids()) if lst.source else set()
        assert shown_ids == set(group.members)
        assert joiner.id in shown_ids and leaver.id not in shown_ids
        assert lst.total == len(group.members)


async def _type_path(pilot: Pilot[Any], path: Path) -> None:
    field = pilot.app.screen.query_one(Input)
    field.value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def _open_import(pilot: Pilot[Any], source: Path) -> None:
    await open_contacts(pilot)
    await pilot.press("i")
    await settle(pilot)
    await _type_path(pilot, source)


async def test_csv_round_trip_changes_nothing(account: BigAccount) -> None:
    target = account.folder / "all.csv"
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_contacts(pilot)
        await pilot.press("w")
        await settle(pilot)
        await _type_path(pilot, target)
        assert len(target.read_text(encoding="utf-8-sig").splitlines()) > 5_000
        await pilot.press("i")
        await settle(pilot)
        await _type_path(pilot, target)
        preview = str(pilot.app.screen.query_one("#import-preview", Static).render())
        assert "Dry run: 0 new, 0 updated, 5,000 unchanged, 0 invalid" in preview


async def test_an_import_with_bad_rows_lists_reasons_and_imports_the_good(
        account: BigAccount) -> None:
    source = account.folder / "new people.csv"
    source.write_bytes(
        "\ufeffName;Mobile;E-mail;Favourite\n"
        "Ana Paula Souza;(720) 555-0100;ana@example.com;\"dark\nchocolate\"\n"
        "Ben Ode;+1 720 555 0101;;\n"
        "Cat Ng;7205550102;not-an-email;\n"
        "No Number;;x@example.com;\n"
        "Bad Number;12;;\n".encode())
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_import(pilot, source)
        preview = str(pilot.app.screen.query_one("#import-preview", Static).render())
        # The email the server would refuse is known in the dry run, not only after it.
        assert "Dry run: 2 new, 0 updated, 0 unchanged, 3 invalid" in preview
        assert "line 4: email: 'not-an-email' is not an email address" in preview
        assert "line 5: no phone number" in preview and "line 6:" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
    state = account.sandbox.state
    ana = state.contact_by_phone("+17205550100")
    assert ana is not None and ana.first_name == "Ana Paula" and ana.last_name == "Souza"
    assert ana.fields == {"Favourite": "dark\nchocolate"}
    assert state.contact_by_phone("+17205550101") is not None
    assert state.contact_by_phone("+17205550102") is None  # its email was refused
    rejected = (account.folder / "new people.rejected.csv").read_text(encoding="utf-8")
    assert "no phone number" in rejected and "email" in rejected and "line" in rejected


async def _pick(pilot: Pilot[Any], column: int, typed: str) -> None:
    """Choose what a column fills as a person does: enter opens its list, typing finds the
    choice, enter takes it."""
    pilot.app.screen.query_one(f"#import-map-{column}", Select).focus()
    await pilot.press("enter", *typed, "enter")
    await settle(pilot)


async def test_the_column_mapping_can_be_changed_and_the_dry_run_follows(
        account: BigAccount) -> None:
    source = account.folder / "kunden.csv"
    source.write_text("Handy;Vorname;Nachname\n"
                      "(720) 555-0150;Lena;Vogel\n"
                      "(720) 555-0151;Jonas;Keller\n", encoding="utf-8")
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_import(pilot, source)

        def preview() -> str:
            return str(pilot.app.screen.query_one("#import-preview", Static).render())

        # Nothing in the header says "phone": the guess makes every column a custom field.
        assert "0 new, 0 updated, 0 unchanged, 2 invalid" in preview()
        assert "no column holds phone numbers" in preview()
        assert pilot.app.screen.query_one("#import-start", Button).disabled
        await _pick(pilot, 0, "phone")
        await _pick(pilot, 1, "first")
        await _pick(pilot, 2, "last")
        assert "Dry run: 2 new, 0 updated, 0 unchanged, 0 invalid" in preview()
        # One column per field: giving "first name" to another column frees the first one.
        await _pick(pilot, 2, "first")
        assert pilot.app.screen.query_one("#import-map-1", Select).value == ""
        await _pick(pilot, 2, "last")
        await pilot.press("ctrl+s")
        await settle(pilot)
    lena = account.sandbox.state.contact_by_phone("+17205550150")
    assert lena is not None and lena.last_name == "Vogel" and not lena.first_name
    assert not lena.fields  # nothing went to a custom field "Handy"


async def test_opt_in_via_protexting_from_the_contact_screen(
        make_desk: Callable[..., Desk], sandbox: Sandbox) -> None:
    app = SmsDeskApp(make_desk())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.desk.services()
        await pilot.press("2")
        lst = contact_list(pilot)
        await until(lambda: lst.current is not None, timeout=20)
        phone = lst.current.phone  # type: ignore[union-attr]
        await pilot.press("o")
        await settle(pilot)
        pilot.app.screen.query_one("#f-target", Input).value = "1, 2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        number = phone.lstrip("+")
        assert sandbox.protexting.contacts[number]["GroupIds"] == [1, 2]


async def test_the_selected_count_is_on_screen_at_120_columns(account: BigAccount) -> None:
    """The view line is cut at the list's width: the count of selected contacts comes second,
    before sort, status and group (it was past the edge at 120 columns)."""
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_contacts(pilot)
        await pilot.press("space", "space", "space")
        await settle(pilot)
        line = app.screen.query_one("#contacts-view-line", Static)
        assert "3 selected" in region_text(app, line)


async def test_the_groups_search_narrows_the_list_as_you_type(account: BigAccount) -> None:
    groups = sorted(account.sandbox.state.groups.values(), key=lambda g: g.name)
    wanted = groups[-1]
    app = SmsDeskApp(account.desk)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.desk.services()
        await pilot.press("3")
        await settle(pilot)
        lst = pilot.app.screen.query_one("#groups-list", VirtualList)
        assert lst.total == len(groups) > 1
        await pilot.press("slash", *wanted.name)
        await settle(pilot)
        first = lst.row_at(0)
        assert first is not None and first.name == wanted.name
        assert lst.total < len(groups)
