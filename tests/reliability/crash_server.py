"""The sandbox for the kill -9 campaign, in its own process so it outlives every kill.

``python -m tests.reliability.crash_server --contacts N --group-size M`` prints its base URL on
the first line of stdout and serves until its stdin closes. Besides the sandbox it answers two
test-only paths that read what the server received:

* ``GET /_crash/texts`` → ``[[phone, text], ...]`` every outgoing text the sandbox accepted;
* ``GET /_crash/scheduled`` → ``[[phone, text], ...]`` every scheduled text the server keeps;
* ``GET /_crash/contacts`` → how many contacts the server has; ``/_crash/names`` → their
  first names by number;
* ``GET /_crash/requests`` → ``[[method, path, page, status], ...]`` every API request, in
  order (page: the ``page`` query parameter or null; status 0: no answer was sent), to tell a
  resumed sync from one started over.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qs

from tui.sandbox import Sandbox, SandboxConfig, create_app
from tui.sandbox.records import ContactRecord, GroupRecord
from tui.sandbox.serve import serve_in_thread

GROUP_NAME = "Crash test"
# A scheduled text's or a new contact's answer comes this much after the server saved it, so
# kills land in the window where the server has it and smsdesk has not heard yet.
SLOW_ANSWERS = (("POST", "/v1/message/schedule"), ("POST", "/v1/contacts"))
SLOW_ANSWER_SECONDS = 0.4
GROUP_AREA = "650253"

Scope = MutableMapping[str, Any]


class Recorder:
    """ASGI middleware: notes each API request and serves the two ``/_crash`` paths."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.app = sandbox.asgi
        self.requests: list[list[Any]] = []  # [method, path, page, status]

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path == "/_crash/texts":
            state = self.sandbox.state
            await _json(send, [[r.phone_number, r.message] for r in state.messages
                               if r.direction != "incoming"])
            return
        if path == "/_crash/scheduled":
            await _json(send, [[r.phone_number, r.message]
                               for r in self.sandbox.state.scheduled.values()])
            return
        if path == "/_crash/contacts":
            await _json(send, len(self.sandbox.state.contacts))
            return
        if path == "/_crash/names":
            await _json(send, {c.phone_number: c.first_name
                               for c in self.sandbox.state.contacts.values()})
            return
        if path == "/_crash/requests":
            await _json(send, self.requests)
            return
        if not path.startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        page = query.get("page", [None])[0]
        entry = [scope["method"], path, int(page) if page and page.isdigit() else None, 0]
        self.requests.append(entry)

        async def noted(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                entry[3] = message["status"]
                if (scope["method"], path) in SLOW_ANSWERS:
                    await asyncio.sleep(SLOW_ANSWER_SECONDS)  # saved; the answer is on its way
            await send(message)

        await self.app(scope, receive, noted)


async def _json(send: Any, data: object) -> None:
    body = json.dumps(data).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def add_group(sandbox: Sandbox, size: int) -> list[str]:
    """A group of ``size`` subscribed contacts with predictable numbers, for the campaign."""
    state = sandbox.state
    now = state.now()
    group = GroupRecord(id=state.ids.new(), name=GROUP_NAME, created_at=now, updated_at=now)
    state.groups[group.id] = group
    phones = []
    for index in range(size):
        contact = ContactRecord(id=state.ids.new(), phone_number=f"+1{GROUP_AREA}{index:04d}",
                                created_at=now, updated_at=now, first_name=f"Kim{index % 5}")
        state.add_contact(contact)
        state.join_group(contact, group.id)
        phones.append(contact.phone_number)
    return phones


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=300)
    parser.add_argument("--group-size", type=int, default=250)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    # The real rate limit stays on; no replies, no inbound traffic, no failed receipts: the
    # only texts on the server are the ones smsdesk sent.
    sandbox = create_app(SandboxConfig(seed=args.seed, contacts=args.contacts,
                                       inbound_rate=0.0, reply_probability=0.0,
                                       failure_rate=0.0))
    add_group(sandbox, args.group_size)
    recorder = Recorder(sandbox)
    sandbox.asgi = recorder
    with serve_in_thread(sandbox) as url:
        print(url, flush=True)
        sys.stdin.read()  # until the harness closes our stdin
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
