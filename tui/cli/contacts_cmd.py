"""``smsdesk contacts sync|search|export|import|unsubscribe``: the Contacts section for scripts.

Progress goes to stderr, data to stdout; a failure exits non-zero with one line saying why.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.headless import fail, headless

if TYPE_CHECKING:
    from tui.desk import Desk
    from tui.services.contacts import Progress


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    contacts = subparsers.add_parser(
        "contacts", help="sync, search, export, import or unsubscribe contacts",
        description="The account's contacts from a shell. Reads come from the local mirror "
                    "(run `smsdesk contacts sync` first); changes go to the server.")
    verbs = contacts.add_subparsers(title="verbs", metavar="VERB", required=True)
    sync = verbs.add_parser("sync", help="mirror contacts and groups once, then exit",
                            description="One pass: a full one when none finished yet (or one "
                                        "was cut off), else only what changed (newest first).")
    sync.add_argument("--full", action="store_true", help="a full pass even when not due")
    sync.set_defaults(func=lambda a: asyncio.run(_sync(a)))
    search = verbs.add_parser("search", help="search the local mirror",
                              description="Names, phone digits, email and custom fields; best "
                                          "matches first.")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=50, metavar="N")
    search.add_argument("--json", action="store_true", help="one JSON object a line")
    search.set_defaults(func=lambda a: asyncio.run(_search(a)))
    export = verbs.add_parser("export", help="write contacts to a CSV file")
    export.add_argument("file", type=Path, metavar="FILE.csv")
    export.add_argument("--group", metavar="NAME", help="only this group's members")
    export.add_argument("--status", choices=("subscribed", "unsubscribed"))
    export.set_defaults(func=lambda a: asyncio.run(_export(a)))
    imp = verbs.add_parser("import", help="create and update contacts from a CSV file",
                           description="Prints the counts (new, updated, unchanged, invalid); "
                                       "rows refused are written with their reason to "
                                       "FILE.rejected.csv next to the input.")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--group", metavar="NAME", help="also add every row to this group")
    imp.add_argument("--dry-run", action="store_true", help="count only; send nothing")
    imp.set_defaults(func=lambda a: asyncio.run(_import(a)))
    unsub = verbs.add_parser("unsubscribe", help="unsubscribe numbers (chunks of 100)")
    unsub.add_argument("numbers", nargs="*", metavar="NUMBER")
    unsub.add_argument("--file", type=Path, help="numbers, one a line (or a CSV's first column)")
    unsub.set_defaults(func=lambda a: asyncio.run(_unsubscribe(a)))


def _progress(verb: str) -> Progress:
    def show(done: int, total: int) -> None:
        print(f"{verb} {done:,} / {total:,}", file=sys.stderr)

    return show


async def _group_id(desk: Desk, name: str | None) -> str | None:
    """The id of the group called ``name`` (case-insensitive); ValueError when unknown."""
    if name is None:
        return None
    groups = await desk.store.list_groups()
    for group in groups:
        if group.name.casefold() == name.casefold() or group.id == name:
            return group.id
    known = ", ".join(g.name for g in groups[:10]) or "none synced yet: run smsdesk contacts sync"
    raise ValueError(f"no group named {name!r} (groups: {known})")


async def _sync(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError

    async with headless(args) as (_desk, services):
        sync = services.contact_sync
        sync.on_progress = lambda p: print(p.label or f"{p.kind} done", file=sys.stderr)
        try:
            if args.full or await sync.full_pass_due():
                groups, contacts = await sync.sync_all()
                print(f"full pass: {groups.done:,} groups, {contacts.done:,} contacts")
            else:
                changed = await sync.refresh("groups") + await sync.refresh("contacts")
                print(f"refresh: {changed:,} new or changed")
        except ApiError as exc:
            return fail("contacts sync", f"{exc} (run it again to resume where it stopped)")
    return 0


async def _search(args: argparse.Namespace) -> int:
    from tui.store.contact_query import ContactQuery

    async with headless(args) as (desk, _services):
        found = await desk.store.contact_window(ContactQuery(text=args.query), 0,
                                                max(1, args.limit))
        for c in found:
            if args.json:
                print(json.dumps({
                    "id": c.id, "phone_number": c.phone, "first_name": c.first_name,
                    "last_name": c.last_name, "email": c.email, "subscribed": c.subscribed,
                    "groups": list(c.groups), "fields": dict(c.fields)}, ensure_ascii=False))
            else:
                print(f"{c.phone}\t{c.name}\t{c.email or ''}\t"
                      f"{'subscribed' if c.subscribed else 'unsubscribed'}")
    return 0


async def _export(args: argparse.Namespace) -> int:
    from tui.services.contact_import import export_contacts
    from tui.store.contact_query import ContactQuery

    async with headless(args) as (desk, _services):
        try:
            group_id = await _group_id(desk, args.group)
            query = ContactQuery(group_id=group_id, status=args.status or "all")
            count = await export_contacts(desk.contact_book(), args.file, query=query,
                                          progress=_progress("exported"))
        except (ValueError, OSError) as exc:
            return fail("contacts export", str(exc))
        print(f"exported {count:,} contacts to {args.file}", file=sys.stderr)
    return 0


async def _import(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError
    from tui.services.contact_csv import UnreadableFile, rejected_path, write_rejected
    from tui.services.contact_import import plan_import, run_import

    async with headless(args) as (desk, _services):
        book = desk.contact_book()
        try:
            group_id = await _group_id(desk, args.group)
            draft = await plan_import(book, args.file, group_id=group_id)
        except (ValueError, UnreadableFile) as exc:
            return fail("contacts import", str(exc))
        plan = draft.plan
        if args.dry_run:
            print(f"dry run: {plan.summary()}")
            invalid = [r for r in plan.rows if r.outcome == "invalid"]
            if invalid:
                target = rejected_path(args.file)
                write_rejected(target, draft.table.header, invalid)
                print(f"invalid rows and their reasons: {target}", file=sys.stderr)
            return 0
        try:
            result = await run_import(book, draft, group_id=group_id,
                                      progress=_progress("imported"))
        except ApiError as exc:
            return fail("contacts import", str(exc))
        print(f"import: {result.sentence()}")
        return 1 if result.stopped else 0


def _numbers_from(path: Path) -> list[str]:
    numbers = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        cell = line.split(",")[0].split(";")[0].strip().strip('"')
        if cell and any(ch.isdigit() for ch in cell):
            numbers.append(cell)
    return numbers


async def _unsubscribe(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError
    from tui.sms.phones import InvalidPhoneNumber, normalize

    raw = list(args.numbers)
    if args.file is not None:
        try:
            raw += _numbers_from(args.file)
        except OSError as exc:
            return fail("contacts unsubscribe", f"could not read {args.file}: {exc.strerror}")
    if not raw:
        return fail("contacts unsubscribe", "give numbers, or --file FILE", code=2)
    async with headless(args) as (desk, _services):
        phones = []
        for text in raw:
            try:
                phones.append(normalize(text, desk.profile.default_country))
            except InvalidPhoneNumber as exc:
                return fail("contacts unsubscribe", f"{text!r}: {exc}")
        try:
            result = await desk.contact_book().unsubscribe(
                phones, _progress("unsubscribed"))
        except ApiError as exc:
            return fail("contacts unsubscribe", str(exc))
        for phone, why in result.skipped.items():
            print(f"{phone}: {why}", file=sys.stderr)
        print(result.sentence("unsubscribed"))
        return 1 if result.error else 0
