"""The ``smsdesk`` parser: argparse with ``--help`` everywhere and errors on one line."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn, cast

from tui import __version__
from tui.cli import COMMAND_MODULES


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error instead of a usage dump (exit code 2 as usual)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


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
