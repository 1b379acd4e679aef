"""Where the app's bundled files (the .tcss styles) are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The wheel carries ``styles/`` as ``tui/styles`` (hatch force-include); a checkout has it
    at the top level, next to ``tui/``."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(
        "smsdesk's styles are missing (looked in tui/styles and styles/); reinstall smsdesk."
    )


# What the first screen (the Inbox's list) is drawn with; the other sheets (the Inbox's chat
# side and dialogs, the other sections) are read once the first frame is on the terminal:
# parsing them was ~7 ms of the cold start.
FIRST_SCREEN_STYLES = ("app.tcss", "inbox.tcss")


def style_paths() -> list[Path]:
    """Every stylesheet, app.tcss first so screen sheets can refine it."""
    return [*first_screen_style_paths(), *later_style_paths()]


def first_screen_style_paths() -> list[Path]:
    folder = styles_dir()
    return [folder / name for name in FIRST_SCREEN_STYLES]


def later_style_paths() -> list[Path]:
    """The other sections' and dialogs' sheets (each selects only its own screens' widgets)."""
    return sorted(p for p in styles_dir().glob("*.tcss") if p.name not in FIRST_SCREEN_STYLES)
