"""Writing the config file: atomically, mode 0600, through a symlink, errors in words."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from tui.config.reading import CONFIG_ENV
from tui.config.settings import ConfigError, Settings


def save(settings: Settings, path: Path) -> None:
    """Write atomically with mode 0600: a crash mid-write never leaves half a file.

    A symlinked config (dotfiles kept in a repository) is written through to its target, so
    the link stays a link. A failure is a ConfigError naming the file and what to do, never
    the temporary file or a bare errno.
    """
    try:
        target = path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError):
        raise ConfigError(f"Cannot save the config: {path} is a symbolic link that points to "
                          "itself. Remove the link, or point it at a file.") from None
    import tomli_w  # only when writing: reading is on the start-up path

    text = tomli_w.dumps(settings.to_toml())
    if target.is_dir():
        raise ConfigError(f"Cannot save the config: {target} is a folder. Move it away, or "
                          f"point {CONFIG_ENV} at a file.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp creates the file 0600: the token is never readable by others, not even briefly.
        fd, tmp = tempfile.mkstemp(prefix=".config-", dir=target.parent)
    except OSError as exc:
        raise ConfigError(_cannot_save(target, exc, folder=True)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(_cannot_save(target, exc, folder=False)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cannot_save(target: Path, exc: OSError, *, folder: bool) -> str:
    """Why the config could not be written, in words, with what to do about it."""
    where = target.parent
    if isinstance(exc, PermissionError):
        return (f"Cannot save the config {target}: you may not write in the folder {where}. "
                f"Run: chmod u+w {where}, or point {CONFIG_ENV} at a file you own.")
    reasons = {
        errno.EROFS: "the disk it is on is read-only",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your disk quota is used up",
        errno.ENOTDIR: f"{where} is not a folder",
        errno.ELOOP: "it is a symbolic link that points to itself",
    }
    reason = reasons.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
    fix = f"Free some space, or point {CONFIG_ENV} at another file." if exc.errno in (
        errno.ENOSPC, errno.EDQUOT) else f"Point {CONFIG_ENV} at a file you can write."
    what = "create the folder for" if folder and not where.exists() else "save"
    return f"Cannot {what} the config {target}: {reason}. The old file was left as it is. {fix}"
