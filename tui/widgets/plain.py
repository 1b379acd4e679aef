"""Foreign text for widgets: safe Content, one-line fitting, and drawing that cannot crash the app.

Every string from outside reaches a widget through here (or through ``tui.safe_text.shown``
into a ``Text``/``Content``): never a bare ``str`` into ``Static``/``Label``/``update``, which
would parse it as markup. ``drawn`` contains an error while building one row, bubble or panel:
it is logged with its traceback and a placeholder is shown instead of taking the app down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.content import Content
from textual.fuzzy import Matcher

from tui.safe_text import shorten, shown

log = logging.getLogger("smsdesk.ui")

Drawing = TypeVar("Drawing", Text, Content)

NOT_SHOWN = "⚠ this could not be shown (details in the log)"
# Who to tell when drawing failed (the app shows a one-line notice); set by the app.
draw_failure_listeners: list[Callable[[str], None]] = []


def plain(value: object, *, single_line: bool = False, limit: int | None = None,
          style: str = "") -> Content:
    """What the screen may show of ``value``: literal text with visible placeholders."""
    return Content.styled(shown(value, single_line=single_line, limit=limit), style)


def fit(value: object, width: int) -> str:
    """``value`` safe and on one line, at most ``width`` cells, ending in ``…`` when cut.

    Cuts by cells (wide CJK and emoji count two), never inside an emoji sequence.
    """
    width = max(1, width)
    # A 10,000-character name is cleaned only as far as it could possibly be shown.
    text = shown(value, single_line=True, limit=width + 1)
    if cell_len(text) <= width:
        return text
    used, index = 0, 0
    for index, char in enumerate(text):  # noqa: B007 - the index where the room runs out
        used += get_character_cell_size(char)
        if used > width - 1:
            break
    return shorten(text, index + 1)


def highlighted(value: object, matcher: Matcher, *, limit: int = 200) -> Content:
    """``value`` as plain Content with the fuzzy matches lit. Textual's ``Matcher.highlight``
    parses its candidate as markup, so a title like ``[/b]`` would crash it."""
    text = shown(value, single_line=True, limit=limit)
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def drawn(what: str, build: Callable[[], Drawing], fallback: Drawing) -> Drawing:
    """``build()``, or ``fallback`` when it fails: one broken row never takes the app down."""
    try:
        return build()
    except Exception:
        log.exception("could not draw %s", what)
        for listener in draw_failure_listeners:
            listener(what)
        return fallback


def not_shown_text() -> Text:
    """The placeholder a row or bubble shows when drawing it failed."""
    return Text(NOT_SHOWN, style="italic red")
