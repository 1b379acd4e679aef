"""``smsdesk events tail``: the stored provider events, as lines or JSON, optionally following."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from tui.safe_text import json_escaped
from tui.store import ReceivedEvent

FOLLOW_EVERY = 0.25  # seconds between looks at the store while following


def _limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError(f"limit must be 1..100000, not {text!r}")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    events = subparsers.add_parser(
        "events", help="provider events received by webhook",
        description="Provider events (webhooks, postbacks) stored for this profile.")
    verbs = events.add_subparsers(title="commands", metavar="COMMAND", parser_class=type(events))
    tail = verbs.add_parser("tail", help="print the latest events",
                            description="Print the latest stored events, oldest first.")
    tail.add_argument("--json", action="store_true",
                      help="one JSON object a line: kind, provider, phone, occurred_at, code, "
                           "meaning, text")
    tail.add_argument("--limit", type=_limit, default=20, metavar="N",
                      help="how many of the latest events (default 20)")
    tail.add_argument("--follow", "-f", action="store_true",
                      help="keep printing new events as they arrive (Ctrl+C stops)")
    tail.add_argument("--profile", dest="events_profile", metavar="NAME",
                      help="whose events (default: the default profile)")
    tail.set_defaults(func=_tail)


def as_json(event: ReceivedEvent) -> dict[str, Any]:
    return {"id": event.id, "kind": event.kind, "provider": event.provider, "phone": event.phone,
            "occurred_at": event.occurred_at.isoformat() if event.occurred_at else None,
            "received_at": event.received_at.isoformat(), "code": event.status_code,
            "meaning": event.meaning, "text": event.text}


def as_line(event: ReceivedEvent) -> str:
    from tui.safe_text import shown

    when = event.received_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    what = event.text if event.kind == "inbound_message" else event.meaning
    parts = [when, f"{event.provider:<8}", f"{event.kind:<16}", event.phone or "-",
             event.status_code or "", shown(what or "", single_line=True, limit=100)]
    return "  ".join(p for p in parts if p)


def _tail(args: argparse.Namespace) -> int:
    from tui import config as cfg
    from tui.launch import store_path
    from tui.store import open_store

    loaded = cfg.load()
    name = args.events_profile or getattr(args, "profile", None) or \
        loaded.settings.default_profile
    loaded.settings.profile(name)  # a clear error for an unknown profile
    store = open_store(store_path(name))
    show = (lambda e: json_escaped(json.dumps(as_json(e), ensure_ascii=False))
            ) if args.json else as_line
    try:
        latest = store.list_received_events(limit=args.limit)
        for event in reversed(latest):
            print(show(event), flush=True)
        last = latest[0].id if latest else 0
        while args.follow:
            time.sleep(FOLLOW_EVERY)
            for event in store.events_after(last):
                print(show(event), flush=True)
                last = event.id
    except KeyboardInterrupt:
        return 0
    finally:
        store.close()
    sys.stdout.flush()
    return 0
