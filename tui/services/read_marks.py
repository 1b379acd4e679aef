"""Marking a conversation read or unread: the store at once, then ``PUT /messages/{id}``."""

from __future__ import annotations

import contextlib

from tui.api.client import MobinitiClient
from tui.api.errors import NotFound
from tui.api.models import MessageUpdate
from tui.api.rate import Priority
from tui.store import AsyncStore


class ReadMarks:
    """Optimistic: the list updates before the server answers; a failure puts it back."""

    def __init__(self, client: MobinitiClient, store: AsyncStore) -> None:
        self.client = client
        self.store = store

    async def mark_read(self, phone: str) -> int:
        """Mark every unread text of ``phone`` read; returns how many. Raises ``ApiError``."""
        ids = await self.store.mark_conversation_read(phone)
        done: set[str] = set()
        try:
            for message_id in ids:
                # A text deleted on the server has nothing left to mark.
                with contextlib.suppress(NotFound):
                    await self.client.update_message(
                        message_id, MessageUpdate(read=True), priority=Priority.INTERACTIVE
                    )
                done.add(message_id)
        except BaseException:
            await self.store.set_messages_read([i for i in ids if i not in done], False)
            raise
        return len(ids)

    async def mark_unread(self, phone: str) -> bool:
        """Put the newest inbound text back to unread; False when there is none."""
        message_id = await self.store.mark_conversation_unread(phone)
        if message_id is None:
            return False
        try:
            await self.client.update_message(
                message_id, MessageUpdate(read=False), priority=Priority.INTERACTIVE
            )
        except BaseException:
            await self.store.set_messages_read([message_id], True)
            raise
        return True
