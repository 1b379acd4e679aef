"""Pictures of the Contacts and Groups sections on a fixed little account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.ui.snapshot_data import NOW, fixed_desk
from tui.api.models import Contact, Group
from tui.app import SmsDeskApp
from tui.desk import Desk
from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.sandbox.records import ContactRecord, GroupRecord

GROUPS = [("g1", "VIP Club", "VIP", 2), ("g2", "Weekly Deals", None, 1)]


def _server() -> Sandbox:
    """A server that agrees with the cached groups (the members view reads its list)."""
    sandbox = create_app(SandboxConfig(seed=1, contacts=5, rate_limit=False))
    state = sandbox.state
    for gid, name, _kw, _count in GROUPS:
        state.groups[gid] = GroupRecord(gid, name, NOW, NOW, join_message="Welcome!")
    state.add_contact(ContactRecord("c1", "+16502530000", NOW, NOW, "Maria", "Lopez",
                                    "maria@example.com", groups=["g1"],
                                    fields={"size": "M", "store": "5th Ave [b]"}))
    state.add_contact(ContactRecord("c2", "+12125550134", NOW, NOW, "James", "Okafor",
                                    groups=["g1", "g2"]))
    return sandbox


def contacts_desk(folder: Path) -> Desk:
    """The inbox snapshot account, plus groups, memberships and a custom field."""
    desk = fixed_desk(folder, sandbox=_server())
    store = desk.store.sync
    store.upsert_groups([Group.model_validate({
        "id": gid, "name": name, "contacts_count": count, "created_at": NOW,
        "updated_at": NOW, "keyword": {"keyword": kw} if kw else None,
        "join_message": "Welcome!"}) for gid, name, kw, count in GROUPS])
    store.upsert_contacts([
        Contact.model_validate({
            "id": "c1", "phone_number": "+16502530000", "first_name": "Maria",
            "last_name": "Lopez", "email": "maria@example.com", "created_at": NOW,
            "updated_at": NOW, "groups": [{"id": "g1", "name": "VIP Club"}],
            "fields": {"size": "M", "store": "5th Ave [b]"}}),
        Contact.model_validate({
            "id": "c2", "phone_number": "+12125550134", "first_name": "James",
            "last_name": "Okafor", "created_at": NOW, "updated_at": NOW,
            "groups": [{"id": "g1", "name": "VIP Club"}, {"id": "g2", "name": "Weekly Deals"}]}),
    ])
    return desk


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.desk.services()
    for _ in range(2):
        await pilot.pause(0.35)  # the count and the detail pane wait for a pause in typing
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_contacts_list_with_the_detail_pane(snap_compare: Any, tmp_path: Path) -> None:
    async def open_contacts(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("2")
        await _settle(pilot)
        await pilot.press("down", "space")
        await _settle(pilot)

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_contacts)


def test_contact_detail_with_fields_and_recent_texts(snap_compare: Any, tmp_path: Path) -> None:
    async def open_maria(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("2")
        await _settle(pilot)
        await pilot.press("slash", *"mar", "enter")
        await _settle(pilot)

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_maria)


def test_contacts_narrow_terminal(snap_compare: Any, tmp_path: Path) -> None:
    async def open_contacts(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("2")
        await _settle(pilot)

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_contacts)


def test_groups_list(snap_compare: Any, tmp_path: Path) -> None:
    async def open_groups(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("3")
        await _settle(pilot)

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_groups)


def test_members_view_of_a_group(snap_compare: Any, tmp_path: Path) -> None:
    async def open_members(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press("3")
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=open_members)


async def _open_import(pilot: Pilot[Any]) -> None:
    """Contacts, then the import of people.csv (in the test's folder)."""
    from tui.screens.contact_import import ImportScreen

    await _settle(pilot)
    await pilot.press("2")
    await _settle(pilot)
    pilot.app.push_screen(ImportScreen(pilot.app.desk.contact_book(), Path("people.csv")))
    await _settle(pilot)


def test_import_preview_with_counts_and_reasons(
        snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("people.csv").write_text(
        "First name;Last name;Phone;Email;Shoe size\n"
        "Maria;Lopez;(650) 253-0000;maria@example.com;38\n"
        "Ana;Souza;+1 720 555 0100;;39\n"
        "James;Okafor;2125550134;james@example.com;\n"
        "Nobody;;;;\n"
        "Short;Number;555-01;;\n", encoding="utf-8")

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=_open_import)


def test_import_choosing_what_a_column_fills(
        snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The mapping changed on screen: "Shoe size" becomes the zip code, then its list is open."""
    monkeypatch.chdir(tmp_path)
    Path("people.csv").write_text(
        "First name;Last name;Phone;Shoe size\n"
        "Maria;Lopez;(650) 253-0000;38\n"
        "Ana;Souza;+1 720 555 0100;39\n", encoding="utf-8")

    async def choose_column(pilot: Pilot[Any]) -> None:
        from textual.widgets import Select

        await _open_import(pilot)
        pilot.app.screen.query_one("#import-map-3", Select).focus()
        await pilot.press("enter", *"zip", "enter")
        await _settle(pilot)
        await pilot.press("enter")  # open the list again: every choice for this column
        await _settle(pilot)

    app = SmsDeskApp(contacts_desk(tmp_path))
    assert snap_compare(app, terminal_size=(120, 40), run_before=choose_column)
