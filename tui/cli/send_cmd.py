"""``smsdesk send NUMBER TEXT`` and ``smsdesk schedule NUMBER TEXT --at TIME``."""

from __future__ import annotations

import argparse
import asyncio

from tui.cli.headless import emit_json, fail, headless
from tui.safe_text import shown


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = subparsers.add_parser(
        "send", help="send one text now (through the outbox, exactly once)",
        description="Send one text to one number through the outbox: written down first, "
                    "posted once, looked up on the server when the answer is unclear.")
    send.add_argument("number", help="the recipient, e.g. +16502530000 or (650) 253-0000")
    send.add_argument("text", help="the text; merge fields such as {first_name} are filled "
                                   "from the contact")
    send.add_argument("--json", action="store_true", help="print the result as JSON")
    send.set_defaults(func=lambda a: asyncio.run(_send(a)))
    schedule = subparsers.add_parser(
        "schedule", help="schedule one text for later",
        description="Schedule one text. TIME is ISO 8601 (2026-12-01T10:00-05:00) or the "
                    "recipient's local HH:MM (the next time their clock shows it). A time in "
                    "the past or in the recipient's quiet hours is refused.")
    schedule.add_argument("number")
    schedule.add_argument("text")
    schedule.add_argument("--at", required=True, metavar="TIME")
    schedule.add_argument("--json", action="store_true", help="print the result as JSON")
    schedule.set_defaults(func=lambda a: asyncio.run(_schedule(a)))


async def _send(args: argparse.Namespace) -> int:
    from tui.services.audience import Recipient, fresh_contact
    from tui.services.outbox import SendRefused
    from tui.sms.merge import MergeError, fields_used, render
    from tui.sms.phones import InvalidPhoneNumber, normalize

    async with headless(args) as (desk, services):
        try:
            phone = normalize(args.number, desk.profile.default_country)
        except InvalidPhoneNumber as exc:
            return fail("send", str(exc))
        contact = (await fresh_contact(services.client, desk.store, phone)
                   if fields_used(args.text) else None)
        try:
            body = render(args.text, Recipient(phone, contact).merge_source())
            item = await services.outbox.enqueue(phone, body)
        except (MergeError, SendRefused) as exc:
            return fail("send", str(exc))
        while True:  # the outbox sends it (and looks it up if the answer is unclear)
            current = await desk.store.get_outbox(item.key)
            if current is None or current.state in ("sent", "failed", "cancelled", "unclear"):
                break
            await asyncio.sleep(0.2)
        if current is None:
            return fail("send", "the text disappeared from the outbox")
        if args.json:
            emit_json({"key": current.key, "phone_number": phone, "state": current.state,
                       "message_id": current.message_id, "error": current.last_error})
        else:
            print(f"{current.message_id or '-'} {current.state}"
                  + (f": {shown(current.last_error, single_line=True)}"
                     if current.last_error else ""))
        return 0 if current.state == "sent" else 1


async def _schedule(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError
    from tui.services.scheduled import ScheduledTexts, ScheduleRefused, parse_when
    from tui.sms.phones import InvalidPhoneNumber, normalize

    async with headless(args) as (desk, services):
        texts = ScheduledTexts(services.client, desk.store,
                               window=desk.profile.quiet_hours.window,
                               region=desk.profile.default_country)
        try:
            phone = normalize(args.number, desk.profile.default_country)
            at = parse_when(args.at, phone, desk.now())
            item = await texts.create(phone, args.text, at)
        except (InvalidPhoneNumber, ScheduleRefused, ApiError) as exc:
            return fail("schedule", str(exc))
        if args.json:
            emit_json(item.model_dump(mode="json"))
        else:
            print(f"{item.id} {item.status} {item.send_at.isoformat()}")
        return 0
