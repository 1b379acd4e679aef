"""The ``smsdesk`` command line: one argparse parser, ``--help`` everywhere, errors on one line."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn, cast

from tui import __version__, startup_gc
from tui.config import ConfigError
from tui.safe_text import shown


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error instead of a usage dump (exit code 2 as usual)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# Each module under tui/cli/ adds its sub-commands with ``register(subparsers)``.
COMMAND_MODULES = (
    "config_cmd", "sandbox_cmd", "webhooks_cmd", "events_cmd", "send_cmd", "campaign_cmd",
    "scheduled_cmd", "contacts_cmd", "optin_cmd",
)


def build_parser(commands: tuple[str, ...] = COMMAND_MODULES) -> Parser:
    parser = Parser(
        prog="smsdesk",
        description="Answer texts, manage subscribers and campaigns on Mobiniti, in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"smsdesk {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="run on the built-in sandbox with demo data"
    )
    parser.add_argument("--profile", metavar="NAME", help="account profile from the config file")
    parser.add_argument(
        "--shape", choices=("default", "php"), default=None,
        help="with --demo: the sandbox answers in our JSON (default) or as a Laravel/Fractal "
             "server would (php: [] for {}, bare resources, wrapped includes, 10-digit numbers)",
    )
    parser.set_defaults(func=_run_app)
    # Sub-commands get the same one-line errors (parser_class=Parser).
    subparsers = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser),
    )
    for name in commands:
        importlib.import_module(f"tui.cli.{name}").register(subparsers)
    return parser


def _run_app(args: argparse.Namespace) -> int:
    from tui.launch import launch

    if args.shape is not None and not args.demo:
        print("smsdesk: --shape only applies to --demo (the sandbox); a real account answers "
              "in its own shape. Try: smsdesk --demo --shape php", file=sys.stderr)
        return 2
    return launch(demo=bool(args.demo), profile=args.profile, shape=args.shape or "default")


def _starts_the_app(argv: list[str]) -> bool:
    """Only ``--demo`` / ``--profile NAME``: the app, and no command module is needed."""
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--profile" and rest:
            rest.pop(0)
        elif arg != "--demo" and not arg.startswith("--profile="):
            return False  # a command, --help, --version or a mistake: the full parser
    return True


def run(argv: list[str]) -> int:
    # Start-up speed: opening the app does not import every command's module.
    starts_the_app = _starts_the_app(argv)
    if not starts_the_app:
        startup_gc.resume(freeze=False)  # paused by tui.__main__ for the app's start only
    parser = build_parser(() if starts_the_app else COMMAND_MODULES)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
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
