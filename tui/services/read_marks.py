"""Marking a conversation read or unread: the store at once, then ``PUT /messages/{id}``.

When the server cannot be reached the mark stays as the person made it and waits in the store
(``pending_read_marks``); the poller sends it with ``flush()`` once the server answers again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from tui.api.client import MobinitiClient
from tui.api.errors import (
    ApiError,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    UnreadableResponse,
)
from tui.api.models import MessageUpdate
from tui.api.rate import Priority
from tui.store import AsyncStore

log = logging.getLogger("smsdesk.inbox")

# Failures that say "not now" rather than "no": the mark waits and is sent later.
NOT_NOW = (TransportError, ServerError, RateLimited, UnreadableResponse)


class MarkDeferred(Exception):
    """The mark is kept here and will reach the server when it answers; the text says so."""


class ReadMarks:
    """Optimistic: the list updates before the server answers; a refusal puts it back."""

    def __init__(self, client: MobinitiClient, store: AsyncStore) -> None:
        self.client = client
        self.store = store

    async def mark_read(self, phone: str) -> int:
        """Mark every unread text of ``phone`` read; returns how many.

        Raises ``MarkDeferred`` (kept, sent later) or ``ApiError`` (refused, put back)."""
        ids = await self.store.mark_conversation_read(phone)
        await self._put(ids, read=True)
        return len(ids)

    async def mark_unread(self, phone: str) -> bool:
        """Put the newest inbound text back to unread; False when there is none."""
        message_id = await self.store.mark_conversation_unread(phone)
        if message_id is None:
            return False
        await self._put([message_id], read=False)
        return True

    async def _put(self, ids: Sequence[str], *, read: bool) -> None:
        if not ids:
            return
        # This wish is the newest: an older one still waiting must not undo it later.
        await self.store.forget_read_marks(ids)
        for n, message_id in enumerate(ids):
            try:
                await self.client.update_message(
                    message_id, MessageUpdate(read=read), priority=Priority.INTERACTIVE
                )
            except NotFound:  # deleted on the server: nothing left to mark
                continue
            except NOT_NOW as exc:
                await self.store.queue_read_marks(ids[n:], read)
                raise MarkDeferred(
                    f"Marked {'read' if read else 'unread'} here. {exc.message}: smsdesk tells "
                    "the server as soon as it answers again."
                ) from exc
            except BaseException:
                await self.store.set_messages_read(ids[n:], not read)
                raise

    async def flush(self) -> int:
        """Send the marks made while offline; returns how many reached the server."""
        sent = 0
        for message_id, read in await self.store.pending_read_marks():
            try:
                await self.client.update_message(
                    message_id, MessageUpdate(read=read), priority=Priority.BACKGROUND
                )
            except NotFound:
                pass
            except NOT_NOW:
                return sent  # still unreachable: the next good poll tries again
            except ApiError as exc:  # refused for good: keep it local, do not retry forever
                log.warning("read mark of %s refused: %s", message_id, exc)
            else:
                sent += 1
            await self.store.forget_read_mark(message_id, read)
        return sent
