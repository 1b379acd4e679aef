"""The desk's start-up order: the first screen is drawn first, heavy imports come after it.

The inbox is drawn from the store alone; the HTTP client, the services (httpx is their heaviest
import) and what a conversation view needs are imported on a thread once the first frame is on
the terminal, so the paint never shares the interpreter with them; then the services are
built (``build_services``). No Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui import startup_gc

if TYPE_CHECKING:
    from tui.api.client import MobinitiClient
    from tui.desk import Desk
    from tui.services.inbox import InboxPoller
    from tui.services.outbox import Outbox
    from tui.services.sync import ContactSync

# Imported on a worker thread while the first screen is drawn.
SERVICE_MODULES = (
    "tui.api.client", "tui.services.inbox", "tui.services.outbox", "tui.services.sync",
    "tui.services.events", "tui.services.contacts",
)
# What the open conversation needs (phone numbers' metadata, the compliance rules): imported
# on a thread after the first paint, never on the event loop.
VIEW_MODULES = ("tui.sms.phones", "tui.sms.compliance")
# Background start-up waits for the first screen to be drawn (imports on a thread would take
# the interpreter from the paint), or this long if no screen says so.
FIRST_PAINT_WAIT = 2.0
# The screen says "painted" when it hands its rows over; Textual writes the frame a moment
# later. Imports on a thread meanwhile would take the interpreter from it.
FIRST_FRAME_SETTLE = 0.1


def import_all(modules: tuple[str, ...]) -> None:
    for module in modules:
        importlib.import_module(module)


class FirstPaint:
    """Knows whether the first screen is drawn, and imports what comes after it, once."""

    def __init__(self) -> None:
        self._painted = asyncio.Event()
        self._view_modules: asyncio.Future[None] | None = None

    def painted(self) -> None:
        """The first screen is on the terminal: background start-up may begin."""
        startup_gc.resume(freeze=True)
        self._painted.set()

    @property
    def is_painted(self) -> bool:
        return self._painted.is_set()

    async def settled(self) -> None:
        """Wait for the first frame to be written (or FIRST_PAINT_WAIT if nobody says so)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._painted.wait(), FIRST_PAINT_WAIT)
        startup_gc.resume(freeze=True)  # also when no screen said it was drawn
        await asyncio.sleep(FIRST_FRAME_SETTLE)

    async def view_modules(self) -> None:
        """Import what a conversation view needs, once, on a thread, after the first paint."""
        if self._view_modules is None:
            await self.settled()
        if self._view_modules is None:
            self._view_modules = asyncio.ensure_future(asyncio.to_thread(import_all, VIEW_MODULES))
        # Shielded: a cancelled reader must not cancel the import the others wait for.
        await asyncio.shield(self._view_modules)

    async def preload(self, modules: tuple[str, ...]) -> None:
        """The services' modules, on a thread (called after ``view_modules``)."""
        await asyncio.to_thread(import_all, (*SERVICE_MODULES, *modules))


@dataclass
class Services:
    """What talks to the server; exists once the desk is connected."""

    client: MobinitiClient
    inbox: InboxPoller
    outbox: Outbox
    contact_sync: ContactSync
    sandbox: Any | None


async def build_services(desk: Desk) -> Services:
    """The desk's client and services, their modules imported on a thread first (so the first
    screen is drawn meanwhile); each reports to the desk."""
    await desk._start.preload(desk._preload)
    from tui.services.inbox import InboxPoller
    from tui.services.outbox import Outbox
    from tui.services.sync import ContactSync

    client, sandbox = desk._connect()
    client.on_status = desk.status.client_status
    inbox = InboxPoller(
        client,
        desk.store,
        idle_interval=desk.profile.poll_interval,
        on_update=desk._inbox_updated,
        on_connection=desk.status.connection_changed,
        on_polled=desk.status.polled,
        **desk._inbox_options,
    )
    outbox = Outbox(client, desk.store, on_change=desk._outbox_changed)
    inbox.set_focus(desk.focused_phone)
    inbox.set_app_focus(desk.app_focused)
    sync = ContactSync(client, desk.store, on_progress=desk._sync_progress)
    return Services(client, inbox, outbox, sync, sandbox)
