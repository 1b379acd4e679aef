"""Key 2 pressed at start-up: the Contacts screen imports what drawing the list needs, no more.

Until the sections are built in the background (about 1.5 s after start) key 2 imports the
screen itself, on the event loop. The list reads the local store; the API models (pydantic)
and the HTTP client are needed only when a change goes to the server, so they are imported
then (or by the desk's start-up thread), not by the screen: they were ~100 ms of the first
page after an early 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_FOR_THE_LIST = ("pydantic", "httpx", "tui.api.models", "tui.api.client")


def test_the_contacts_screen_imports_neither_the_api_models_nor_the_http_client() -> None:
    code = ("import json, sys; import tui.app; import tui.screens.contacts; "
            "print(json.dumps(sorted(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120, check=True).stdout
    loaded = json.loads(out)
    assert not [name for name in loaded
                if any(name == n or name.startswith(n + ".") for n in NOT_FOR_THE_LIST)]
