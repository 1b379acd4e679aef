"""Edit a long text in the person's $EDITOR, with the app suspended meanwhile."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual.app import App, SuspendNotSupported

from tui.safe_text import typed


def edit_in_editor(app: App[object], text: str) -> str | None:
    """Return the edited text, or None when the editor failed or is not set up."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        app.notify("Set $EDITOR (for example: export EDITOR=nano) to edit long texts.",
                   severity="warning", markup=False)
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as tmp:
        tmp.write(text)
        path = Path(tmp.name)
    try:
        with app.suspend():
            done = subprocess.run([*shlex.split(command), str(path)], check=False)
        if done.returncode != 0:
            app.notify(f"The editor exited with code {done.returncode}; the reply was kept.",
                       severity="warning", markup=False)
            return None
        # What comes back is kept to be sent: escapes and control characters never are.
        return typed(path.read_text(encoding="utf-8", errors="replace")).rstrip("\n")
    except SuspendNotSupported:
        app.notify("This terminal cannot hand over to an editor.", severity="warning",
                   markup=False)
        return None
    except OSError as exc:
        app.notify(f"Could not start {command!r}: {exc.strerror}", severity="error",
                   markup=False)
        return None
    finally:
        path.unlink(missing_ok=True)
