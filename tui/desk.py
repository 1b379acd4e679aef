"""The desk: one profile's client, store and services, started together and heard as events.

The UI listens (``listen``) and calls the few verbs here; it never builds a request. No Textual.
Start-up speed: the inbox is drawn from the store alone; the services are imported on a thread
and built after the first paint (``tui.desk_start``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui import startup_gc
from tui.config import Profile
from tui.desk_events import (
    CampaignProgressed,
    ContactsChanged,
    ConversationChanged,
    DeskEvent,
    EventsArrived,
    Listener,
    MarkResult,
    OutboxChanged,
    StatusChanged,
)
from tui.desk_start import FirstPaint, Services, build_services
from tui.desk_status import StatusFeed
from tui.store import AsyncStore, OutboxItem, StoreError

__all__ = [
    "CampaignProgressed", "ContactsChanged", "ConversationChanged", "Desk", "DeskEvent",
    "EventsArrived", "Listener", "MarkResult", "OutboxChanged", "Services", "StatusChanged",
]

if TYPE_CHECKING:
    from tui.api.client import MobinitiClient
    from tui.conversation_view import ChatItem, ConversationView
    from tui.services.campaign_sections import CampaignSections
    from tui.services.campaigns import Campaigns
    from tui.services.contacts import ContactBook
    from tui.services.conversations import Conversations
    from tui.services.events import EventFeed, EventsApplied
    from tui.services.groups import GroupBook
    from tui.services.inbox import InboxPoller, InboxUpdate
    from tui.services.new_conversation import Recipient
    from tui.services.outbox import Outbox
    from tui.services.scheduled import ScheduledTexts
    from tui.services.sync import ContactSync, SyncProgress

log = logging.getLogger("smsdesk.desk")


# Builds the client (and, for the demo, the sandbox behind it): called after the first paint.
Connect = Callable[[], "tuple[MobinitiClient, Any | None]"]


class Desk:
    """Owns the long-running tasks; ``attach`` starts them on the running loop."""

    def __init__(
        self,
        *,
        profile_name: str,
        profile: Profile,
        store: AsyncStore,
        connect: Connect,
        preload: tuple[str, ...] = (),
        autostart: bool = True,
        inbox_options: Mapping[str, Any] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.profile_name = profile_name
        self.profile = profile
        self.store = store
        self.autostart = autostart
        self.now = now
        self.keymap = dict(profile.keymap)
        self.focused_phone: str | None = None
        # The first run's history: None (not started or not needed), True, then False when in.
        self.catching_up: bool | None = None
        self.app_focused = True
        self._connect = connect
        self._preload = preload
        self._inbox_options = dict(inbox_options or {})
        self._services: Services | None = None
        self.events: EventFeed | None = None  # provider events; set once connected
        self._connected = asyncio.Event()
        self._listeners: list[Listener] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._sections: CampaignSections | None = None
        self._conversations: Conversations | None = None
        self._start = FirstPaint()
        self._contact_book: ContactBook | None = None
        self._group_book: GroupBook | None = None
        self.status = StatusFeed(store, self._emit,
                                 lambda: self._services.client if self._services else None)

    async def services(self) -> Services:
        """The client and services, waiting for them if start-up has not built them yet."""
        await self._connected.wait()
        assert self._services is not None
        return self._services

    def headroom(self) -> str:
        """Rate-limit headroom for the status bar ("" until connected)."""
        return self.status.headroom()

    def painted(self) -> None:
        """The first screen is on the terminal: background start-up may begin."""
        self._start.painted()

    @property
    def is_painted(self) -> bool:
        return self._start.is_painted

    async def view_modules(self) -> None:
        """What a conversation view needs, imported once on a thread after the first paint."""
        await self._start.view_modules()

    # --- wiring ------------------------------------------------------------------------

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _emit(self, event: DeskEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one broken listener must not stop the others
                log.exception("desk listener failed")

    def attach(self, host: object | None = None) -> None:
        """Start the services on the running event loop (the app's). With a ``host`` (the
        app) they wait for its first paint; without one (a headless verb) they start now."""
        if host is None:
            self.painted()
        self._spawn(self._start_services())

    def _store_trouble(self, trouble: StoreError) -> None:
        self._emit(StatusChanged({"notice": str(trouble)}))

    async def _start_services(self) -> None:
        self.store.on_trouble = self._store_trouble
        if self.store.notice:
            self._emit(StatusChanged({"notice": self.store.notice}))
        await self._refresh_unread()
        await self.status.refresh_outbox_counts()
        await self.view_modules()  # waits for the first paint
        services = self._services = await build_services(self)
        from tui.services.events import EventFeed

        self.events = EventFeed(self.store, on_applied=self._events_applied, now=self.now)
        # What start-up loaded after the paint (httpx, pydantic models, phone metadata) lives
        # as long as the app: out of the collector's sight, full collections stay short.
        startup_gc.freeze_long_lived()
        self._connected.set()
        self._emit(StatusChanged({"headroom": self.headroom()}))
        if not self.autostart:
            return
        if services.sandbox is not None:
            await services.sandbox.start()
        self._spawn(services.outbox.run())
        self._spawn(self._resume_campaign_sends())
        self._spawn(services.inbox.run())
        self._spawn(self.events.watch())
        self._spawn(self._sync_contacts(services.contact_sync))

    async def _campaign_sections(self) -> CampaignSections:
        if self._sections is None:
            from tui.services.campaign_sections import CampaignSections

            services = await self.services()
            if self._sections is None:  # another caller may have built it meanwhile
                self._sections = CampaignSections(
                    services.client, self.store, self.profile, services.outbox,
                    on_progress=lambda p: self._emit(CampaignProgressed(p)), now=self.now)
        return self._sections

    async def campaigns(self) -> Campaigns:
        """The campaign service (built on first use: most sessions never open it)."""
        return (await self._campaign_sections()).campaigns

    async def scheduled(self) -> ScheduledTexts:
        return (await self._campaign_sections()).scheduled

    async def _resume_campaign_sends(self) -> None:
        """A send, or a scheduled text's saving, cut off last time (quit, crash) goes on."""
        from tui.store.scheduled_intents import cut_off_last_time

        if await self.store.call(cut_off_last_time, self.store.sync):
            await (await self._campaign_sections()).resume_unfinished()

    async def _sync_contacts(self, sync: ContactSync) -> None:
        """Mirror contacts and groups (background priority) so names and search are local."""
        from tui.api.errors import ApiError

        try:
            await sync.keep_fresh()
        except ApiError as exc:
            log.info("contact sync stopped: %s", exc)
            self._emit(StatusChanged({"sync": "contacts sync stopped (see the log)"}))
            return
        self._emit(ConversationChanged(frozenset()))

    def _sync_progress(self, progress: SyncProgress) -> None:
        self._emit(StatusChanged({"sync": progress.label}))
        self._emit(ContactsChanged(progress.kind))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.append(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("background task stopped", exc_info=task.exception())

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        services = self._services
        if services is not None:
            if services.sandbox is not None:
                with contextlib.suppress(Exception):
                    await services.sandbox.stop()
            await services.client.aclose()
        await self.store.close()

    # --- service callbacks -------------------------------------------------------------

    def _inbox_updated(self, update: InboxUpdate) -> None:
        self._spawn(self._announce_update(update))

    async def _announce_update(self, update: InboxUpdate) -> None:
        if update.catch_up:
            self._catch_up_progress(update)
        # History (first run) and texts older than a couple of minutes (from while smsdesk
        # was closed) are shown as unread, not announced.
        texts = () if update.catch_up else update.new_inbound
        inbound = await self._fresh_texts((m.phone, m.body, m.created_at) for m in texts)
        self._emit(ConversationChanged(frozenset(update.changed_phones), inbound))
        await self._refresh_unread()

    def _catch_up_progress(self, update: InboxUpdate) -> None:
        progress = update.progress
        self.catching_up = progress is not None
        shown = None
        if progress is not None:
            shown = (progress.texts, progress.total_texts, progress.conversations)
        self._emit(StatusChanged({"catch_up": shown}))

    def _events_applied(self, applied: EventsApplied) -> None:
        self._emit(EventsArrived(applied.events))
        if applied.changed_phones:
            self._spawn(self._announce_events(applied))

    async def _announce_events(self, applied: EventsApplied) -> None:
        inbound = await self._fresh_texts(applied.new_inbound)
        self._emit(ConversationChanged(applied.changed_phones, inbound))
        await self._refresh_unread()

    async def _fresh_texts(self, texts: Iterable[tuple[str, str, datetime]]
                           ) -> tuple[tuple[str, str, str], ...]:
        """(phone, who, text) of the texts worth a toast: those of the last couple of minutes."""
        from tui.services.announcements import fresh_texts

        return await fresh_texts(self.store, texts, now=self.now(),
                                 open_phone=self.focused_phone, display=self.display)

    async def event_feed(self) -> EventFeed:
        """The provider events service, waiting for start-up if needed."""
        await self._connected.wait()
        assert self.events is not None
        return self.events

    def _outbox_changed(self, item: OutboxItem) -> None:
        if item.kind == "single":  # a batch (campaign) belongs to no conversation
            self._emit(OutboxChanged(item.phone, item.key, item.state, item.last_error))
        self._spawn(self.status.refresh_outbox_counts())

    async def _refresh_unread(self) -> None:
        await self.status.refresh_unread()

    # --- verbs for the UI --------------------------------------------------------------

    async def client(self) -> MobinitiClient:
        return (await self.services()).client

    def contact_book(self) -> ContactBook:
        """The Contacts section's service (reads the store at once; changes wait to connect)."""
        if self._contact_book is None:
            from tui.services.contacts import ContactBook

            self._contact_book = ContactBook(self.store, self.client,
                                             region=self.profile.default_country, now=self.now)
        return self._contact_book

    def group_book(self) -> GroupBook:
        if self._group_book is None:
            from tui.services.groups import GroupBook

            self._group_book = GroupBook(self.store, self.client)
        return self._group_book

    def contacts_changed(self, kind: str = "contacts") -> None:
        """A section changed the cache: every list of it redraws."""
        self._emit(ContactsChanged(kind))

    def focus_conversation(self, phone: str | None) -> None:
        """The poller polls faster while a conversation is open."""
        self.focused_phone = phone
        if self._services is not None:  # else set when the services are built
            self._services.inbox.set_focus(phone)

    def focus_app(self, focused: bool) -> None:
        """The terminal gave the app its focus or took it: the poller runs full pace or slower."""
        self.app_focused = focused
        if self._services is not None:
            self._services.inbox.set_app_focus(focused)

    def display(self, phone: str) -> str:
        from tui.sms.phones import display

        return display(phone, self.profile.default_country)

    def _conversation_verbs(self) -> Conversations:
        if self._conversations is None:
            from tui.services.conversations import Conversations

            async def outbox() -> Outbox:
                return (await self.services()).outbox

            async def inbox() -> InboxPoller:
                return (await self.services()).inbox

            self._conversations = Conversations(
                self.store, self.profile, outbox=outbox, inbox=inbox,
                changed=lambda phones: self._emit(ConversationChanged(phones)),
                unread_changed=self._refresh_unread, now=self.now)
        return self._conversations

    async def conversation(self, phone: str) -> ConversationView:
        await self.view_modules()
        return await self._conversation_verbs().view(phone)

    async def older_messages(self, phone: str, *, before: datetime) -> list[ChatItem]:
        return await self._conversation_verbs().older_messages(phone, before=before)

    async def send_reply(self, phone: str, text: str) -> None:
        """Into the outbox (written before it is posted); ``ReplyRefused`` when it must not go."""
        await self._conversation_verbs().send_reply(phone, text)

    async def retry_reply(self, key: str) -> None:
        await self._conversation_verbs().retry_reply(key)

    async def discard_reply(self, key: str) -> None:
        await self._conversation_verbs().discard_reply(key)

    async def confirm_reply_sent(self, key: str) -> None:
        """An unclear reply: the person says it went out (nothing is posted)."""
        await self._conversation_verbs().confirm_reply_sent(key)

    async def send_reply_again(self, key: str) -> None:
        """An unclear reply: the person says it did not go out; send it again."""
        await self._conversation_verbs().send_reply_again(key)

    async def set_read(self, phone: str, *, read: bool) -> MarkResult:
        """Mark a conversation read or unread here and on the server."""
        return await self._conversation_verbs().set_read(phone, read=read)

    async def find_recipients(self, typed: str) -> list[Recipient]:
        """For a new conversation: the number as typed and the contacts that match."""
        return await self._conversation_verbs().find_recipients(typed)

    async def start_conversation(self, phone: str) -> Recipient:
        """Open a conversation with anyone who may be texted; raises ``CannotText``."""
        return await self._conversation_verbs().start_conversation(phone)

    async def set_triage(self, phone: str, triage: str | None) -> None:
        """Flag the conversation done or needs reply (None: no flag); kept on this machine."""
        await self._conversation_verbs().set_triage(phone, triage)
