"""Command palette entries for a screen's own keys, so every action is also a palette command."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import Hit, Hits, Provider

from tui.widgets.plain import highlighted


class ScreenKeys(Provider):
    """Every binding of the screen that has a description, runnable from the palette."""

    def _commands(self) -> list[tuple[str, str, str]]:
        found = []
        for binding in self.screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                key = binding.key_display or binding.key.split(",")[0]
                found.append((binding.description, binding.action, key))
        return found

    async def discover(self) -> Hits:
        for title, action, key in self._commands():
            yield Hit(1.0, title, partial(self.screen.run_action, action), help=f"key {key}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, action, key in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(title, matcher),
                          partial(self.screen.run_action, action), help=f"key {key}")
