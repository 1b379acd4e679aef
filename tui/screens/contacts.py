"""The Contacts section (key 2): every subscriber from the local mirror, searched as you type.

The list is a ``VirtualList``: only the rows on screen are read from the store. Actions work on
the selected contacts (space, shift+arrows, ctrl+a), or on the highlighted one when none are
selected. The same screen, given a group, is that group's members view.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache, partial
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.api.errors import ApiError
from tui.api.reasons import reason_of
from tui.desk import ContactsChanged, DeskEvent
from tui.safe_text import shown
from tui.screens.contact_actions import ContactActions
from tui.screens.section import SectionScreen
from tui.services.contacts import ContactView
from tui.sms.phones import display
from tui.store import StoredContact, StoredGroup, StoreError
from tui.store.contact_query import SORT_COLUMNS, STATUS_FILTERS, ContactQuery
from tui.widgets.contact_detail import ContactDetailPane
from tui.widgets.key_commands import ScreenKeys
from tui.widgets.list_columns import Column
from tui.widgets.plain import plain
from tui.widgets.search_box import SearchBox
from tui.widgets.virtual_list import VirtualList

# Redraw for sync pages at most this often (seconds): a page a second must not flicker.
RELOAD_EVERY = 1.0
DETAIL_DELAY = 0.08
# While typing a search the pane waits for a pause: redrawing it between two keys would share
# the next key's frame (the rows of the new search are what the person is looking at).
DETAIL_DELAY_TYPING = 0.25


@lru_cache(maxsize=8192)
def shown_number(phone: str, region: str) -> str:
    """A number as the list shows it; formatting one costs ~0.1 ms, a screen redraws 35 per key."""
    return display(phone, region)


def contact_columns(region: str) -> list[Column[StoredContact]]:
    return [
        Column("name", "Name", 0, lambda c: c.name or "—"),
        Column("phone", "Number", 16, lambda c: shown_number(c.phone, region)),
        Column("email", "Email", 22, lambda c: c.email or "", drop=3),
        Column("status", "Status", 6, lambda c: "✓" if c.subscribed else "unsub"),
        Column("groups", "Groups", 14, lambda c: ", ".join(sorted(c.groups, key=str.casefold)),
               drop=2),
        Column("created", "Created", 10,
               lambda c: f"{c.created_at:%Y-%m-%d}" if c.created_at else "", drop=4),
    ]


class ContactsScreen(ContactActions, SectionScreen):
    SECTION, TITLE = "contacts", "Contacts"
    COMMANDS: ClassVar = {ScreenKeys}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="contacts.search"),
        Binding("s", "sort", "Sort by next column", id="contacts.sort"),
        Binding("r", "reverse", "Reverse the order", id="contacts.reverse"),
        Binding("f", "status_filter", "Filter by status", id="contacts.status"),
        Binding("g", "group_filter", "Filter by group", id="contacts.group"),
        Binding("n", "new", "New contact", id="contacts.new"),
        Binding("e", "edit", "Edit contact", id="contacts.edit"),
        Binding("delete", "delete", "Delete", id="contacts.delete"),
        Binding("u", "unsubscribe", "Unsubscribe", id="contacts.unsubscribe"),
        Binding("a", "add_group", "Add to group", id="contacts.add_group"),
        Binding("x", "remove_group", "Remove from group", id="contacts.remove_group"),
        Binding("c", "lookup", "Carrier lookup", id="contacts.lookup"),
        Binding("t", "talk", "Open conversation", id="contacts.talk"),
        Binding("w", "export", "Export CSV", id="contacts.export"),
        Binding("i", "import_csv", "Import CSV", id="contacts.import"),
        Binding("o", "opt_in", "Opt in via…", id="contacts.opt_in"),
        Binding("escape", "back", "Clear / back", show=False, id="contacts.back"),
    ]

    def __init__(self, group: StoredGroup | None = None) -> None:
        super().__init__()
        self.group = group
        if group is not None:  # the members view belongs to the Groups section
            self.SECTION = "groups"
        self.query_state = ContactQuery(group_id=group.id if group else None)
        self._reload_timer: Timer | None = None
        self._reload_wanted = False
        self._detail_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="contacts"):
            with Vertical(id="contacts-left"):
                if self.group is not None:
                    yield Static(plain(f"Members of {self.group.name}  (escape: back to groups)",
                                       single_line=True), id="contacts-title")
                yield SearchBox(self._typed,
                                placeholder="/ search name, number, email or any field",
                                id="contacts-search")
                yield Static(id="contacts-view-line")
                yield VirtualList(contact_columns(self.desk.profile.default_country),
                                  empty="No contacts match.", id="contacts-list")
                yield Static(id="contacts-progress")
            yield ContactDetailPane(id="contact-detail")

    @property
    def contact_list(self) -> VirtualList[StoredContact]:
        return self.query_one("#contacts-list", VirtualList)

    def on_mount(self) -> None:
        self.desk.listen(self._on_desk_event)
        self.contact_list.sort_key = "name"
        self.show_query()
        self.contact_list.focus()
        if self.group is not None:
            self._refresh_members(self.group)

    @work(exclusive=True, group="members-refresh")
    async def _refresh_members(self, group: StoredGroup) -> None:
        """The members view shows the mirror at once, then reads GET /groups/{id}/contacts
        and redraws with exactly what the server lists (docs/api-contract.md)."""

        def step(done: int, total: int) -> None:
            self.progress(f"Members from the server: {done:,} / {total:,}…")

        try:
            await self.desk.group_book().refresh_members(group.id, step)
        except ApiError as exc:
            self.progress("This group is no longer on the server; these are the members last "
                          "synced." if exc.status == 404 else
                          f"These are the members last synced: the server's list could not "
                          f"be read ({reason_of(exc)}).")
            return
        except StoreError:
            return
        self.progress("")
        self.contact_list.reload()

    def on_unmount(self) -> None:
        self.desk.unlisten(self._on_desk_event)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, ContactsChanged):
            self.reload_soon()

    def reload_soon(self) -> None:
        """Sync pages arrive every second or so: re-read the screen at most that often."""
        if self._reload_timer is not None:
            self._reload_wanted = True
            return
        self.contact_list.reload()
        self._reload_timer = self.set_timer(RELOAD_EVERY, self._reload_due)

    def _reload_due(self) -> None:
        self._reload_timer = None
        if self._reload_wanted:
            self._reload_wanted = False
            self.reload_soon()

    # --- the view ----------------------------------------------------------------------

    def show_query(self, *, keep_selection: bool = False) -> None:
        book = self.desk.contact_book()
        self._views += 1
        view = ContactView(book, self.query_state, partial(self._is_current, self._views))
        lst = self.contact_list
        lst.show(view, keep_selection=keep_selection)
        self._show_view_line(lst.total, lst.exact)

    _views = 0

    def _is_current(self, view: int) -> bool:
        return view == self._views

    def _show_view_line(self, total: int | None = None, exact: bool = True) -> None:
        q = self.query_state
        lst = self.contact_list
        count = total if total is not None else lst.total
        parts = [f"{count:,}{'' if exact else '+'} contact{'' if count == 1 else 's'}"]
        if lst.selected:  # second: the line is cut at the list's width (76 columns at 120)
            parts.append(f"{len(lst.selected):,} selected")
        parts.append(f"sort: {q.sort} {'▼' if q.descending else '▲'} (s, r)")
        parts.append(f"status: {q.status} (f)")
        if self.group is None:
            parts.append(f"group: {shown(self._group_name or 'all', single_line=True)} (g)")
        line = "  ·  ".join(parts)
        if line == self._view_line:
            return  # the same text again (the list's Loaded after the key): no extra frame
        self._view_line = line
        # One line of fixed height: no layout pass (it cost a reflow of the screen per key).
        self.query_one("#contacts-view-line", Static).update(plain(line), layout=False)

    _group_name: str | None = None
    _view_line = ""

    @on(VirtualList.Loaded, "#contacts-list")
    def _loaded(self, event: VirtualList.Loaded) -> None:
        self._show_view_line(event.total, event.exact)

    @on(VirtualList.SelectionChanged, "#contacts-list")
    def _selection(self) -> None:
        self._show_view_line()

    def _typed(self, text: str) -> None:
        self.query_state = replace(self.query_state, text=text)
        self.contact_list.cursor = 0
        self.show_query(keep_selection=True)

    @on(Input.Submitted, "#contacts-search")
    def _search_done(self) -> None:
        self.contact_list.focus()

    @on(VirtualList.Highlighted, "#contacts-list")
    def _highlighted(self, event: VirtualList.Highlighted) -> None:
        # After a short pause: holding a key or typing must not queue a detail read per row.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        contact_id = event.row.id if event.row else None
        typing = self.query_one("#contacts-search", Input).has_focus
        self._detail_timer = self.set_timer(DETAIL_DELAY_TYPING if typing else DETAIL_DELAY,
                                            lambda: self.show_detail(contact_id))

    @on(VirtualList.Chosen, "#contacts-list")
    def _chosen(self) -> None:
        self.action_edit()

    @work(exclusive=True, group="contact-detail")
    async def show_detail(self, contact_id: str | None) -> None:
        detail = await self.desk.contact_book().detail(contact_id) if contact_id else None
        self.query_one(ContactDetailPane).show(detail, self.desk.profile.default_country)

    def progress(self, text: str) -> None:
        self.query_one("#contacts-progress", Static).update(plain(text))

    # --- sort and filters --------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#contacts-search", Input).focus()

    def action_sort(self) -> None:
        q = self.query_state
        column = SORT_COLUMNS[(SORT_COLUMNS.index(q.sort) + 1) % len(SORT_COLUMNS)]
        self.query_state = replace(q, sort=column)
        self.contact_list.sort_key = column
        self.show_query(keep_selection=True)

    def action_reverse(self) -> None:
        self.query_state = replace(self.query_state, descending=not self.query_state.descending)
        self.contact_list.sort_descending = self.query_state.descending
        self.show_query(keep_selection=True)

    def action_status_filter(self) -> None:
        q = self.query_state
        status = STATUS_FILTERS[(STATUS_FILTERS.index(q.status) + 1) % len(STATUS_FILTERS)]
        self.query_state = replace(q, status=status)
        self.show_query()

    @work(group="contacts-dialog")
    async def action_group_filter(self) -> None:
        if self.group is not None:
            return
        from tui.screens.dialogs import GroupPicker

        groups = await self.desk.group_book().groups()
        chosen = await self.app.push_screen_wait(
            GroupPicker("Show the contacts of which group?", groups, none_label="All groups"))
        self._group_name = next((g.name for g in groups if g.id == chosen), None)
        self.query_state = replace(self.query_state, group_id=chosen)
        self.show_query()

    def action_back(self) -> None:
        search = self.query_one("#contacts-search", Input)
        if self.contact_list.selected:
            self.contact_list.clear_selection()
        elif search.value:
            search.value = ""
            self.contact_list.focus()
        elif self.group is not None:
            self.dismiss()
        else:
            self.contact_list.focus()
