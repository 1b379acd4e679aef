"""The app's stylesheet: parsed again only when its variables or sources have changed.

Textual parses every stylesheet a second time when a mode's first screen is shown (to pick up
a theme changed meanwhile), from scratch: the rules of every sheet and widget default again,
also when only a widget's default CSS was added meanwhile. At start nothing has changed but
those new widget defaults: this stylesheet parses only what is new (the other sources' rules
are kept), which was ~4 ms of the cold start (before it, the whole second parse was a tenth).
When the theme (the variables) changes, it parses everything as Textual always does.
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

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._variables:  # the same theme: every parsed rule stays right
            return
        super().set_variables(variables)

    def reparse(self) -> None:
        if self._parsed_from is None or self._parsed_from[0] != self._variables:
            super().reparse()  # new variables: everything again, as Textual does
            self._parsed_from = (dict(self._variables), dict(self.source))
        elif self._require_parse or self._parsed_from[1] != self.source:
            self.parse()  # only new or changed sources are parsed; the others' rules are cached
        else:
            self._rules_map = None
