"""Serve a sandbox on a real socket with uvicorn: in the foreground (CLI) or in a thread (tests)."""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Iterator

import uvicorn

from tui.sandbox.chaos import ConnectionDropped
from tui.sandbox.sandbox import Sandbox
from tui.server_thread import server_in_thread


class _HideDroppedConnections(logging.Filter):
    """A chaos drop is on purpose: keep uvicorn from logging it as a crash."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)


def _quiet_uvicorn() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDroppedConnections) for f in logger.filters):
        logger.addFilter(_HideDroppedConnections())


def bind(host: str, port: int) -> socket.socket:
    """Bind first, so a busy port is a clear error before anything starts (port 0 = any)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _server(sandbox: Sandbox, log_level: str) -> uvicorn.Server:
    _quiet_uvicorn()
    config = uvicorn.Config(sandbox.asgi, lifespan="off", log_level=log_level,
                            access_log=False, timeout_graceful_shutdown=2,
                            date_header=False)  # the sandbox writes its own clock's Date
    return uvicorn.Server(config)


async def serve(sandbox: Sandbox, sock: socket.socket, log_level: str = "warning") -> None:
    """Run until interrupted, with the sandbox's background traffic going."""
    server = _server(sandbox, log_level)
    await sandbox.start()
    try:
        await server.serve(sockets=[sock])
    finally:
        await sandbox.stop()


@contextlib.contextmanager
def serve_in_thread(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0,
                    background: bool = False) -> Iterator[str]:
    """Serve ``sandbox`` over a real loopback socket from a thread; yields the base URL.

    For tests and benches that want real sockets (timeouts, dropped connections, trickling
    bodies)::

        from tui.sandbox import SandboxConfig, create_app, serve_in_thread

        sandbox = create_app(SandboxConfig(contacts=50, chaos=ChaosConfig(rate=0.3)))
        with serve_in_thread(sandbox, background=True) as url:   # http://127.0.0.1:PORT
            client = MobinitiClient(sandbox.token, f"{url}/v1")
            ...
        sandbox.chaos.counts   # faults injected, by kind (also GET {url}/_sandbox/stats)

    ``port=0`` picks a free port. ``background=True`` also runs the sandbox's traffic (receipts,
    replies, inbound texts, scheduled sends) in the server's thread; without it, call
    ``sandbox.step()`` yourself. The server stops when the block ends.
    """
    sock = bind(host, port)

    @contextlib.asynccontextmanager
    async def traffic() -> AsyncIterator[None]:
        await sandbox.start()
        try:
            yield
        finally:
            await sandbox.stop()

    try:
        with server_in_thread(_server(sandbox, "warning"), name="sandbox server", sockets=[sock],
                              around=traffic if background else None) as bound:
            yield f"http://{host}:{bound}"
    finally:
        sock.close()
