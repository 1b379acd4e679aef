"""The ``smsdesk`` command line: opening the app, or one command (the parser: tui/cli/parser.py).

Start-up speed: ``smsdesk``, ``--demo`` and ``--profile NAME`` open the app without argparse
or any command's module; everything else goes through the full parser.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from tui import startup_gc
from tui.config import ConfigError
from tui.safe_text import shown

if TYPE_CHECKING:
    from tui.cli.parser import Parser

# Each module under tui/cli/ adds its sub-commands with ``register(subparsers)``.
COMMAND_MODULES = (
    "config_cmd", "sandbox_cmd", "webhooks_cmd", "events_cmd", "send_cmd", "campaign_cmd",
    "scheduled_cmd", "contacts_cmd", "optin_cmd",
)


def build_parser(commands: tuple[str, ...] = COMMAND_MODULES) -> Parser:
    """The full parser with these commands' sub-commands."""
    from tui.cli.parser import build_parser as build

    return build(commands)


def app_options(argv: list[str]) -> tuple[bool, str | None] | None:
    """(demo, profile) when ``argv`` only opens the app (``--demo``, ``--profile NAME``); None
    for a command, ``--help``, ``--version`` or a mistake (the full parser handles those)."""
    demo, profile, rest = False, None, list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--profile" and rest:
            profile = rest.pop(0)
        elif arg.startswith("--profile="):
            profile = arg.removeprefix("--profile=")
        elif arg == "--demo":
            demo = True
        else:
            return None
    return demo, profile


def run(argv: list[str]) -> int:
    opening = app_options(argv)
    action: Callable[[], int]
    if opening is not None:
        from tui.launch import launch

        demo, profile = opening
        action = partial(launch, demo=demo, profile=profile)
    else:
        startup_gc.resume(freeze=False)  # paused by tui.__main__ for the app's start only
        args = build_parser().parse_args(argv)
        action = partial(args.func, args)
    try:
        return int(action())
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except ConfigError as exc:
        print(f"smsdesk: {shown(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # the last line of defence: a sentence, never a traceback
        from tui.logs import log_exception

        where = log_exception(exc)
        print(f"smsdesk: {shown(exc, single_line=True)}. Details are in {where}.",
              file=sys.stderr)
        return 1
