"""One smsdesk per profile: a lock file next to the database, held with ``flock`` for life.

Two processes on one store would run two outboxes over the same queue, so the second one is
refused with a sentence that names the first (its process id, from the lock file). The lock
is released by the kernel when the process ends, even after ``kill -9``, so a crash never
leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from tui.store.db import StoreError
from tui.store.files import PRIVATE_FILE, private_folder

try:  # POSIX; elsewhere the second-instance check is skipped (documented in reliability.md)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class ProfileLock:
    """Held from ``acquire`` until ``release`` (or the end of the process)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, database: Path, *, profile: str | None = None) -> ProfileLock:
        """Take the profile's lock or raise ``StoreError`` naming the process that holds it."""
        path = lock_path(database)
        private_folder(path.parent)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the lock file {path} ({exc.strerror}). Check that you may "
                "write to that folder."
            ) from None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _holder(fd)
                os.close(fd)
                who = f"process {holder}" if holder else "another process"
                name = f"profile {profile!r}" if profile else f"the database {database}"
                raise StoreError(
                    f"Another smsdesk ({who}) is already using {name}. Switch to that window, "
                    f"or close it first (kill {holder or 'PID'}), or use another profile with "
                    "--profile NAME. Two copies on one profile could send a text twice."
                ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{' '.join(sys.argv[:3])}\n".encode(errors="replace"))
        return cls(path, fd)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the descriptor drops the flock

    @property
    def held(self) -> bool:
        return self._fd is not None


def _holder(fd: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        first = os.pread(fd, 64, 0).split(b"\n", 1)[0]
        return int(first) if first.strip() else None
    return None
