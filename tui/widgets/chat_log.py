"""A conversation's history, chat style: inbound left, outbound right, newest at the bottom."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui.safe_text import shown
from tui.widgets.plain import drawn, not_shown_text

KEYWORD_BADGES = {"opt_out": "STOP", "opt_in": "START", "help": "HELP"}
STATE_MARKS = {
    "queued": ("◷ queued", "dim"),
    "sending": ("↑ sending", "yellow"),
    "sent": ("✓ sent", "dim"),
    "delivered": ("✓✓ delivered", "green"),
    "failed": ("✗ failed", "bold red"),
    "unclear": ("? maybe sent — ctrl+t to decide", "bold yellow"),
    "cancelled": ("discarded", "dim"),
}


class ChatMessage(Protocol):
    """What the log needs of a message, whether stored or still in the outbox."""

    @property
    def key(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def state(self) -> str | None: ...
    @property
    def detail(self) -> str | None: ...


def _when(moment: datetime, now: datetime) -> str:
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%b %d %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def bubble_text(message: ChatMessage, now: datetime) -> Text:
    text = Text(shown(message.body))
    meta = Text("\n")
    meta.append(_when(message.created_at, now), style="dim")
    if message.direction == "incoming":
        # After the first paint (start-up speed): the compliance rules load on first use.
        from tui.sms.compliance import classify_keyword

        keyword = classify_keyword(message.body)
        if keyword:
            meta.append(f"  [{KEYWORD_BADGES[keyword]}]", style="bold reverse")
    elif message.state:
        label, style = STATE_MARKS.get(message.state, (shown(message.state, limit=20), "dim"))
        meta.append(f"  {label}", style=style)
        if message.state == "failed" and message.detail:
            meta.append(f" — {shown(message.detail, single_line=True, limit=300)}", style="red")
        elif message.state == "unclear" and message.detail:
            meta.append(f"\n{shown(message.detail, limit=600)}", style="yellow")
    text.append_text(meta)
    return text


def bubble(message: ChatMessage, now: datetime) -> Text:
    """The bubble's text, or a one-line placeholder when it cannot be drawn (logged)."""
    return drawn("a chat bubble", lambda: bubble_text(message, now), not_shown_text())


class Bubble(Horizontal):
    """One message row; its class places the text left (-in) or right (-out)."""

    def __init__(self, message: ChatMessage, now: datetime) -> None:
        side = "-in" if message.direction == "incoming" else "-out"
        super().__init__(classes=f"bubble {side}")
        self.key = message.key
        self._text = Static(bubble(message, now), classes="bubble-text", markup=False)
        self.set_class(message.state == "failed", "-failed")

    def compose(self) -> ComposeResult:
        yield self._text

    def refresh_from(self, message: ChatMessage, now: datetime) -> None:
        self._text.update(bubble(message, now))
        self.set_class(message.state == "failed", "-failed")


class ChatLog(VerticalScroll):
    """Anchored to the newest message; scrolling to the top asks for older history."""

    @dataclass
    class NeedOlder(Message):
        """The person scrolled to the top: load the page before ``oldest``."""

        oldest: datetime

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self._messages: list[ChatMessage] = []
        self._asked_for: datetime | None = None

    def on_mount(self) -> None:
        self.anchor()

    @property
    def messages(self) -> list[ChatMessage]:
        return list(self._messages)

    async def show(self, messages: Sequence[ChatMessage], *, now: datetime) -> None:
        """Replace the whole history (oldest first) and stick to the bottom."""
        self._messages = list(messages)
        self._asked_for = None
        # Shielded: a newer reload cancels this one (an exclusive worker); cancelling the wait
        # would cancel the old bubbles' own tasks, which the app's loop waits for too: the app
        # stopped. The removal always runs to its end.
        await asyncio.shield(asyncio.ensure_future(self.remove_children()))
        await self.mount_all([Bubble(m, now) for m in self._messages])
        self.anchor()
        self.scroll_end(animate=False)

    async def upsert(self, message: ChatMessage, *, now: datetime) -> None:
        """A new message goes at the bottom; a known one (same key) is redrawn in place."""
        for index, known in enumerate(self._messages):
            if known.key == message.key:
                if known == message:  # unchanged: redrawing every bubble costs a frame
                    return
                self._messages[index] = message
                for bubble in self.query(Bubble):
                    if bubble.key == message.key:
                        bubble.refresh_from(message, now)
                return
        self._messages.append(message)
        await self.mount(Bubble(message, now))

    async def prepend(self, older: Sequence[ChatMessage], *, now: datetime) -> None:
        """Older history arrives at the top without moving what the person is reading."""
        if not older:
            return
        keys = {m.key for m in self._messages}
        fresh = [m for m in older if m.key not in keys]
        if not fresh:
            return
        self._messages = [*fresh, *self._messages]
        first = self.children[0] if self.children else None
        before_height = self.virtual_size.height
        await self.mount_all([Bubble(m, now) for m in fresh], before=first)
        self.call_after_refresh(self._keep_position, before_height)

    def _keep_position(self, before_height: int) -> None:
        grown = self.virtual_size.height - before_height
        if grown > 0:
            self.scroll_to(y=self.scroll_y + grown, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new <= 0 and self._messages and self.max_scroll_y > 0:
            oldest = self._messages[0].created_at
            if self._asked_for != oldest:
                self._asked_for = oldest
                self.post_message(self.NeedOlder(oldest))
