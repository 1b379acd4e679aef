"""The import budget of the first paint: what ``smsdesk`` imports before the inbox is drawn.

A child process runs the real start path (``tui.__main__`` → CLI → launch → app) under
``python -X importtime``, headless, and lists ``sys.modules`` when the inbox has been drawn.
A second child lists what a bare Textual "hello" app imports. The test fails when:

- a module that the first screen does not need is imported before it is drawn (FORBIDDEN:
  pydantic, httpx, phonenumbers, Starlette, the sandbox, the API models, the compliance rules,
  the services, the other sections' screens, the command modules...). Import them after the
  first paint (``tui.desk_start``, ``build_services``, inside the function that needs
  them) or under ``TYPE_CHECKING``;
- the modules beyond the hello app's grow past MAX_EXTRA_MODULES. A count, not a time: the
  test gives the same answer on an idle machine and under heavy load (an earlier version also
  compared import times and failed now and then on a busy machine). ``bench/bench_imports.py``
  reports the times.

The limit, with its margin: at the time of writing 84 modules beyond the hello app (limit 90:
room for a new migration or two and a few store modules, while pydantic alone is ~100 modules
and httpx ~50, and those are FORBIDDEN by name anyway).
"""

from __future__ import annotations

import compileall
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = (
    "pydantic", "pydantic_core", "httpx", "httpcore", "anyio", "phonenumbers", "starlette",
    "uvicorn", "defusedxml", "tomli_w", "tui.api.models", "tui.api.client", "tui.api.calls",
    "tui.sandbox", "tui.sms.compliance", "tui.sms.phones", "tui.sms.segments", "tui.services",
    "tui.events", "tui.connectors", "tui.screens.contacts", "tui.screens.groups",
    "tui.screens.campaigns", "tui.screens.scheduled", "tui.screens.activity",
    "tui.cli.config_cmd", "tui.cli.sandbox_cmd",
    # The chat pane joins after the first frame (the first frame draws the list).
    "tui.widgets.chat_log", "tui.widgets.reply_box", "tui.widgets.segment_meter",
    "textual.widgets._text_area", "tui.screens.inbox_chat", "tui.conversation_view",
    # Opening the app parses its two options by hand; the keys line and the help come when
    # they are first shown.
    "argparse", "tui.cli.parser", "textual.widgets._footer", "tui.screens.help",
)
MAX_EXTRA_MODULES = 90
MAX_DATACLASSES = 12

# Runs the real entry point; App.run is swapped for a headless run that stops at the first
# paint (the desk is told by the inbox once its rows are on screen): the modules are listed at
# that call. What the desk does after the paint (imports on a thread) is held back, and what
# the screen mounts after its first frame (the chat pane) comes later, so the list never
# depends on timing.
SMSDESK_CHILD = """
import asyncio, json, sys
from textual.app import App
from tui.desk import Desk
from tui.desk_start import FirstPaint

async def settled(self):
    await asyncio.Event().wait()

FirstPaint.settled = settled
at_paint = []
told_painted = Desk.painted

def dataclasses_made():
    import dataclasses
    return sorted(
        f"{name}.{attr}" for name, module in list(sys.modules.items()) if name.startswith("tui")
        for attr, value in list(vars(module).items())
        if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value)
    )

def painted(self):
    at_paint.append(sorted(sys.modules))
    at_paint.append(dataclasses_made())
    told_painted(self)

Desk.painted = painted

def run_headless(self, *args, **kwargs):
    async def go():
        async with self.run_test(size=(120, 40)):
            while not self.desk.is_painted:
                await asyncio.sleep(0.005)
            print(json.dumps(at_paint[1]))
            print(json.dumps(at_paint[0]))
            self.exit()
    asyncio.run(go())

App.run = run_headless
from tui.__main__ import main
main(["--profile", "budget"])
"""

HELLO_CHILD = """
import asyncio, json, sys
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello")

async def go():
    app = Hello()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        print(json.dumps(sorted(sys.modules)))

asyncio.run(go())
"""

IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)")


def run_child(code: str, env: dict[str, str]) -> tuple[list[Any], dict[str, int]]:
    """The JSON lines ``code`` printed (the last: the modules loaded at its end), and each
    module's own import time (µs)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = [json.loads(line) for line in done.stdout.strip().splitlines()
               if line.startswith("[")]
    own: dict[str, int] = {}
    for match in IMPORT_LINE.finditer(done.stderr):
        own.setdefault(match.group(3), int(match.group(1)))
    return printed, own


class FirstPaintImports(NamedTuple):
    ours: set[str]  # modules loaded at smsdesk's first paint
    hello: set[str]  # modules of the hello app
    own: dict[str, int]  # each module's own import time (µs)
    dataclasses: list[str]  # smsdesk's classes made dataclasses by then


def first_paint_imports(home: Path) -> FirstPaintImports:
    """What smsdesk has imported and built when its first screen is drawn, next to hello."""
    # Byte-code as an installed package has it (this environment may not write .pyc files).
    compileall.compile_dir(str(ROOT / "tui"), quiet=1)
    config = home / "config.toml"
    config.write_text('default_profile = "budget"\n[profiles.budget]\n'
                      'base_url = "http://127.0.0.1:9/v1"\ntoken = "mbn_budget_token_0000"\n')
    config.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k != "SMSDESK_TOKEN"}
    env.update(SMSDESK_CONFIG=str(config), XDG_DATA_HOME=str(home / "data"),
               XDG_STATE_HOME=str(home / "state"), XDG_CACHE_HOME=str(home / "cache"),
               PYTHONPATH=str(ROOT))
    (made, ours), own = run_child(SMSDESK_CHILD, env)
    (hello,), _ = run_child(HELLO_CHILD, env)
    return FirstPaintImports(set(ours), set(hello), own, made)


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory: pytest.TempPathFactory) -> FirstPaintImports:
    return first_paint_imports(tmp_path_factory.mktemp("budget"))


def test_nothing_the_first_screen_does_not_draw_is_imported_before_it(
    first_paint: FirstPaintImports,
) -> None:
    ours = first_paint.ours
    early = sorted(m for m in ours if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
    assert not early, f"imported before the first paint: {early}"


def test_the_first_paint_imports_stay_within_budget(first_paint: FirstPaintImports) -> None:
    ours, hello = first_paint.ours, first_paint.hello
    extra = ours - hello
    assert len(extra) <= MAX_EXTRA_MODULES, (
        f"{len(extra)} modules beyond a bare Textual app (limit {MAX_EXTRA_MODULES}): "
        f"{sorted(extra)}"
    )


def test_few_dataclasses_are_made_before_the_first_paint(first_paint: FirstPaintImports) -> None:
    """``dataclasses`` compiles each class's methods with exec (~0.4 ms a frozen class): the
    store's records, the desk's events and the like are ``@frozen_record`` (made at their
    first instance). The first screen makes a few: the settings, the status, the inbox row."""
    made = first_paint.dataclasses
    assert "tui.widgets.status_bar.DeskStatus" in made  # a frozen_record made by its use
    assert len(made) <= MAX_DATACLASSES, f"{len(made)} made before the first paint: {made}"
