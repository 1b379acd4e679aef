"""Run a uvicorn server on its own thread and event loop while a ``with`` block lasts.

Shared by the sandbox (``tui.sandbox.serve_in_thread``) and the webhook receiver
(``tui.events.serve.receiver_in_thread``) for tests, benches and the demo; neither layer
depends on the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager

import uvicorn

# How long a server may take to start listening, and to stop when the block ends.
START_SECONDS = 10.0
STOP_SECONDS = 10.0


@contextlib.contextmanager
def server_in_thread(
    server: uvicorn.Server, *, name: str, sockets: Sequence[socket.socket] | None = None,
    around: Callable[[], AbstractAsyncContextManager[None]] | None = None,
) -> Iterator[int]:
    """Serve until the block ends; yields the port the server listens on.

    ``sockets``: already bound sockets to serve on (else the config's host and port).
    ``around``: an async context entered on the server's loop around serving (background work
    that must live on that loop). Raises ``RuntimeError`` naming ``name`` if it does not start.
    """
    failure: list[BaseException] = []

    async def run() -> None:
        async with around() if around is not None else contextlib.nullcontext():
            await server.serve(sockets=list(sockets) if sockets is not None else None)

    def target() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_SECONDS
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        server.should_exit = True
        thread.join(5)
        raise RuntimeError(f"{name} did not start: {failure[0] if failure else 'timeout'}")
    port = int(server.servers[0].sockets[0].getsockname()[1])
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(STOP_SECONDS)
