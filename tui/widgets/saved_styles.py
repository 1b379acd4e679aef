"""The first screen's parsed styles, kept on disk from one start to the next.

Textual parses every stylesheet from its text at each start: for the first screen (the app's
two sheets and the default CSS of the widgets it shows) about 6 ms, a twentieth of the cold
start, giving the same rules every time. The rules parsed before the first frame are saved
once it is on the terminal; the next start loads them (about half a millisecond) instead of
parsing. A saved entry is used only for the very same CSS text, source, Textual files and
theme variables; anything else is parsed as usual, and a start with different rules saves
them again.

The file is a pickle, so it is read only when it is a regular file owned by this user that
no one else can write (as ssh treats its keys); it lives in the user's own cache folder
(0700) and is written 0600. A file that is damaged, foreign or from another version is
ignored and replaced: the styles are then parsed, never lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.css.model import RuleSet

log = logging.getLogger("smsdesk.ui")

MAGIC = b"smsdesk first-screen styles 1\n"
# (css text, where it was read from, default CSS?, tie breaker, scope): Textual's own key.
Key = tuple[str, Any, bool, int, str]


def textual_stamp() -> tuple[object, ...]:
    """Which Textual parsed the rules: the files that define them, as installed now (an
    upgrade or reinstall rewrites them; reading Textual's version would import metadata
    machinery, several milliseconds)."""
    import textual.css

    folder = Path(textual.css.__file__).parent
    stamp: list[object] = [str(folder)]
    for name in ("model.py", "styles.py", "parse.py", "types.py"):
        info = os.stat(folder / name)
        stamp += [info.st_mtime_ns, info.st_size]
    return tuple(stamp)


class SavedStyles:
    """Parsed rules by source, for one theme; ``save`` writes what was parsed anew."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._variables: dict[str, str] | None = None
        self._rules: dict[Key, list[RuleSet]] = {}
        self._new = False
        self._loaded = False

    def load(self) -> None:
        """Read the file once (a missing, foreign or damaged file leaves nothing saved)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            with open(self.path, "rb") as file:
                info = os.fstat(file.fileno())
                if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                        or info.st_mode & 0o022):
                    log.info("saved styles %s ignored: not a private file of this user",
                             self.path)
                    return
                data = file.read()
        except OSError:
            return
        if not data.startswith(MAGIC):
            return
        try:
            saved = pickle.loads(data[len(MAGIC):])
            version, variables, rules = saved["textual"], saved["variables"], saved["rules"]
        except Exception:  # a damaged file of ours: parse as if it was not there
            log.info("saved styles %s could not be read; parsing the styles", self.path)
            return
        if version != textual_stamp() or not isinstance(rules, dict):
            return
        self._variables, self._rules = dict(variables), rules

    def rules(self, key: Key, variables: Mapping[str, str]) -> list[RuleSet] | None:
        """The saved rules of this source under these theme variables, if any."""
        self.load()
        if variables != self._variables:
            return None
        return self._rules.get(key)

    def keep(self, key: Key, rules: list[RuleSet], variables: Mapping[str, str]) -> None:
        """Rules just parsed: saved at the next ``save`` (rules with errors never are)."""
        if any(rule.errors for rule in rules):
            return
        if variables != self._variables:  # another theme: start again for this one
            self._variables, self._rules = dict(variables), {}
        self._rules[key] = rules
        self._new = True

    def save(self) -> None:
        """Write the file if anything new was parsed (atomically, 0600 in a 0700 folder)."""
        if not self._new:
            return
        self._new = False
        from tui.store.files import private_folder

        data = MAGIC + pickle.dumps(
            {"textual": textual_stamp(), "variables": self._variables, "rules": self._rules},
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        temporary = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        try:
            private_folder(self.path.parent)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, self.path)
        except OSError as error:  # a read-only cache folder only costs the next start 6 ms
            log.info("saved styles not written (%s)", error.strerror)
            with contextlib.suppress(OSError):
                temporary.unlink()
