"""Private files: the database, its WAL/SHM and lock files are 0600 inside 0700 folders."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")


def private_folder(folder: Path) -> None:
    """Create missing folders 0700 (each level smsdesk creates; existing ones are left)."""
    missing = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):
            level.mkdir(mode=PRIVATE_FOLDER)
        os.chmod(level, PRIVATE_FOLDER)  # mkdir's mode is masked by the umask


def private_database_file(path: Path) -> None:
    """Create the database file 0600 before sqlite does (sqlite gives WAL/SHM the same mode),
    and take group/other access away from an existing database and its side files."""
    private_folder(path.parent)
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        tighten(candidate)


def tighten(path: Path) -> None:
    """Drop group/other bits of a file we own; a file we cannot change is left as it is."""
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
