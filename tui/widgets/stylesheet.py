"""The app's stylesheet: parsed again only when its variables or sources have changed.

Textual parses every stylesheet a second time when a mode's first screen is shown (to pick up
a theme changed meanwhile). At start nothing has changed since the first parse a moment
before, and that second parse of every sheet and widget default was about a tenth of the
cold start. When the theme or a sheet does change, it parses as Textual always does.
"""

from __future__ import annotations

from typing import Any

from textual.css.stylesheet import Stylesheet


class ReusingStylesheet(Stylesheet):
    """``reparse`` keeps the rules it has when they came from the same CSS and variables."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed_from: tuple[dict[str, str], dict[Any, Any]] | None = None

    def parse(self) -> None:
        super().parse()
        self._parsed_from = (dict(self._variables), dict(self.source))

    def reparse(self) -> None:
        current = (self._variables, self.source)
        if not self._require_parse and self._parsed_from == current:
            self._rules_map = None
            return
        super().reparse()
        self._parsed_from = (dict(self._variables), dict(self.source))
