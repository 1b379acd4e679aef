"""The reply box: Enter sends, a configurable key adds a newline (no Ctrl+Enter in terminals)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class ReplyBox(TextArea):
    """A TextArea that grows with its text; posts ``Send`` on Enter instead of a newline."""

    @dataclass
    class Send(Message):
        """The person pressed Enter with this text."""

        reply_box: ReplyBox
        text: str

    def __init__(self, *, newline_key: str = "ctrl+j", id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.newline_key = newline_key
        self.placeholder = f"Type a reply — Enter sends, {newline_key} adds a new line"

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            if self.text.strip():
                self.post_message(self.Send(self, self.text))
            return
        if event.key == self.newline_key:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)
        # Anything else falls through: Textual then calls TextArea._on_key (handlers run per
        # class along the MRO until one prevents the default).
