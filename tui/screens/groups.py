"""The Groups section (key 3): every group with its keyword, member count and how people join.

Enter opens a group's members (the Contacts screen limited to that group, with the same
search, selection and actions).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.desk import ContactsChanged, DeskEvent
from tui.screens.dialogs import Confirm
from tui.screens.field_form import FieldForm, Flag, TextField
from tui.screens.section import SectionScreen
from tui.services.groups import GroupBook, GroupView
from tui.store import StoredGroup
from tui.store.records import GROUP_FLAGS
from tui.widgets.key_commands import ScreenKeys
from tui.widgets.list_columns import Column
from tui.widgets.plain import plain
from tui.widgets.search_box import SearchBox
from tui.widgets.virtual_list import VirtualList

FLAG_LABELS = {
    "one_time_message": "Send the join message only once",
    "always_send_join": "Always send the join message",
    "social_profiling": "Social profiling",
    "email_new_contact": "Email me about each new contact",
}


def group_columns() -> list[Column[StoredGroup]]:
    return [
        Column("name", "Name", 0, lambda g: g.name),
        Column("keyword", "Keyword", 14, lambda g: g.keyword or "—"),
        Column("members", "Members", 9,
               lambda g: f"{g.contacts_count:,}" if g.contacts_count is not None else "?"),
        Column("status", "Joins by", 9, lambda g: g.status),
        Column("optin", "Opt-in", 18, lambda g: g.optin or "—", drop=1),
    ]


class GroupsScreen(SectionScreen):
    SECTION, TITLE = "groups", "Groups"
    COMMANDS: ClassVar = {ScreenKeys}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="groups.search"),
        Binding("n", "new", "New group", id="groups.new"),
        Binding("e", "edit", "Edit group", id="groups.edit"),
        Binding("delete", "delete", "Delete group", id="groups.delete"),
        Binding("m", "members", "Members", id="groups.members"),
        Binding("escape", "back", "Clear search", show=False, id="groups.back"),
    ]

    def compose_body(self) -> ComposeResult:
        with Vertical(id="groups"):
            yield SearchBox(lambda _text: self._show(), placeholder="/ search group names",
                            id="groups-search")
            yield Static(id="groups-view-line")
            yield VirtualList(group_columns(), empty="No groups yet (n creates one).",
                              id="groups-list")

    @property
    def book(self) -> GroupBook:
        return self.desk.group_book()

    @property
    def group_list(self) -> VirtualList[StoredGroup]:
        return self.query_one("#groups-list", VirtualList)

    def on_mount(self) -> None:
        self.desk.listen(self._on_desk_event)
        self.group_list.sort_key = "name"
        self._show()
        self.group_list.focus()

    def on_unmount(self) -> None:
        self.desk.unlisten(self._on_desk_event)

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, ContactsChanged) and event.kind == "groups":
            self.group_list.reload()

    def _show(self) -> None:
        search = self.query_one("#groups-search", Input).value
        self.group_list.show(GroupView(self.book, search))

    @on(VirtualList.Loaded, "#groups-list")
    def _loaded(self, event: VirtualList.Loaded) -> None:
        self.query_one("#groups-view-line", Static).update(plain(
            f"{event.total:,} groups  ·  enter: members  ·  n new  ·  e edit  ·  del delete"))

    @on(Input.Submitted, "#groups-search")
    def _search_done(self) -> None:
        self.group_list.focus()

    @on(VirtualList.Chosen, "#groups-list")
    def _chosen(self) -> None:
        self.action_members()

    def action_search(self) -> None:
        self.query_one("#groups-search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#groups-search", Input)
        search.value = ""
        self.group_list.focus()

    def action_members(self) -> None:
        group = self.group_list.current
        if group is not None:
            from tui.screens.contacts import ContactsScreen

            self.app.push_screen(ContactsScreen(group=group))

    def action_new(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        if self.group_list.current is not None:
            self._open_form(self.group_list.current)

    @work(group="groups-dialog")
    async def _open_form(self, group: StoredGroup | None) -> None:
        fields = [
            TextField("name", "Name", group.name if group else ""),
            TextField("keyword", "Keyword (people text it to join)",
                      group.keyword or "" if group else ""),
            TextField("join_message", "Join message",
                      group.join_message or "" if group else ""),
        ]
        flags = [Flag(k, FLAG_LABELS[k], bool(group.flags.get(k)) if group else False)
                 for k in GROUP_FLAGS]
        book = self.book

        async def save(values: dict[str, str], chosen: dict[str, bool]) -> StoredGroup:
            return await book.save(group.id if group else None, values, chosen)

        title = "New group" if group is None else "Edit group"
        saved = await self.app.push_screen_wait(
            FieldForm[StoredGroup](title, fields, save, flags))
        if saved is not None:
            self.notify(f"Saved the group {saved.name}.", markup=False)
            self.group_list.reload()

    @work(group="groups-action")
    async def action_delete(self) -> None:
        group = self.group_list.current
        if group is None:
            return
        members = f" ({group.contacts_count:,} members stay in the account)" \
            if group.contacts_count else ""
        if not await self.app.push_screen_wait(Confirm(
                f"Delete the group {group.name}{members}?", yes="Delete")):
            return
        from tui.api.errors import ApiError

        try:
            await self.book.delete(group.id)
        except ApiError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(f"Deleted the group {group.name}.", markup=False)
        self.group_list.reload()
