"""The real app on a pseudo-terminal, read back through a terminal emulator (pyte).

A bench presses keys as a person would and waits until the screen (what the app wrote to the
terminal, drawn by pyte) shows what it expects; the time from the key to the arrival of the
bytes that made the screen show it is what a person waits. The app's CPU time (all threads, ns
precision) is read next to it.

A thread reads the terminal as fast as the app writes and stamps each chunk as it arrives, as a
real terminal does. pyte is pure Python (about 0.6 ms per KiB of output on this machine, a
frame of rows is 5-11 KiB): parsing on the reading thread made the app's writer wait on a full
pty buffer and added that parsing to every figure, time no real terminal takes.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import queue
import select
import signal
import struct
import sys
import termios
import threading
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
        # The reader stamps a chunk as soon as it holds the interpreter: switch often.
        sys.setswitchinterval(0.0002)
        self._chunks: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read_all, daemon=True, name="pty-reader")
        self._reader.start()

    def _read_all(self) -> None:
        """The terminal's side: read everything the app writes, the moment it arrives."""
        while True:
            try:
                select.select([self.fd], [], [])
                chunk = os.read(self.fd, 1 << 16)
            except (OSError, ValueError):
                chunk = b""
            self._chunks.put((time.perf_counter(), chunk))
            if not chunk:
                return

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def press(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def _read(self, wait: float) -> float | None:
        """Draw the next chunk of output on the screen; when it arrived (None: none came)."""
        try:
            arrived, chunk = self._chunks.get(timeout=wait)
        except queue.Empty:
            return None
        if not chunk:
            self._chunks.put((arrived, chunk))  # stays ended for the next reader
            raise RuntimeError("the app ended")
        self.stream.feed(chunk)
        return arrived

    def wait(self, shown: Callable[[list[str]], bool], timeout: float = 30.0,
             what: str = "the expected screen") -> float:
        """Read output until ``shown(lines)`` holds; when (perf_counter) the bytes that made it
        hold reached the terminal."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            arrived = self._read(0.2)
            if arrived is not None and shown(self.lines()):
                return arrived
        tail = "\n".join(self.lines())
        raise RuntimeError(f"timed out waiting for {what}; the screen:\n{tail}")

    def settle(self, quiet: float = 0.3, longest: float = 10.0) -> None:
        """Wait until the app has written nothing for ``quiet`` seconds and its CPU is idle."""
        deadline = time.perf_counter() + longest
        while time.perf_counter() < deadline:
            before = cpu_ms(self.pid)
            while self._read(quiet) is not None:
                pass
            if cpu_ms(self.pid) - before < quiet * 1000 * 0.05:
                return

    def close(self, grace: float = 5.0) -> None:
        with contextlib.suppress(OSError):
            self.press(b"\x11")  # ctrl+q
        deadline = time.monotonic() + grace
        try:
            while time.monotonic() < deadline:  # the reader keeps the pty drained meanwhile
                time.sleep(0.05)
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    return
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)
