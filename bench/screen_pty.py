"""The real app on a pseudo-terminal, read back through a terminal emulator (pyte).

A bench presses keys as a person would and waits until the screen (what the app wrote to the
terminal, drawn by pyte) shows what it expects; the time from the key to that moment is what
a person waits. The app's CPU time (all threads, ns precision) is read next to it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pyte

from bench.bench_startup import cpu_ms

__all__ = ["Terminal", "cpu_ms", "rss_mb"]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Terminal:
    """One process on a ``width``×``height`` pty, its output kept as a screen of lines."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, *,
                 width: int = 120, height: int = 40) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: becomes the app
            os.chdir(cwd)
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError:
            raise RuntimeError("the app ended") from None
        if not chunk:
            raise RuntimeError("the app ended")
        self.stream.feed(chunk)
        return True

    def wait(self, shown: Callable[[list[str]], bool], timeout: float = 30.0,
             what: str = "the expected screen") -> float:
        """Read output until ``shown(lines)`` holds; the moment (perf_counter) it did."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self._read(0.2) and shown(self.lines()):
                return time.perf_counter()
        tail = "\n".join(self.lines())
        raise RuntimeError(f"timed out waiting for {what}; the screen:\n{tail}")

    def settle(self, quiet: float = 0.3, longest: float = 10.0) -> None:
        """Wait until the app has written nothing for ``quiet`` seconds and its CPU is idle."""
        deadline = time.perf_counter() + longest
        while time.perf_counter() < deadline:
            before = cpu_ms(self.pid)
            while self._read(quiet):
                pass
            if cpu_ms(self.pid) - before < quiet * 1000 * 0.05:
                return

    def close(self, grace: float = 5.0) -> None:
        with contextlib.suppress(OSError):
            self.press(b"\x11")  # ctrl+q
        deadline = time.monotonic() + grace
        try:
            while time.monotonic() < deadline:
                try:
                    if select.select([self.fd], [], [], 0.05)[0]:
                        os.read(self.fd, 1 << 16)  # keep the pty drained so the app can finish
                except OSError:
                    pass
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    return
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)
