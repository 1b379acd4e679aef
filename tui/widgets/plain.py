"""Foreign text as Textual ``Content``: made safe by ``tui.safe_text``, never parsed as markup."""

from __future__ import annotations

from textual.content import Content

from tui.safe_text import shown


def plain(value: object, *, single_line: bool = False, limit: int | None = None,
          style: str = "") -> Content:
    """What the screen may show of ``value``: literal text with visible placeholders."""
    return Content.styled(shown(value, single_line=single_line, limit=limit), style)
