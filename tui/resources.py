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


def style_paths() -> list[Path]:
    """Every stylesheet, app.tcss first so screen sheets can refine it."""
    folder = styles_dir()
    rest = sorted(p for p in folder.glob("*.tcss") if p.name != "app.tcss")
    return [folder / "app.tcss", *rest]
