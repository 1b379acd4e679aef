"""A headless smsdesk for the kill -9 campaign: the app's own desk, store and services, no screen.

``python -m tests.reliability.crash_driver replies PLAN.json``, ``... schedule PLAN.json`` or
``... sync``, with the profile
from SMSDESK_CONFIG (the store under XDG_DATA_HOME, locked per profile as the app does).

Why not the Textual app under a pty: the app's Enter is ``desk.send_reply`` + ``clear_draft``
(tui/screens/inbox.py ``_send``) and its background sync is ``ContactSync.sync_all``; calling
the same desk methods in the same order from a plain process hits the same code and the same
SQLite file, starts in a fraction of the time and needs no terminal, so 50+ kills fit in
minutes. The campaign is killed as the real ``smsdesk campaign send|resume`` process.

Each step is appended to ``$CRASH_STEPS`` (one line, written straight to the file) so the
harness can say in which phase a kill landed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from tui.desk import Desk
from tui.launch import build_desk

SETTLED = ("sent", "failed", "unclear", "cancelled")


def step(line: str) -> None:
    """Note what is about to happen (survives a kill: one unbuffered write)."""
    path = os.environ.get("CRASH_STEPS")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)


async def press_enter(desk: Desk, phone: str, text: str) -> None:
    """What the inbox does on Enter: the draft was saved while typing, send, clear the box."""
    await desk.send_reply(phone, text)
    step(f"replies: in the outbox {phone}")
    await desk.store.clear_draft(phone)


async def replies(desk: Desk, plan: list[tuple[str, str]]) -> None:
    """Type and send each planned reply, as a person who trusts what the screen shows.

    A reply already in the outbox (any state) is not typed again; a text still in the reply
    box (the draft) is sent with Enter, as a person would on seeing it there.
    """
    services = await desk.services()
    sender = asyncio.create_task(services.outbox.run())
    for phone, text in plan:
        entered = [i for i in await desk.store.list_outbox(phone=phone) if i.body == text]
        draft = await desk.store.get_draft(phone)
        if draft == text:
            step(f"replies: enter on the kept draft {phone}")
            await press_enter(desk, phone, text)
            continue
        if entered:
            continue
        step(f"replies: typing {phone}")
        await desk.store.save_draft(phone, text)  # the reply box's draft timer
        step(f"replies: enter {phone}")
        await press_enter(desk, phone, text)
    step("replies: waiting for the outbox")
    while await desk.store.list_pending_outbox():
        await asyncio.sleep(0.1)
    step("replies: outbox settled")
    sender.cancel()


async def schedule(desk: Desk, plan: list[tuple[str, str, str]]) -> None:
    """Schedule each planned text as the Scheduled dialog does (``ScheduledTexts.create``),
    while the start-up lookup of texts a killed run left being saved runs, as in the app.

    A person who trusts the screen: a text the screen said "Scheduled." for (its step) is not
    scheduled again; any other (the one being saved at the kill) is scheduled again at once.
    """
    from datetime import datetime

    from tui.api.errors import ApiError
    from tui.services.scheduled import ScheduleMaybeSaved, ScheduleRefused

    path = os.environ.get("CRASH_STEPS")
    seen = Path(path).read_text(encoding="utf-8").splitlines() if path else []
    texts = await desk.scheduled()
    start_up = asyncio.create_task(texts.saving.recover())  # what the app's start does
    for number, (phone, text, at) in enumerate(plan):
        if f"schedule: saved {number}" in seen:
            continue
        step(f"schedule: saving {number}")
        try:
            await texts.create(phone, text, datetime.fromisoformat(at))
        except ScheduleMaybeSaved:
            step(f"schedule: maybe {number}")
            continue
        except (ScheduleRefused, ApiError) as exc:
            step(f"schedule: refused {number} {type(exc).__name__}")
            continue
        step(f"schedule: saved {number}")
    await start_up
    step("schedule: settled")


async def sync(desk: Desk) -> None:
    """The desk's background contacts and groups sync, one pass to the end."""
    services = await desk.services()

    def progress(p: object) -> None:
        step(f"sync: {getattr(p, 'kind', '?')} page {getattr(p, 'page', '?')}")

    services.contact_sync.on_progress = progress
    step("sync: start")
    await services.contact_sync.sync_all()
    step("sync: finished")


async def main(verb: str, plan_path: str | None) -> int:
    desk = build_desk(None)
    desk.autostart = False  # only the service under test runs
    desk.attach()
    try:
        if verb == "replies":
            assert plan_path is not None
            plan = [(p, t) for p, t in json.loads(Path(plan_path).read_text())]
            await replies(desk, plan)
        elif verb == "sync":
            await sync(desk)
        elif verb == "schedule":
            assert plan_path is not None
            await schedule(desk, [(p, t, a) for p, t, a in json.loads(
                Path(plan_path).read_text())])
        else:
            print(f"unknown verb {verb!r}", file=sys.stderr)
            return 2
    finally:
        await desk.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)))
