"""Importing and exporting contact CSVs through the book: dry run, import, rejected rows.

A dry run compares each row with the cached contact of the same number: new, updated,
unchanged or invalid (with the reason). The import then creates and updates on the server
(one call each: the seed has no bulk create), reporting progress; rows the server refuses
join the invalid ones in ``<file>.rejected.csv`` next to the input. Nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.errors import ApiError
from tui.services.contact_csv import (
    ImportPlan,
    PlannedRow,
    Table,
    export_header,
    export_row,
    guess_mapping,
    open_export,
    plan_row,
    read_table,
    rejected_path,
    write_rejected,
)
from tui.services.contacts import ContactBook, Progress
from tui.services.reconcile import national_digits
from tui.store.contact_query import ContactQuery
from tui.store.records import same_number

EXPORT_WINDOW = 1000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Of the above: rows an earlier, interrupted import had already created (found by number).
    found: int = 0
    rejected: list[PlannedRow] = field(default_factory=list)
    rejected_file: Path | None = None
    stopped: str | None = None  # why the import stopped early (the rest was not sent)

    def sentence(self) -> str:
        text = (f"{self.created:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged, "
                f"{len(self.rejected):,} rejected")
        if self.found:
            text += (f" ({self.found:,} of them already on the server: an earlier import "
                     "that was cut off had created them)")
        if self.rejected_file is not None:
            text += f" (reasons in {self.rejected_file})"
        if self.stopped:
            text += f"; stopped early: {self.stopped}"
        return text + "."


@dataclass
class ImportDraft:
    """A file read and planned; the screen shows it before anything is sent."""

    path: Path
    table: Table
    mapping: list[str]
    plan: ImportPlan


async def plan_import(book: ContactBook, path: Path, *, mapping: list[str] | None = None,
                      group_id: str | None = None) -> ImportDraft:
    """Read the file and classify every row (no request is made). Raises ``UnreadableFile``."""
    table = await asyncio.to_thread(read_table, path)
    return await plan_table(book, path, table, mapping or guess_mapping(table.header),
                            group_id=group_id)


async def replan(book: ContactBook, draft: ImportDraft, mapping: list[str], *,
                 group_id: str | None = None) -> ImportDraft:
    """The same file with the columns mapped as the person chose (the file is not re-read)."""
    return await plan_table(book, draft.path, draft.table, mapping, group_id=group_id)


async def plan_table(book: ContactBook, path: Path, table: Table, columns: list[str], *,
                     group_id: str | None = None) -> ImportDraft:
    rows: list[PlannedRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(table.rows, start=2):
        first = plan_row(number, cells, columns, book.region, None)
        existing = await book.store.contact_by_phone(first.phone) if first.phone else None
        member = existing is None or group_id is None or group_id in existing.group_ids
        planned = plan_row(number, cells, columns, book.region, existing, member)
        if planned.phone and planned.phone in seen:
            planned = replace(planned, outcome="invalid",
                              reason=f"the same number as line {seen[planned.phone]}")
        elif planned.phone:
            seen[planned.phone] = number
        rows.append(planned)
    if "phone_number" not in columns:
        rows = [replace(r, outcome="invalid", reason="no column holds phone numbers")
                for r in rows]
    return ImportDraft(path, table, list(columns), ImportPlan(rows))


async def run_import(book: ContactBook, draft: ImportDraft, *, group_id: str | None = None,
                     progress: Progress | None = None) -> ImportResult:
    client = await book.client()
    result = ImportResult(rejected=[r for r in draft.plan.rows if r.outcome == "invalid"])
    todo = [r for r in draft.plan.rows if r.outcome in ("new", "updated")]
    result.unchanged = draft.plan.count("unchanged")
    for done, row in enumerate(todo, start=1):
        planned_new = row.outcome == "new"
        try:
            row, saved = await _import_row(book, client, draft, row, group_id)
        except ApiError as exc:
            if exc.status in (400, 409, 422):
                reason = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.errors.items())
                result.rejected.append(replace(row, outcome="invalid",
                                               reason=reason or exc.message))
                continue
            result.stopped = str(exc)
            result.rejected.extend(replace(r, outcome="invalid", reason="not sent: the import "
                                           "stopped before this row") for r in todo[done - 1:])
            break
        result.found += planned_new and row.outcome != "new"
        if saved is None:
            result.unchanged += 1
        else:
            await book.store.upsert_contacts([saved])
            if row.outcome == "new":
                result.created += 1
            else:
                result.updated += 1
        _tell(progress, done, len(todo))
    if result.rejected:
        result.rejected_file = rejected_path(draft.path)
        await asyncio.to_thread(write_rejected, result.rejected_file, draft.table.header,
                                sorted(result.rejected, key=lambda r: r.line))
    return result


def _tell(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


async def _import_row(book: ContactBook, client: MobinitiClient, draft: ImportDraft,
                      row: PlannedRow, group_id: str | None
                      ) -> tuple[PlannedRow, m.Contact | None]:
    """Send one row; the row as it was finally planned, and the server's contact (None when
    the server already had it as the file says)."""
    try:
        return row, await _send(client, row, group_id)
    except ApiError as exc:
        if row.contact_id is None and already_exists(exc):
            return await _adopt(book, client, draft, row, group_id)
        raise


def already_exists(error: ApiError) -> bool:
    """The server refused a new contact because it has that number (seed 002's example 422:
    ``"The contact already exists."``)."""
    messages = error.errors.get("phone_number", [])
    return error.status in (409, 422) and any("exist" in m.lower() for m in messages)


async def _adopt(book: ContactBook, client: MobinitiClient, draft: ImportDraft,
                 row: PlannedRow, group_id: str | None) -> tuple[PlannedRow, m.Contact | None]:
    """A "new" row the server already has: an earlier import was cut off (killed, the
    connection lost) after the server created it but before we cached it. The server's
    contact is fetched and cached, and the row planned again against it: unchanged
    (returns None) or an update (sent now). Re-running an interrupted import never rejects
    the rows it had already imported. Raises the ApiError when no such contact is found."""
    found = await _by_number(client, row.phone)
    if found is None:
        raise ApiError("The server says the contact exists but does not list it.", status=422,
                       errors={"phone_number": ["The contact already exists."]})
    await book.store.upsert_contacts([found])
    cached = await book.store.contact(found.id)
    member = cached is None or group_id is None or group_id in cached.group_ids
    again = plan_row(row.line, row.cells, draft.mapping, book.region, cached, member)
    if again.outcome == "unchanged":
        return again, None
    return again, await _send(client, again, group_id)


async def _by_number(client: MobinitiClient, phone: str) -> m.Contact | None:
    """The server's contact with this number, asked as E.164 and then by its national digits
    (a server that stores ``7205550101`` may not match ``+17205550101``); only a contact whose
    number is the same number counts (a filter may match part of the digits)."""
    for wanted in dict.fromkeys((phone, national_digits(phone))):
        page = await client.list_contacts(limit=10, filters={"phone_number": wanted},
                                          include=("status", "groups", "fields"))
        same = [c for c in page.data if same_number(c.phone_number, phone)]
        if same:
            return same[0]
    return None


async def _send(client: MobinitiClient, row: PlannedRow, group_id: str | None) -> m.Contact:
    fields = dict(row.fields) or None
    if row.contact_id is None:
        return await client.create_contact(m.ContactCreate.model_validate({
            "phone_number": row.phone, **row.values, "fields": fields,
            "groups": [group_id] if group_id else None}))
    saved = await client.update_contact(row.contact_id, m.ContactUpdate.model_validate(
        {**row.values, "fields": fields}))
    if group_id and group_id not in {g.id for g in saved.groups or []}:
        saved = await client.add_contact_group(row.contact_id, m.ContactGroupAdd(
            group_id=group_id))
    return saved


async def export_contacts(book: ContactBook, path: Path, *, query: ContactQuery | None = None,
                          ids: list[str] | None = None,
                          progress: Progress | None = None) -> int:
    """Write the view (or these ids) to ``path``; returns how many rows were written."""
    wanted = ids if ids is not None else await book.ids(query or ContactQuery())
    contacts = []
    for start in range(0, len(wanted), EXPORT_WINDOW):
        contacts.extend(await book.store.contacts_by_ids(wanted[start:start + EXPORT_WINDOW]))
        if progress is not None:
            progress(len(contacts), len(wanted))
    keys = sorted({k for c in contacts for k in c.fields})

    def write() -> None:
        import csv

        with open_export(path) as out:
            writer = csv.writer(out)
            writer.writerow(export_header(keys))
            writer.writerows(export_row(c, keys) for c in contacts)

    await asyncio.to_thread(write)
    return len(contacts)
