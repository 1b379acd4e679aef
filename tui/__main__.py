"""Entry point: ``smsdesk`` and ``python -m tui``."""

from __future__ import annotations

import sys

from tui import startup_gc


def main(argv: list[str] | None = None) -> int:
    # The app turns the collector back on once its first screen is drawn; a command at once.
    startup_gc.pause()
    from tui.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
