"""The profile's desk without a screen, for CLI verbs that talk to the server."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tui.desk import Desk, Services
from tui.safe_text import json_escaped, shown


@asynccontextmanager
async def headless(args: argparse.Namespace) -> AsyncIterator[tuple[Desk, Services]]:
    """The configured profile's desk, connected, with its outbox sending (no polling or sync)."""
    from tui.launch import build_desk
    from tui.logs import setup_logging

    setup_logging()
    desk = build_desk(getattr(args, "profile", None))
    desk.autostart = False
    desk.attach()
    try:
        services = await desk.services()
        sender = asyncio.create_task(services.outbox.run())
        try:
            yield desk, services
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
    finally:
        await desk.close()


def fail(verb: str, reason: str, *, code: int = 1) -> int:
    """One line on stderr, a non-zero exit status."""
    print(f"smsdesk {verb}: {shown(reason, single_line=True)}", file=sys.stderr)
    return code


def emit_json(data: Any) -> None:
    print(json_escaped(json.dumps(data, indent=2, ensure_ascii=False, default=str)))
