"""The inbox's verbs on one conversation: open it, page back, reply (and decide about a failed or
unclear reply), mark it read, flag it, or start a new one. What ``Desk`` forwards to (no Textual).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from tui.config import Profile
from tui.conversation_view import (
    ChatItem,
    ConversationView,
    ReplyRefused,
    build_view,
    chat_item,
    check_reply,
)
from tui.desk_events import MarkResult
from tui.store import AsyncStore, StoreError

if TYPE_CHECKING:  # light to import: the inbox may use it before the services are built
    from tui.services.inbox import InboxPoller
    from tui.services.new_conversation import Recipient
    from tui.services.outbox import Outbox

PAGE = 50


class Conversations:
    """``outbox`` and ``inbox`` wait for the desk's services; ``changed`` tells the screens that
    these conversations changed; ``unread_changed`` recounts the unread texts."""

    def __init__(
        self,
        store: AsyncStore,
        profile: Profile,
        *,
        outbox: Callable[[], Awaitable[Outbox]],
        inbox: Callable[[], Awaitable[InboxPoller]],
        changed: Callable[[frozenset[str]], None],
        unread_changed: Callable[[], Awaitable[None]],
        now: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.profile = profile
        self._outbox = outbox
        self._inbox = inbox
        self._changed = changed
        self._unread_changed = unread_changed
        self.now = now

    async def view(self, phone: str) -> ConversationView:
        conversation = await self.store.conversation(phone)
        contact = await self.store.contact_by_phone(phone)
        newest_first = await self.store.messages_for(phone, before=None, limit=PAGE)
        return build_view(
            phone,
            conversation,
            contact,
            list(reversed(newest_first)),
            region=self.profile.default_country,
            now=self.now(),
            window=self.profile.quiet_hours.window,
        )

    async def older_messages(self, phone: str, *, before: datetime) -> list[ChatItem]:
        newest_first = await self.store.messages_for(phone, before=before, limit=PAGE)
        return [chat_item(m) for m in reversed(newest_first)]

    async def send_reply(self, phone: str, text: str) -> None:
        """Into the outbox (written before it is posted); ``ReplyRefused`` when it must not go."""
        check_reply(text)
        outbox = await self._outbox()
        from tui.services.outbox import SendRefused
        try:
            contact = await self.store.contact_by_phone(phone)
            # The reply box's text: its draft goes with the queueing (a kill in between must not
            # leave it in the box to be sent again).
            await outbox.enqueue(phone, text, contact_id=contact.id if contact else None,
                                 replaces_draft=True)
        except SendRefused as refused:
            raise ReplyRefused(str(refused)) from None
        except StoreError as trouble:
            # Not written to the outbox means not sent: the text stays in the reply box.
            raise ReplyRefused(f"Not sent, and still in the reply box: {trouble}") from None

    async def retry_reply(self, key: str) -> None:
        await (await self._outbox()).retry(key)

    async def discard_reply(self, key: str) -> None:
        await (await self._outbox()).discard(key)

    async def confirm_reply_sent(self, key: str) -> None:
        await (await self._outbox()).confirm_sent(key)

    async def send_reply_again(self, key: str) -> None:
        await (await self._outbox()).send_again(key)

    async def set_read(self, phone: str, *, read: bool) -> MarkResult:
        """Mark a conversation read or unread here and on the server."""
        from tui.api.errors import ApiError
        from tui.services.read_marks import MarkDeferred

        inbox = await self._inbox()
        try:
            if read:
                await inbox.mark_read(phone)
            else:
                await inbox.mark_unread(phone)
        except MarkDeferred as later:
            return MarkResult(str(later), refused=False)
        except (ApiError, StoreError) as exc:
            return MarkResult(str(exc), refused=True)
        finally:
            await self._unread_changed()
        return MarkResult()

    async def find_recipients(self, typed: str) -> list[Recipient]:
        from tui.services.new_conversation import find_recipients

        return await find_recipients(self.store, typed, region=self.profile.default_country)

    async def start_conversation(self, phone: str) -> Recipient:
        from tui.services.new_conversation import start

        who = await start(self.store, phone, region=self.profile.default_country, at=self.now())
        self._changed(frozenset({who.phone}))
        return who

    async def set_triage(self, phone: str, triage: str | None) -> None:
        await self.store.set_triage(phone, triage, at=self.now())
        self._changed(frozenset({phone}))
