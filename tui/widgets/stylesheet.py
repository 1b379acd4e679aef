"""The app's stylesheet: parsed again only when its variables or sources have changed.

Textual parses every stylesheet a second time when a mode's first screen is shown (to pick up
a theme changed meanwhile), from scratch: the rules of every sheet and widget default again,
also when only a widget's default CSS was added meanwhile. At start nothing has changed but
those new widget defaults: this stylesheet parses only what is new (the other sources' rules
are kept), which was ~4 ms of the cold start (before it, the whole second parse was a tenth).
When the theme (the variables) changes, it parses everything as Textual always does.

Given ``saved`` (``tui.widgets.saved_styles``), a source's rules come from the previous
start's parse when its text, Textual and the theme are the same; what it parses meanwhile
is kept there to be saved (the app saves and lets go of it after the first frame).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

if TYPE_CHECKING:
    from tui.widgets.saved_styles import SavedStyles


class ReusingStylesheet(Stylesheet):
    """``reparse`` keeps the rules it has when they came from the same CSS and variables."""

    def __init__(self, *, variables: dict[str, str] | None = None,
                 saved: SavedStyles | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed_from: tuple[dict[str, str], dict[Any, Any]] | None = None
        self.saved = saved

    def stop_saving(self) -> None:
        """Write what ``saved`` holds now, and parse as Textual does from here on."""
        saved, self.saved = self.saved, None
        if saved is not None:
            saved.save()

    def _parse_rules(self, css: str, read_from: Any, is_default_rules: bool = False,
                     tie_breaker: int = 0, scope: str = "") -> list[RuleSet]:
        saved = self.saved
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if saved is None or key in self._parse_cache:
            return super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        rules = saved.rules(key, self._variables)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            saved.keep(key, rules, self._variables)
        else:
            self._parse_cache[key] = rules
        return rules

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
