"""The Inbox: conversations on the left, the open conversation with its reply box on the right."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from tui.conversation_view import ConversationView, ReplyRefused
from tui.desk import ConversationChanged, DeskEvent, OutboxChanged
from tui.safe_text import typed
from tui.screens.section import SectionScreen
from tui.store import StoreError
from tui.widgets.chat_log import ChatLog
from tui.widgets.contact_panel import ContactPanel
from tui.widgets.conversation_list import ConversationList
from tui.widgets.plain import plain
from tui.widgets.reply_box import ReplyBox
from tui.widgets.segment_meter import SegmentMeter

VIEWS = ("all", "unread", "opted_out")
VIEW_TITLES = {"all": "All", "unread": "Unread", "opted_out": "Opted out"}
DRAFT_SAVE_DELAY = 0.3
# The list is paged: the newest conversations first, the next page when the highlight
# comes near the end (a fresh start draws 100 rows, not thousands).
LIST_PAGE = 100
LOAD_MORE_WITHIN = 20
CHAT_TITLE_LIMIT = 300  # one line, ellipsised by the stylesheet; a 10,000-char name is cut first


def view_line(current: str) -> Content:
    """The filter tabs: the current view lit, then the key that cycles them."""
    parts: list[Content | str | tuple[str, str]] = []
    for view in VIEWS:
        parts.append((f" {VIEW_TITLES[view]} ", "reverse") if view == current
                     else f" {VIEW_TITLES[view]} ")
        parts.append(" ")
    return Content.assemble(*parts, " ", ("f", "dim"))


class InboxScreen(SectionScreen):
    """Everything here reads the local store first and the network second."""

    SECTION, TITLE = "inbox", "Inbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_unread", "Next unread", id="inbox.next_unread"),
        Binding("N", "previous_unread", "Prev unread", id="inbox.previous_unread", show=False),
        Binding("f", "cycle_view", "Filter", id="inbox.filter"),
        Binding("slash", "search", "Search", id="inbox.search"),
        Binding("r", "mark_read", "Mark read", id="inbox.mark_read", show=False),
        Binding("u", "mark_unread", "Mark unread", id="inbox.mark_unread", show=False),
        Binding("tab", "focus_reply", "Reply", id="inbox.reply", show=False),
        Binding("escape", "focus_list", "Conversations", id="inbox.back", show=False),
        Binding("ctrl+r", "saved_replies", "Saved replies", id="inbox.saved_replies"),
        Binding("ctrl+g", "fix_encoding", "Fix encoding", id="inbox.fix_encoding", show=False),
        Binding("ctrl+o", "open_editor", "$EDITOR", id="inbox.editor", show=False),
        Binding("ctrl+t", "retry_failed", "Retry failed", id="inbox.retry"),
        Binding("ctrl+x", "discard_failed", "Discard failed", id="inbox.discard"),
    ]

    view: reactive[str] = reactive("all")
    phone: reactive[str | None] = reactive(None)

    def __init__(self) -> None:
        super().__init__()
        self._draft_timer: Timer | None = None
        self._unsaved: tuple[str, str] | None = None  # (phone, text) typed, not yet in the store
        self._more_to_load = False
        self._conversation: ConversationView | None = None
        # Until the person presses a key or clicks, the first run's history keeps the newest
        # conversation open: it loads oldest first, and the first row would sink to the bottom.
        self._touched = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="inbox"):
            with Vertical(id="inbox-left"):
                yield Static(id="inbox-view-line")
                yield Input(placeholder="/ search name, number or text", id="inbox-search")
                yield ConversationList(
                    id="conversations", country=self.desk.profile.default_country
                )
            with Vertical(id="inbox-chat"):
                yield Static(id="chat-title")
                yield ChatLog(id="chat-log")
                yield Static(id="reply-blocked")
                yield ReplyBox(id="reply", newline_key=self.desk.profile.newline_key)
                yield SegmentMeter(id="segment-meter")
            yield ContactPanel(id="contact-panel")

    # --- life cycle --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.desk.listen(self._on_desk_event)
        self._show_view_line()
        self.query_one(SegmentMeter).show("")
        self.refresh_list()
        self.query_one(ConversationList).focus()

    async def on_unmount(self) -> None:
        self.desk.unlisten(self._on_desk_event)
        self.workers.cancel_node(self)  # their widgets are gone already
        # Quitting right after typing: the delayed save has not run yet (it would be lost).
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self._unsaved is not None:
            await self._store_draft(*self._unsaved)

    def on_key(self) -> None:
        self._touched = True

    def on_mouse_down(self) -> None:
        self._touched = True

    @property
    def _app_closing(self) -> bool:
        """The app is quitting: a worker that was awaiting the store must not touch widgets."""
        return not self.is_attached or not self.app.is_running

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    def _on_desk_event(self, event: DeskEvent) -> None:
        if self._app_closing:
            return
        if isinstance(event, ConversationChanged):
            # The open conversation first: its store queries go ahead of the list's.
            if self.phone and self.phone in event.phones:
                self.reload_conversation(mark_read=True)
            self.refresh_list()
        elif isinstance(event, OutboxChanged) and self.phone == event.phone:
            self.reload_conversation(mark_read=False)

    # --- the list ----------------------------------------------------------------------

    @work(exclusive=True, group="inbox-list")
    async def refresh_list(self, *, person_asked: bool = False) -> None:
        """Reload the rows. After a search or filter change (``person_asked``) the first match
        opens when the open conversation is not among the results; a background refresh never
        moves the person to another conversation."""
        search = self.query_one("#inbox-search", Input).value
        conversation_list = self.query_one(ConversationList)
        # Keep as many rows as are loaded now, so a refresh never shrinks what was scrolled to.
        limit = max(LIST_PAGE, conversation_list.loaded)
        try:
            conversations = await self.desk.store.list_conversations(
                view=self.view, search=search, limit=limit
            )
        except StoreError:  # keep the rows already shown
            return
        if self._app_closing:  # the app closed while the store answered
            return
        self._more_to_load = len(conversations) == limit
        # The highlighted row wins over ``self.phone``: a highlight made a moment ago (its
        # message not handled yet) must not be undone by a refresh that a poll started.
        keep = conversation_list.highlighted_phone or self.phone
        conversation_list.show(conversations, now=self.desk.now(), keep=keep)
        # Once these rows are on the terminal, the desk may start its background work.
        self.call_after_refresh(self.desk.painted)
        listed = conversation_list.highlighted_phone == self.phone
        follow_top = self.phone is None or (self.desk.catching_up and not self._touched)
        if conversations and (follow_top or (person_asked and not listed)):
            conversation_list.highlight(conversations[0].phone)

    def watch_view(self) -> None:
        self._show_view_line()
        self.refresh_list(person_asked=True)

    def _show_view_line(self) -> None:
        self.query_one("#inbox-view-line", Static).update(view_line(self.view))

    @on(Input.Changed, "#inbox-search")
    def _search_changed(self) -> None:
        self.refresh_list(person_asked=True)

    @on(Input.Submitted, "#inbox-search")
    def _search_done(self) -> None:
        self.query_one(ConversationList).focus()

    @on(OptionList.OptionHighlighted, "#conversations")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.phone:
            self.phone = event.option.id
        if self._more_to_load and event.option_index >= event.option_list.option_count - (
            LOAD_MORE_WITHIN
        ):
            self.load_more()

    @work(exclusive=True, group="inbox-more")
    async def load_more(self) -> None:
        conversation_list = self.query_one(ConversationList)
        try:
            page = await self.desk.store.list_conversations(
                view=self.view,
                search=self.query_one("#inbox-search", Input).value,
                limit=LIST_PAGE,
                offset=conversation_list.loaded,
            )
        except StoreError:
            return
        self._more_to_load = len(page) == LIST_PAGE
        conversation_list.append(page)

    @on(OptionList.OptionSelected, "#conversations")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.phone = event.option.id
        self.query_one(ReplyBox).focus()

    # --- the open conversation ---------------------------------------------------------

    async def watch_phone(self, old: str | None, new: str | None) -> None:
        if old:
            await self._save_draft_now(old)
        self.desk.focus_conversation(new)
        reply = self.query_one(ReplyBox)
        reply.text = ""
        if new:
            draft = None
            with contextlib.suppress(StoreError):
                draft = await self.desk.store.get_draft(new)
            if self._app_closing:
                return
            # Typed while the draft was read (Tab, then straight away letters): keep those.
            if self.phone == new and not reply.text:
                reply.text = typed(draft or "")
                reply.move_cursor(reply.document.end)
        self.query_one(SegmentMeter).show(reply.text)
        self.reload_conversation(mark_read=True)

    @work(exclusive=True, group="inbox-chat")
    async def reload_conversation(self, mark_read: bool) -> None:
        phone = self.phone
        if phone is None:
            self.query_one("#chat-title", Static).update(
                plain("No conversation yet: new texts appear here as they arrive")
            )
            await self.query_one(ChatLog).show([], now=self.desk.now())
            return
        try:
            view = await self.desk.conversation(phone)
        except StoreError:  # keep the conversation shown
            return
        if phone != self.phone or self._app_closing:
            return
        self._conversation = view
        self.query_one("#chat-title", Static).update(plain(view.title, single_line=True,
                                                           limit=CHAT_TITLE_LIMIT))
        # The panel with the title, before the chat's bubbles are awaited: never a mismatch.
        self.query_one(ContactPanel).show(view)
        log = self.query_one(ChatLog)
        now = self.desk.now()
        known = {m.key for m in log.messages}
        if known and known <= {m.key for m in view.messages} and log.messages[0].key == (
            view.messages[0].key if view.messages else None
        ):
            for message in view.messages:
                await log.upsert(message, now=now)
        else:
            await log.show(view.messages, now=now)
        blocked = self.query_one("#reply-blocked", Static)
        blocked.update(plain(view.blocked_reason or ""))
        blocked.display = bool(view.blocked_reason)
        self.query_one(ReplyBox).disabled = bool(view.blocked_reason)
        self.refresh_bindings()
        if mark_read and view.unread:
            self._mark(phone, read=True)

    @on(ChatLog.NeedOlder)
    async def _load_older(self, event: ChatLog.NeedOlder) -> None:
        if self.phone is None:
            return
        try:
            older = await self.desk.older_messages(self.phone, before=event.oldest)
        except StoreError:
            return
        await self.query_one(ChatLog).prepend(older, now=self.desk.now())

    # --- replying ----------------------------------------------------------------------

    @on(ReplyBox.Send)
    async def _send(self, event: ReplyBox.Send) -> None:
        if self.phone is None:
            return
        phone, text = self.phone, event.text
        try:
            await self.desk.send_reply(phone, text)
        except ReplyRefused as refused:
            self.notify(str(refused), title="Not sent", severity="error", timeout=8,
                        markup=False)
            return
        event.reply_box.text = ""
        with contextlib.suppress(StoreError):  # the store already told the person why
            await self.desk.store.clear_draft(phone)
        self.query_one(SegmentMeter).show("")
        self.reload_conversation(mark_read=False)

    @on(ReplyBox.Changed)
    def _reply_changed(self, event: ReplyBox.Changed) -> None:
        self.query_one(SegmentMeter).show(event.text_area.text)
        if self.phone:
            self._unsaved = (self.phone, event.text_area.text)
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_SAVE_DELAY, self._save_draft_soon)

    async def _save_draft_soon(self) -> None:
        if self.phone:
            await self._save_draft_now(self.phone)

    async def _save_draft_now(self, phone: str) -> None:
        await self._store_draft(phone, self.query_one(ReplyBox).text)

    async def _store_draft(self, phone: str, text: str) -> None:
        if self._unsaved is not None and self._unsaved[0] == phone:
            self._unsaved = None
        # A failed save keeps the text in the box; the store already told the person why.
        with contextlib.suppress(StoreError):
            if text.strip():
                await self.desk.store.save_draft(phone, text)
            else:
                await self.desk.store.clear_draft(phone)

    # --- actions -----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_failed":
            # Shown only while this conversation has failed (or maybe-sent) replies.
            return bool(self._conversation and (self._conversation.failed_keys
                                                or self._conversation.unclear_keys))
        if action == "discard_failed":
            return bool(self._conversation and self._conversation.failed_keys)
        if action in {"mark_read", "mark_unread", "saved_replies", "open_editor"}:
            return self.phone is not None or None
        return True

    def action_cycle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]

    def action_search(self) -> None:
        self.query_one("#inbox-search", Input).focus()

    def action_focus_list(self) -> None:
        self.query_one(ConversationList).focus()

    def action_focus_reply(self) -> None:
        self.query_one(ReplyBox).focus()

    async def action_next_unread(self) -> None:
        await self._jump_unread(forward=True)

    async def action_previous_unread(self) -> None:
        await self._jump_unread(forward=False)

    async def _jump_unread(self, *, forward: bool) -> None:
        target = self.query_one(ConversationList).next_unread(self.phone, forward=forward)
        if target is None:
            self.notify("No unread conversations.", timeout=3, markup=False)
            return
        self.query_one(ConversationList).highlight(target)

    def action_mark_read(self) -> None:
        if self.phone:
            self._mark(self.phone, read=True)

    def action_mark_unread(self) -> None:
        if self.phone:
            self._mark(self.phone, read=False)

    @work(group="inbox-mark")
    async def _mark(self, phone: str, *, read: bool) -> None:
        result = await self.desk.set_read(phone, read=read)
        if result.message and result.refused:
            self.notify(result.message, title="Could not update", severity="warning",
                        markup=False)
        elif result.message and not read:  # opening a conversation offline: no toast each time
            self.notify(result.message, title="Not on the server yet", markup=False)
        self.refresh_list()

    async def action_retry_failed(self) -> None:
        if self._conversation:
            for key in self._conversation.failed_keys:
                await self.desk.retry_reply(key)
            self.reload_conversation(mark_read=False)
            if self._conversation.unclear_keys:
                from tui.screens.unclear import decide_unclear

                await decide_unclear(self.app, self._conversation, self.desk,
                                     lambda: self.reload_conversation(mark_read=False))

    async def action_discard_failed(self) -> None:
        if self._conversation:
            for key in self._conversation.failed_keys:
                await self.desk.discard_reply(key)
            self.reload_conversation(mark_read=False)

    async def action_saved_replies(self) -> None:
        from tui.screens.saved_replies import SavedRepliesScreen

        def chosen(text: str | None) -> None:
            if text:
                reply = self.query_one(ReplyBox)
                reply.insert(text)
                reply.focus()

        if self._conversation is not None:
            replies = await self.desk.store.list_saved_replies()
            self.app.push_screen(SavedRepliesScreen(self._conversation, replies), chosen)

    def action_fix_encoding(self) -> None:
        from tui.sms.segments import doctor

        reply = self.query_one(ReplyBox)
        result = doctor(reply.text)
        if result.text == reply.text:
            self.notify("Nothing to fix: every character is already GSM-7 or has no equivalent.",
                        markup=False)
            return
        reply.text = result.text
        saved = result.saved
        self.notify(
            f"Replaced {len(result.replacements)} characters; "
            + (f"saves {saved} segment{'s' if saved != 1 else ''}." if saved else "same segments."),
            title="Encoding fixed", markup=False,
        )

    def action_open_editor(self) -> None:
        from tui.screens.editor import edit_in_editor

        reply = self.query_one(ReplyBox)
        edited = edit_in_editor(self.app, reply.text)
        if edited is not None:
            reply.text = edited
            reply.move_cursor(reply.document.end)
        reply.focus()
