"""The Contacts section's use cases: browse the mirror, edit, delete, unsubscribe, groups, lookups.

Reads come from the local store (instant at 100k); changes go to the server first (interactive
priority) and the answer is written back into the store, so the list shows what the server
has. Bulk actions run in the seed's chunk sizes and report progress after every chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.api.errors import ApiError
from tui.api.limits import MAX_UNSUBSCRIBE_BATCH
from tui.safe_text import for_log
from tui.sms.phones import InvalidPhoneNumber, normalize, timezone_of
from tui.store import AsyncStore, StoredContact, StoredLookup, StoredMessage
from tui.store.contact_query import ContactQuery

if TYPE_CHECKING:
    from tui.api import models as m
    from tui.api.client import MobinitiClient

log = logging.getLogger("smsdesk.contacts")

LOOKUP_BATCH = 10  # POST /phone-numbers/lookup takes 1..10 numbers
Progress = Callable[[int, int], None]  # (done, total)
ClientOf = Callable[[], Awaitable["MobinitiClient"]]
Wanted = Callable[[], bool]
# The form's fields, in the order it shows them (custom fields follow).
CONTACT_FIELDS = ("phone_number", "first_name", "last_name", "email", "gender", "birth_date",
                  "zip")


class FieldErrors(Exception):
    """The server (422) or our own check refused some fields; ``errors`` says which and why."""

    def __init__(self, errors: Mapping[str, list[str]], message: str = "") -> None:
        self.errors = {k: list(v) for k, v in errors.items()}
        super().__init__(message or "Some fields need attention.")


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: how many went through, and why the others did not."""

    done: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # what → why
    error: str | None = None  # set when the action stopped early

    def sentence(self, verb: str) -> str:
        text = f"{self.done:,} {verb}"
        if self.skipped:
            text += f", {len(self.skipped):,} skipped"
        if self.error:
            text += f"; stopped: {self.error}"
        return text + "."


@dataclass(frozen=True)
class ContactDetail:
    """Everything the detail pane shows about one contact."""

    contact: StoredContact
    local_time: datetime | None
    zone: str | None
    recent: tuple[StoredMessage, ...]
    lookup: StoredLookup | None = None


def _chunks(items: Sequence[str], size: int) -> list[list[str]]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def form_body(values: Mapping[str, str], region: str) -> dict[str, str | None]:
    """Clean the form: blanks become None, the phone is normalised (or a field error)."""
    cleaned: dict[str, str | None] = {k: (v.strip() or None) for k, v in values.items()}
    phone = cleaned.get("phone_number")
    if "phone_number" in cleaned:
        if not phone:
            raise FieldErrors({"phone_number": ["A phone number is needed."]})
        try:
            cleaned["phone_number"] = normalize(phone, region)
        except InvalidPhoneNumber as exc:
            raise FieldErrors({"phone_number": [str(exc)]}) from None
    return cleaned


class ContactBook:
    """One profile's contacts: the store for reading, the client (when connected) for changes."""

    def __init__(self, store: AsyncStore, client: ClientOf, *, region: str = "US",
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self._client = client
        self.region = region
        self.now = now

    async def client(self) -> MobinitiClient:
        """The API client, waiting for the desk to connect."""
        return await self._client()

    # --- reading ---------------------------------------------------------------------------

    async def window(self, query: ContactQuery, offset: int, limit: int,
                     wanted: Wanted | None = None) -> list[StoredContact]:
        return await self.store.contact_window(query, offset, limit, wanted)

    def window_now(self, query: ContactQuery, offset: int, limit: int
                   ) -> list[StoredContact] | None:
        """The window at once if the store answers within a frame's budget, else None."""
        return self.store.contact_window_now(query, offset, limit)

    async def count(self, query: ContactQuery, wanted: Wanted | None = None) -> int:
        return await self.store.count_matching(query, wanted)

    async def ids(self, query: ContactQuery) -> list[str]:
        return await self.store.matching_ids(query)

    async def detail(self, contact_id: str) -> ContactDetail | None:
        contact = await self.store.contact(contact_id)
        if contact is None:
            return None
        zone = timezone_of(contact.phone)
        recent = await self.store.messages_for(contact.phone, None, 5)
        return ContactDetail(
            contact, self.now().astimezone(zone) if zone else None, zone.key if zone else None,
            tuple(recent), await self.store.lookup_of(contact.phone))

    # --- one contact -----------------------------------------------------------------------

    async def save(self, contact_id: str | None, values: Mapping[str, str],
                   custom: Mapping[str, str] | None = None) -> StoredContact:
        """Create (no id) or update a contact; ``FieldErrors`` says what to fix."""
        from tui.api import models as m  # pydantic: only when the server is asked
        cleaned = form_body(values, self.region)
        fields = {k: v for k, v in (custom or {}).items() if k.strip()}
        client = await self.client()
        try:
            if contact_id is None:
                saved = await client.create_contact(m.ContactCreate.model_validate(
                    {**cleaned, "fields": fields or None}))
            else:
                cleaned.pop("phone_number", None)  # the seed: a number cannot be changed
                body = m.ContactUpdate.model_validate({**cleaned, "fields": fields or None})
                saved = await client.update_contact(contact_id, body)
        except ApiError as exc:
            if exc.errors:
                raise FieldErrors(exc.errors, exc.message) from None
            raise
        await self.store.upsert_contacts([saved])
        stored = await self.store.contact(saved.id)
        assert stored is not None
        return stored

    # --- many contacts ---------------------------------------------------------------------

    async def delete(self, ids: Sequence[str], progress: Progress | None = None) -> BulkResult:
        client = await self.client()
        done: list[str] = []
        for index, contact_id in enumerate(ids):
            try:
                await client.delete_contact(contact_id)
            except ApiError as exc:
                if exc.status != 404:  # already gone is what the person wanted
                    await self.store.forget_contacts(done)
                    return BulkResult(len(done), error=str(exc))
            done.append(contact_id)
            _report(progress, index + 1, len(ids))
        await self.store.forget_contacts(done)
        return BulkResult(len(done))

    async def unsubscribe(self, phones: Sequence[str], progress: Progress | None = None
                          ) -> BulkResult:
        """``PATCH /contacts/unsubscribe`` in chunks of 100; the store follows each answer."""
        from tui.api import models as m  # pydantic: only when the server is asked
        client = await self.client()
        numbers = list(dict.fromkeys(phones))
        done = 0
        skipped: dict[str, str] = {}
        for chunk in _chunks(numbers, MAX_UNSUBSCRIBE_BATCH):
            try:
                result = await client.unsubscribe_contacts(
                    m.UnsubscribeRequest(phone_numbers=chunk))
            except ApiError as exc:
                return BulkResult(done, skipped, str(exc))
            await self.store.mark_unsubscribed(result.unsubscribed, self.now())
            done += len(result.unsubscribed)
            skipped.update({p: "no such contact on the server" for p in result.not_found})
            _report(progress, min(len(numbers), done + len(skipped)), len(numbers))
        log.info("unsubscribed %d, not found %d", done, len(skipped))
        return BulkResult(done, skipped)

    async def set_group(self, ids: Sequence[str], group_id: str, *, member: bool,
                        progress: Progress | None = None) -> BulkResult:
        """Add the contacts to (or remove them from) a group, one call each (the seed's API)."""
        from tui.api import models as m  # pydantic: only when the server is asked
        client = await self.client()
        done = 0
        for index, contact_id in enumerate(ids):
            try:
                if member:
                    saved = await client.add_contact_group(
                        contact_id, m.ContactGroupAdd(group_id=group_id))
                    await self.store.upsert_contacts([saved])
                else:
                    await client.remove_contact_group(contact_id, group_id)
                    await self.store.leave_group(contact_id, group_id)
            except ApiError as exc:
                return BulkResult(done, error=str(exc))
            done += 1
            _report(progress, index + 1, len(ids))
        return BulkResult(done)

    async def lookup(self, phones: Sequence[str], progress: Progress | None = None
                     ) -> dict[str, m.PhoneLookup]:
        """Carrier lookup in chunks of 10; answers are kept for the detail pane."""
        from tui.api import models as m  # pydantic: only when the server is asked
        client = await self.client()
        numbers = list(dict.fromkeys(phones))
        found: dict[str, m.PhoneLookup] = {}
        for chunk in _chunks(numbers, LOOKUP_BATCH):
            answers = await client.lookup_phone_numbers(
                m.PhoneLookupRequest(phone_numbers=chunk))
            for answer in answers:
                found[answer.phone_number] = answer
            # Kept after each chunk: the detail pane shows them, also after a restart.
            await self.store.save_lookups([
                StoredLookup(a.phone_number, a.valid, a.line_type,
                             a.carrier.name if a.carrier else None, self.now())
                for a in answers])
            _report(progress, len(found), len(numbers))
        log.info("looked up %d numbers", len(found))
        return found


def describe_lookup(lookup: StoredLookup | None) -> str:
    if lookup is None:
        return "not looked up (press c)"
    carrier = lookup.carrier or "unknown carrier"
    validity = "" if lookup.valid else ", not a valid number"
    return for_log(f"{carrier} ({lookup.line_type}{validity})")


@dataclass(frozen=True)
class ContactView:
    """One query of the book as rows for a virtual list (``RowSource``)."""

    book: ContactBook
    query: ContactQuery
    # False once the person has typed on: the store skips this view's queries (stale).
    current: Wanted = lambda: True

    async def rows(self, offset: int, limit: int) -> list[StoredContact]:
        return await self.book.window(self.query, offset, limit, self.current)

    def rows_now(self, offset: int, limit: int) -> list[StoredContact] | None:
        return self.book.window_now(self.query, offset, limit)

    async def count(self) -> int:
        return await self.book.count(self.query, self.current)

    async def ids(self) -> list[str]:
        return await self.book.ids(self.query)
