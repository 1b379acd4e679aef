"""Serve a sandbox on a real socket with uvicorn: in the foreground (CLI) or in a thread (tests)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn

from tui.sandbox.chaos import ConnectionDropped
from tui.sandbox.sandbox import Sandbox


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
    bound_port = sock.getsockname()[1]
    server = _server(sandbox, "warning")
    failure: list[BaseException] = []

    async def run() -> None:
        if background:
            await sandbox.start()
        try:
            await server.serve(sockets=[sock])
        finally:
            if background:
                await sandbox.stop()

    def target() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=target, name="sandbox-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        server.should_exit = True
        thread.join(5)
        sock.close()
        raise RuntimeError(f"sandbox server did not start: {failure[0] if failure else 'timeout'}")
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
