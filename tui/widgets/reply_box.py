"""The reply box: Enter sends, a configurable key adds a newline (no Ctrl+Enter in terminals)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import TextArea

# Keys that write in a box; a blocked box swallows them (with a bell) like typed letters.
WRITING_KEYS = frozenset({"enter", "backspace", "delete"})
BLOCKED_PLACEHOLDER = "Replies blocked · Tab goes back"


class ReplyBox(TextArea):
    """A TextArea that grows with its text; posts ``Send`` on Enter instead of a newline."""

    @dataclass
    class Send(Message):
        """The person pressed Enter with this text."""

        reply_box: ReplyBox
        text: str

    class Leave(Message):
        """Tab (or shift+tab) in the box: back to the conversation list."""

    # Why replies cannot go now (opted out…); the box says it instead of "Type a reply".
    # A blocked box stays focusable (Tab reaches it and it says why) but read-only, and it
    # swallows typed letters: they must not fall through to the list's keys (u, d, f…).
    blocked: reactive[str | None] = reactive(None)

    def __init__(self, *, newline_key: str = "ctrl+j", id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.newline_key = newline_key
        self.placeholder = self._invitation()

    def _invitation(self) -> str:
        """The longest wording that fits the box (at 60 columns the full one was cut)."""
        room = self.content_region.width or 80
        for wording in (f"Type a reply — Enter sends, {self.newline_key} adds a new line",
                        f"Type a reply · Enter sends · {self.newline_key}: new line",
                        "Type a reply · Enter sends"):
            if len(wording) <= room:
                return wording
        return "Enter sends"

    def on_resize(self) -> None:
        if not self.blocked:
            self.placeholder = self._invitation()

    def watch_blocked(self, reason: str | None) -> None:
        self.read_only = bool(reason)
        self.set_class(bool(reason), "-blocked")
        # The notice above the box says why; the box only that nothing goes from here.
        self.placeholder = (BLOCKED_PLACEHOLDER if reason else self._invitation())

    def send(self) -> None:
        if self.text.strip() and not self.blocked:
            self.post_message(self.Send(self, self.text))

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("tab", "shift+tab"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Leave())
            return
        if self.blocked and (event.is_printable or event.key in WRITING_KEYS
                             or event.key == self.newline_key):
            # Nothing can be written here; a letter must not run a list or screen key.
            event.stop()
            event.prevent_default()
            self.app.bell()
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.send()
            return
        if event.key == self.newline_key:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)
        # Anything else falls through: Textual then calls TextArea._on_key (handlers run per
        # class along the MRO until one prevents the default).
