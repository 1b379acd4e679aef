"""What the Contacts screen does to contacts: each a key, a palette command and a worker.

Each action works on the selected contacts, else on the highlighted one, shows progress on the
screen's progress line and ends with a toast that counts what happened.
"""

from __future__ import annotations

from pathlib import Path

from textual import work

from tui.api.errors import ApiError
from tui.screens.dialogs import AskPath, Confirm, GroupPicker
from tui.screens.field_form import FieldForm, TextField
from tui.screens.section import SectionScreen
from tui.services.contacts import CONTACT_FIELDS, ContactBook, Progress
from tui.store import StoredContact, StoredGroup
from tui.store.contact_query import ContactQuery
from tui.widgets.virtual_list import VirtualList

_LABELS = {"phone_number": "Phone number", "first_name": "First name",
           "last_name": "Last name", "email": "Email", "gender": "Gender (male, female, other)",
           "birth_date": "Birth date (YYYY-MM-DD)", "zip": "ZIP"}
NEW_FIELD = "new_field"


class ContactActions(SectionScreen):
    """Mixed into ``ContactsScreen`` (which provides the list, the query and the lines)."""

    group: StoredGroup | None
    query_state: ContactQuery

    @property
    def contact_list(self) -> VirtualList[StoredContact]:
        raise NotImplementedError

    def progress(self, text: str) -> None:
        raise NotImplementedError

    def show_query(self, *, keep_selection: bool = False) -> None:
        raise NotImplementedError

    def show_detail(self, contact_id: str | None) -> object:
        raise NotImplementedError

    @property
    def book(self) -> ContactBook:
        return self.desk.contact_book()

    def _targets(self) -> list[str]:
        lst = self.contact_list
        if lst.selected:
            return list(lst.selected)
        return [lst.current.id] if lst.current is not None else []

    def _say(self, text: str, *, error: bool = False) -> None:
        self.progress("")
        self.notify(text, severity="error" if error else "information", markup=False,
                    timeout=8)

    def _changed(self) -> None:
        self.contact_list.reload()
        self.desk.contacts_changed()
        current = self.contact_list.current
        self.show_detail(current.id if current else None)

    def _step(self, verb: str) -> Progress:
        return lambda done, total: self.progress(f"{verb} {done:,} / {total:,}…")

    # --- one contact -------------------------------------------------------------------

    def action_new(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        current = self.contact_list.current
        if current is not None:
            self._open_form(current)

    @work(group="contacts-dialog")
    async def _open_form(self, contact: StoredContact | None) -> None:
        fields = [TextField(k, _LABELS[k], _value(contact, k),
                            disabled=contact is not None and k == "phone_number")
                  for k in CONTACT_FIELDS]
        fields += [TextField(f"fields.{k}", f"Custom: {k}", v)
                   for k, v in sorted((contact.fields if contact else {}).items())]
        fields.append(TextField(NEW_FIELD, "Add a custom field", placeholder="name=value"))
        book = self.book

        async def save(values: dict[str, str], _flags: dict[str, bool]) -> StoredContact:
            custom = {k[7:]: v for k, v in values.items() if k.startswith("fields.")}
            name, _, value = values.pop(NEW_FIELD, "").partition("=")
            if name.strip():
                custom[name.strip()] = value.strip()
            plain = {k: v for k, v in values.items() if k in CONTACT_FIELDS}
            return await book.save(contact.id if contact else None, plain, custom)

        title = "New contact" if contact is None else "Edit contact"
        saved = await self.app.push_screen_wait(FieldForm[StoredContact](title, fields, save))
        if saved is not None:
            self._say(f"Saved {saved.display_name}.")
            self._changed()

    # --- many contacts -----------------------------------------------------------------

    @work(group="contacts-action")
    async def action_delete(self) -> None:
        ids = self._targets()
        if not ids or not await self.app.push_screen_wait(Confirm(
                f"Delete {len(ids):,} contact(s) from the account? This cannot be undone.",
                yes="Delete")):
            return
        result = await self.book.delete(ids, self._step("Deleting"))
        self.contact_list.clear_selection()
        self._say(result.sentence("deleted"), error=bool(result.error))
        self._changed()

    @work(group="contacts-action")
    async def action_unsubscribe(self) -> None:
        ids = self._targets()
        contacts = await self.desk.store.contacts_by_ids(ids)
        phones = [c.phone for c in contacts if c.subscribed]
        if not phones:
            self._say("Nobody to unsubscribe: the chosen contacts already are.")
            return
        if not await self.app.push_screen_wait(Confirm(
                f"Unsubscribe {len(phones):,} contact(s)? They will get no more texts.",
                yes="Unsubscribe")):
            return
        result = await self.book.unsubscribe(phones, self._step("Unsubscribing"))
        self._say(result.sentence("unsubscribed"), error=bool(result.error))
        self._changed()

    @work(group="contacts-action")
    async def action_add_group(self) -> None:
        await self._membership(member=True)

    @work(group="contacts-action")
    async def action_remove_group(self) -> None:
        await self._membership(member=False)

    async def _membership(self, *, member: bool) -> None:
        ids = self._targets()
        if not ids:
            return
        group_id = self.group.id if self.group is not None and not member else None
        if group_id is None:
            groups = await self.desk.group_book().groups()
            verb = "Add to" if member else "Remove from"
            group_id = await self.app.push_screen_wait(
                GroupPicker(f"{verb} which group? ({len(ids):,} contact(s))", groups))
            if group_id is None:
                return
        result = await self.book.set_group(ids, group_id, member=member,
                                           progress=self._step("Updating"))
        self._say(result.sentence("added" if member else "removed"), error=bool(result.error))
        self._changed()

    @work(group="contacts-action")
    async def action_lookup(self) -> None:
        contacts = await self.desk.store.contacts_by_ids(self._targets())
        if not contacts:
            return
        try:
            found = await self.book.lookup([c.phone for c in contacts],
                                           self._step("Looking up"))
        except ApiError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Looked up {len(found):,} number(s); the carrier is in the detail pane.")
        current = self.contact_list.current
        self.show_detail(current.id if current else None)

    async def action_talk(self) -> None:
        """Open the Inbox on this contact's conversation (InboxScreen.phone opens it)."""
        current = self.contact_list.current
        if current is None:
            return
        await self.app.switch_mode("inbox")
        inbox = self.app.screen
        if hasattr(inbox, "phone"):
            inbox.phone = current.phone

    # --- files -------------------------------------------------------------------------

    @work(group="contacts-action")
    async def action_export(self) -> None:
        from tui.services.contact_import import export_contacts

        chosen = list(self.contact_list.selected)
        what = f"{len(chosen):,} selected" if chosen else "every contact in this view"
        name = await self.app.push_screen_wait(
            AskPath(f"Export {what} to which CSV file?", str(Path.cwd() / "contacts.csv")))
        if not name:
            return
        try:
            count = await export_contacts(
                self.book, Path(name).expanduser(), query=self.query_state,
                ids=chosen or None, progress=self._step("Exporting"))
        except OSError as exc:
            self._say(f"Could not write {name}: {exc.strerror or exc}", error=True)
            return
        self._say(f"Exported {count:,} contact(s) to {name}.")

    @work(group="contacts-action")
    async def action_import_csv(self) -> None:
        from tui.screens.contact_import import ImportScreen

        name = await self.app.push_screen_wait(AskPath("Import contacts from which CSV file?",
                                                       str(Path.cwd()) + "/"))
        if not name:
            return
        group_id = self.group.id if self.group is not None else None
        result = await self.app.push_screen_wait(
            ImportScreen(self.book, Path(name).expanduser(), group_id))
        if result:
            self._say(result)
            self._changed()


    @work(group="contacts-action")
    async def action_opt_in(self) -> None:
        from tui.screens.opt_in import opt_in_form

        current = self.contact_list.current
        if current is not None:
            result = await self.app.push_screen_wait(opt_in_form(self.desk, current.phone))
            if result:
                self._say(result)


def _value(contact: StoredContact | None, key: str) -> str:
    if contact is None:
        return ""
    value = {"phone_number": contact.phone, "first_name": contact.first_name,
             "last_name": contact.last_name, "email": contact.email}.get(key)
    return value or ""
