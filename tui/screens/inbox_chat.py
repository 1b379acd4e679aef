"""The Inbox's chat side: the open conversation's log, its reply box and meter, the drafts.

Imported and mounted once the first frame is on the terminal (the first frame draws the list;
these widgets and their modules held a fifth of it), or at once when the person reaches for
them before that. ``InboxScreen`` forwards its chat messages here.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Static

from tui.conversation_view import ReplyRefused
from tui.safe_text import typed
from tui.store import StoreError
from tui.widgets.chat_log import ChatLog
from tui.widgets.contact_panel import ContactPanel
from tui.widgets.plain import plain
from tui.widgets.reply_box import ReplyBox
from tui.widgets.segment_meter import SegmentMeter

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from tui.screens.inbox import InboxScreen

DRAFT_SAVE_DELAY = 0.3


class ChatPane:
    """The chat side of one Inbox screen; built (and its widgets mounted) once."""

    def __init__(self, screen: InboxScreen) -> None:
        self.screen = screen
        self.log = ChatLog(id="chat-log")
        self.reply = ReplyBox(id="reply", newline_key=screen.desk.profile.newline_key)
        self.meter = SegmentMeter(id="segment-meter")
        self.blocked = Static(id="reply-blocked", markup=False)
        self.mounted = screen.query_one("#inbox-chat").mount(
            self.log, self.blocked, self.reply, self.meter
        )
        self.meter.show("")
        self._draft_timer: Timer | None = None
        self._unsaved: tuple[str, str] | None = None  # (phone, text) typed, not yet stored
        # The texts the box held for conversations just left, until stored as their drafts;
        # and whose draft the box was filled with (an empty box then means "no draft").
        self._left: dict[str, str] = {}
        self._filled_for: str | None = None

    async def show_open_conversation(self) -> None:
        """Once mounted: the conversation the screen has open (what ``watch_phone`` left)."""
        await self.mounted
        if not self.screen._app_closing:
            await self.fill(self.screen.phone)

    async def fill(self, new: str | None) -> None:
        """The reply box (with its draft), the meter and the conversation of ``new``. The box
        was emptied when the conversation changed (``leave``): letters in it now were typed
        for ``new`` (Enter, then straight away the reply) and stay."""
        screen, reply = self.screen, self.reply
        if new:
            draft = None
            with contextlib.suppress(StoreError):
                draft = await screen.desk.store.get_draft(new)
            if screen._app_closing:
                return
            # Typed while the draft was read (Tab, then straight away letters): keep those.
            if screen.phone == new and not reply.text:
                reply.text = typed(draft or "")
                reply.move_cursor(reply.document.end)
            if screen.phone == new:
                self._filled_for = new
        self.meter.show(reply.text)
        screen.reload_conversation(mark_read=screen._auto_opened != new)

    async def reload(self, mark_read: bool) -> None:
        """The open conversation again from the store: title, panel, bubbles, blocked."""
        screen = self.screen
        phone = screen.phone
        screen.set_class(phone is None, "-no-conversation")
        if phone is None:
            screen._conversation = None
            screen.query_one("#chat-title", Static).update(plain(screen.TITLE))
            screen._show_empty()
            await self.log.show([], now=screen.desk.now())
            self.show_blocked(None)
            screen.refresh_bindings()
            return
        try:
            view = await screen.desk.conversation(phone)
        except StoreError:  # the store already told the person; keep what is shown
            return
        if phone != screen.phone or screen._app_closing:
            return
        screen._conversation = view
        screen._show_title(view)
        # The panel with the title, before the chat's bubbles are awaited: never a mismatch.
        screen.query_one(ContactPanel).show(view)
        log, now = self.log, screen.desk.now()
        known = {m.key for m in log.messages}
        if known and known <= {m.key for m in view.messages} and log.messages[0].key == (
            view.messages[0].key if view.messages else None
        ):
            for message in view.messages:
                await log.upsert(message, now=now)
        else:
            await log.show(view.messages, now=now)
        self.show_blocked(view.blocked_reason)
        screen.refresh_bindings()
        # Read once the person opened it (not when a search, filter or start showed it).
        if view.unread and (mark_read or screen._auto_opened != phone):
            screen._mark(phone, read=True)

    def show_blocked(self, reason: str | None) -> None:
        self.blocked.update(plain(reason or ""))
        self.blocked.display = bool(reason)
        self.reply.blocked = reason

    async def load_older(self, event: ChatLog.NeedOlder) -> None:
        screen = self.screen
        if screen.phone is None:
            return
        older = await screen.desk.older_messages(screen.phone, before=event.oldest)
        await self.log.prepend(older, now=screen.desk.now())

    # --- replying ----------------------------------------------------------------------

    async def send(self, event: ReplyBox.Send) -> None:
        screen = self.screen
        if screen.phone is None:
            return
        phone, text = screen.phone, event.text
        try:
            await screen.desk.send_reply(phone, text)
        except ReplyRefused as refused:
            screen.notify(str(refused), title="Not sent", severity="error", timeout=8,
                          markup=False)
            return
        screen._auto_opened = None
        event.reply_box.text = ""
        with contextlib.suppress(StoreError):
            await screen.desk.store.clear_draft(phone)
        self.meter.show("")
        screen.reload_conversation(mark_read=False)

    def text_changed(self, event: TextArea.Changed) -> None:
        """The reply box changed: the meter now, the draft saved a moment later."""
        self.meter.show(event.text_area.text)
        if self.screen.phone:
            self._unsaved = (self.screen.phone, event.text_area.text)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.screen.set_timer(DRAFT_SAVE_DELAY, self._save_draft_soon)

    async def _save_draft_soon(self) -> None:
        phone = self.screen.phone
        if phone:
            await self.save_draft(phone)
            self.screen.refresh_list()  # the draft mark in the list

    def leave(self, phone: str | None) -> None:
        """Another conversation opens: the box's text is ``phone``'s, out of the box now (the
        keys typed next are for the other one), stored as its draft by ``store_left``."""
        text = self.reply.text
        if phone and (text.strip() or phone == self._filled_for):
            self._left[phone] = text
        self._filled_for = None
        self.reply.text = ""

    async def store_left(self) -> None:
        while self._left:
            phone = next(iter(self._left))
            await self._store_draft(phone, self._left.pop(phone))

    async def save_draft(self, phone: str) -> None:
        await self._store_draft(phone, self.reply.text)

    async def flush(self) -> None:
        """Quitting right after typing: the delayed save has not run yet (it would be lost)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self._unsaved is not None:
            await self._store_draft(*self._unsaved)

    async def _store_draft(self, phone: str, text: str) -> None:
        if self._unsaved is not None and self._unsaved[0] == phone:
            self._unsaved = None
        # A failed save keeps the text in the box; the store already told the person why.
        with contextlib.suppress(StoreError):
            if text.strip():
                await self.screen.desk.store.save_draft(phone, text)
            else:
                await self.screen.desk.store.clear_draft(phone)
