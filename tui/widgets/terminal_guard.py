"""The last line of defence: no character that drives a terminal leaves a line of the screen.

Foreign text is made safe where it is shown (``tui.widgets.plain``), but Textual's own editors
(``Input``, ``TextArea``) draw whatever their value holds, and a missed path would write an ESC
or an 8-bit CSI to the terminal. Every line Textual writes passes ``Strip.render``; there,
control characters inside the text of a line are dropped before it becomes terminal output
(Textual's own escape sequences are generated from styles, never from text). Dropping keeps the
line exactly as wide as Textual measured it (it counts controls as zero cells).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

log = logging.getLogger("smsdesk.ui")

# C0 (tab and newline included: a line of the screen has neither), DEL and C1.
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_told = False


def _clean(strip: Strip) -> None:
    global _told
    segments: list[Segment] = strip._segments
    if not any(RAW_CONTROL.search(text) for text, _style, _control in segments):
        return
    strip._segments = [Segment(RAW_CONTROL.sub("", text), style, control)
                       for text, style, control in segments]
    if not _told:
        _told = True
        log.warning("a control character reached a screen line and was dropped (an editor's "
                    "value, or text that did not pass tui.safe_text)")


def install() -> None:
    """Guard ``Strip.render`` for the whole process (idempotent)."""
    original: Any = Strip.render
    if getattr(original, "smsdesk_guarded", False):
        return

    def render(self: Strip, console: Console) -> str:
        if self._render_cache is None:
            _clean(self)
        result: str = original(self, console)
        return result

    render.smsdesk_guarded = True  # type: ignore[attr-defined]
    Strip.render = render  # type: ignore[method-assign]
