"""``smsdesk scheduled list`` and ``smsdesk scheduled cancel ID``."""

from __future__ import annotations

import argparse
import asyncio
import sys

from tui.cli.headless import emit_json, fail, headless


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scheduled = subparsers.add_parser("scheduled", help="scheduled texts: list, cancel",
                                      description="Texts scheduled on the server.")
    verbs = scheduled.add_subparsers(title="commands", metavar="COMMAND",
                                     parser_class=type(scheduled))
    listing = verbs.add_parser("list", help="pending scheduled texts, soonest first")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    listing.set_defaults(func=lambda a: asyncio.run(_list(a)))
    cancel = verbs.add_parser("cancel", help="cancel (delete) one scheduled text")
    cancel.add_argument("id", help="its id, from 'smsdesk scheduled list'")
    cancel.set_defaults(func=lambda a: asyncio.run(_cancel(a)))
    scheduled.set_defaults(func=lambda _a: _usage(scheduled))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


async def _list(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError
    from tui.safe_text import shown
    from tui.services.scheduled import ScheduledTexts

    async with headless(args) as (desk, services):
        texts = ScheduledTexts(services.client, desk.store)
        try:
            await texts.saving.recover()  # a text a killed run left being saved: looked up
            rows = await texts.rows()
        except ApiError as exc:
            return fail("scheduled list", str(exc))
        notes = await texts.saving.intents()
    if args.json:
        emit_json([{**r.item.model_dump(mode="json"), "name": r.name,
                    "recipient_time": r.recipient_time} for r in rows]
                  + [{"phone_number": n.phone, "message": n.message,
                      "send_at": n.send_at.isoformat(), "status": f"smsdesk:{n.state}",
                      "note": n.last_error} for n in notes])
        return 0
    for note in notes:
        print(f"({note.state})  {note.send_at.astimezone():%Y-%m-%d %H:%M %Z}  {note.phone}  "
              f"{shown(note.message, single_line=True, limit=60)[:60]}  "
              f"{shown(note.last_error or '', single_line=True)}")
    for row in rows:
        item = row.item
        local = item.send_at.astimezone()
        print(f"{item.id}  {local:%Y-%m-%d %H:%M %Z}  ({row.recipient_time or 'unknown'})  "
              f"{item.phone_number}  {shown(row.name, single_line=True)}  "
              f"{shown(item.message, single_line=True, limit=60)[:60]}")
    if not rows:
        print("No scheduled texts.")
    return 0


async def _cancel(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError

    async with headless(args) as (_desk, services):
        try:
            await services.client.delete_scheduled(args.id)
        except ApiError as exc:
            return fail("scheduled cancel", str(exc))
    print(f"{args.id} cancelled")
    return 0
