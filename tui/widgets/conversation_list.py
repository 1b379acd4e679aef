"""The list of conversations: name or number, last text, time and unread badge, newest first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from rich.table import Table
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.sms.phones import display


class ConversationLine(Protocol):
    """What one row needs; the store's Conversation has these."""

    @property
    def phone(self) -> str: ...
    @property
    def display_name(self) -> str | None: ...
    @property
    def preview(self) -> str: ...
    @property
    def last_message_at(self) -> datetime | None: ...
    @property
    def unread_count(self) -> int: ...
    @property
    def opted_out(self) -> bool: ...


def _short_time(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if (today - local).days < 7:
        return local.strftime("%a")
    return local.strftime("%b %d")


def row(conversation: ConversationLine, now: datetime, title: str) -> Table:
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True)
    unread = conversation.unread_count
    name = Text(("● " if unread else "  ") + title,
                style="bold" if unread else "")
    if conversation.opted_out:
        name.append(" STOP", style="bold red")
    right = Text(_short_time(conversation.last_message_at, now), style="dim")
    if unread:
        right.append(f" {unread}", style="bold reverse")
    grid.add_row(name, right)
    preview = " ".join(conversation.preview.split())
    grid.add_row(Text("  " + preview, style="dim", no_wrap=True, overflow="ellipsis"), "")
    return grid


class ConversationList(OptionList):
    """OptionList renders only visible lines, so a thousand conversations stay instant."""

    def __init__(self, *, country: str = "US", id: str | None = None) -> None:
        super().__init__(id=id)
        self.country = country
        self._conversations: list[ConversationLine] = []

    def show(self, conversations: Sequence[ConversationLine], *, now: datetime) -> None:
        """Replace the rows, keeping the highlighted conversation where it is."""
        current = self.highlighted_phone
        self._conversations = list(conversations)
        self.set_options(
            Option(row(c, now, self._title(c)), id=c.phone) for c in self._conversations
        )
        if current is not None:
            self.highlight(current)

    def _title(self, conversation: ConversationLine) -> str:
        """The contact's name, else the number as people write it in this country."""
        if conversation.display_name:
            return conversation.display_name
        return display(conversation.phone, self.country)

    @property
    def highlighted_phone(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def highlight(self, phone: str) -> None:
        try:
            self.highlighted = self.get_option_index(phone)
        except OptionDoesNotExist:  # the conversation left this view (filtered out)
            return

    def next_unread(self, phone: str | None, *, forward: bool = True) -> str | None:
        """The next (or previous) conversation with unread texts, wrapping around."""
        phones = [c.phone for c in self._conversations]
        if not phones:
            return None
        start = phones.index(phone) if phone in phones else -1
        count = len(phones)
        step = 1 if forward else -1
        for offset in range(1, count + 1):
            candidate = self._conversations[(start + step * offset) % count]
            if candidate.unread_count and candidate.phone != phone:
                return candidate.phone
        return None
