"""The Inbox: conversations on the left, the open conversation with its reply box on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widget import AwaitMount
from textual.widgets import Input, OptionList, Static

from tui.desk import ConversationChanged, DeskEvent, OutboxChanged
from tui.safe_text import shown
from tui.screens.inbox_actions import InboxActions
from tui.store import Conversation, StoreError
from tui.widgets.contact_panel import ContactPanel
from tui.widgets.conversation_list import ConversationList
from tui.widgets.plain import plain
from tui.widgets.view_line import VIEWS, ViewLine

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from tui.conversation_view import ConversationView
    from tui.screens.inbox_chat import ChatPane
    from tui.widgets.chat_log import ChatLog
    from tui.widgets.reply_box import ReplyBox

# The list is paged: the newest conversations first, the next page when the highlight
# comes near the end (a fresh start draws 100 rows, not thousands).
LIST_PAGE = 100
LOAD_MORE_WITHIN = 20
CHAT_TITLE_LIMIT = 300  # one line, ellipsised by the stylesheet; a 10,000-char name is cut first
# Widths where the layout changes: below NARROW the contact panel goes (its facts move to the
# title line), from WIDE the list and the panel grow.
NARROW, WIDE, TINY = 100, 160, 70
EMPTY_INBOX = "No conversation yet: new texts appear here as they arrive. Press c to text someone."


def title_line(view: ConversationView, *, narrow: bool) -> str:
    """Name and number; without the contact panel (narrow) also what the panel would say."""
    parts = [view.title]
    if view.phone_display != view.title:
        parts.append(view.phone_display)
    if narrow:
        if view.opted_out:
            parts.append("opted out")
        if view.local_time:
            parts.append(f"their time {view.local_time}")
    return " · ".join(parts)


class InboxScreen(InboxActions):
    """Everything here reads the local store first and the network second."""

    SECTION, TITLE = "inbox", "Inbox"
    # The list has the focus from the start (not the search box first, restyled twice).
    AUTO_FOCUS = "#conversations"
    # In the order people need them: the help screen and the palette list them like this.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "focus_reply", "Reply", id="inbox.reply", show=False),
        Binding("escape", "back", "Back to the list", id="inbox.back", show=False),
        Binding("n", "next_unread", "Next unread", id="inbox.next_unread"),
        Binding("N", "previous_unread", "Previous unread", id="inbox.previous_unread",
                show=False),
        Binding("w", "longest_waiting", "Longest waiting", id="inbox.longest_waiting",
                show=False),
        Binding("f", "cycle_view", "Filter", id="inbox.filter"),
        Binding("slash", "search", "Search", id="inbox.search"),
        Binding("c", "new_conversation", "New conversation", id="inbox.new_conversation"),
        Binding("d", "toggle_done", "Mark done", id="inbox.done", show=False),
        Binding("exclamation_mark", "toggle_needs_reply", "Mark needs reply",
                id="inbox.needs_reply", show=False),
        Binding("r", "mark_read", "Mark read", id="inbox.mark_read", show=False),
        Binding("u", "mark_unread", "Mark unread", id="inbox.mark_unread", show=False),
        Binding("ctrl+r", "saved_replies", "Saved replies", id="inbox.saved_replies"),
        Binding("ctrl+g", "fix_encoding", "Fix encoding", id="inbox.fix_encoding", show=False),
        Binding("ctrl+o", "open_editor", "Write in $EDITOR", id="inbox.editor", show=False),
        Binding("ctrl+t", "retry_failed", "Retry failed", id="inbox.retry"),
        # priority: the reply box's own ctrl+x (cut) would swallow it; when nothing failed,
        # check_action lets the key through to the box.
        Binding("ctrl+x", "discard_failed", "Discard failed", id="inbox.discard",
                priority=True),
        Binding("ctrl+l", "edit_failed", "Edit failed text", id="inbox.edit_failed",
                show=False),
    ]

    # init=False: the first page is shown by on_mount (a watcher run at mount would read it again).
    view: reactive[str] = reactive("all", init=False)
    phone: reactive[str | None] = reactive(None)

    def __init__(self) -> None:
        super().__init__()
        self._pane: ChatPane | None = None  # the chat side, built after the first frame
        self._more_to_load = False
        # Until the person presses a key or clicks, the first run's history keeps the newest
        # conversation open: it loads oldest first, and the first row would sink to the bottom.
        self._touched = False
        # Opened by a search or filter, not by the person: not marked read until they act on it.
        self._auto_opened: str | None = None
        # Conversations opened from the current view stay in it (read ones in Unread…).
        self._kept: set[str] = set()

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="inbox"):
            with Vertical(id="inbox-left"):
                yield ViewLine(id="inbox-view-line")
                yield Input(placeholder="/ search name, number or text", id="inbox-search")
                yield ConversationList(
                    id="conversations", country=self.desk.profile.default_country
                )
            # The chat log, the "replies blocked" line, the reply box and its meter join after
            # the first frame (see _start_chat): the first frame draws the list.
            with Vertical(id="inbox-chat"):
                yield Static(id="chat-title", markup=False)
                yield Static(id="chat-empty")
            yield ContactPanel(id="contact-panel")

    def _start_chat(self) -> AwaitMount:
        """Mount the chat pane's widgets now, if they are not there yet (at once when the
        person reaches for them before the first frame's callback mounted them)."""
        if self._chat is None:
            from tui.screens.inbox_chat import ChatPane

            self._pane = ChatPane(self)
            self._chat = self._pane.mounted
            # A worker: awaiting the mount in a handler would hold the screen's messages
            # (an Enter pressed meanwhile moved the focus late, and letters ran list keys).
            self.run_worker(self._pane.show_open_conversation(), group="inbox-pane")
        return self._chat

    def _chat_pane(self) -> ChatPane:
        self._start_chat()
        assert self._pane is not None
        return self._pane

    async def _show_chat(self) -> None:
        """After the first frame: the chat pane."""
        if not self._app_closing:
            self._start_chat()

    def _reply(self) -> ReplyBox:
        return self._chat_pane().reply

    # --- life cycle --------------------------------------------------------------------

    def on_mount(self) -> None:
        self.desk.listen(self._on_desk_event)
        self.query_one(ViewLine).current = self.view
        self._show_first_page()
        conversation_list = self.query_one(ConversationList)
        conversation_list.chosen = self._chosen
        # Now, not after the queued messages: keys typed at open reach the list.
        self.set_focus(conversation_list)
        when_shown = getattr(self.app, "when_first_frame_shown", None)
        if when_shown is None:
            self.call_later(self._show_chat)
        else:
            when_shown(self._show_chat)

    async def on_unmount(self) -> None:
        self.desk.unlisten(self._on_desk_event)
        self.workers.cancel_node(self)  # their widgets are gone already
        if self._pane is not None:
            await self._pane.flush()

    def on_key(self) -> None:
        self._touched = True

    def on_mouse_down(self) -> None:
        self._touched = True

    @property
    def _app_closing(self) -> bool:
        """The app is quitting: a worker that was awaiting the store must not touch widgets."""
        return not self.is_attached or not self.app.is_running

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        self.set_class(width < TINY, "-tiny")
        if self._conversation is not None:
            self._show_title(self._conversation)

    def _on_desk_event(self, event: DeskEvent) -> None:
        if self._app_closing:
            return
        if isinstance(event, ConversationChanged):
            # The open conversation first: its store queries go ahead of the list's.
            if self.phone and self.phone in event.phones:
                self.reload_conversation(mark_read=self._auto_opened != self.phone)
            self.refresh_list()
        elif isinstance(event, OutboxChanged) and self.phone == event.phone:
            self.reload_conversation(mark_read=False)

    # --- the list ----------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return self.query_one("#inbox-search", Input).value

    @work(exclusive=True, group="inbox-list")
    async def refresh_list(self, *, person_asked: bool = False) -> None:
        """Reload the rows. After a search or filter change (``person_asked``) the first match
        opens when the open conversation is not among the results; a background refresh never
        moves the person to another conversation."""
        conversation_list = self.query_one(ConversationList)
        # Keep as many rows as are loaded now, so a refresh never shrinks what was scrolled to.
        limit = max(LIST_PAGE, conversation_list.loaded)
        keep = sorted(self._kept | ({self.phone} if self.phone and not person_asked else set()))
        try:
            conversations = await self.desk.store.list_conversations(
                view=self.view, search=self.search_text, limit=limit, keep=keep
            )
        except StoreError:  # keep the rows already shown
            return
        if self._app_closing:  # the app closed while the store answered
            return
        self._show_rows(conversations, limit, person_asked=person_asked)

    def _show_first_page(self) -> None:
        """The first rows, read on the event loop itself: one indexed query of about a
        millisecond, before any other work, in the very first frame. Through the store's
        thread it would wait for the interpreter while the screen is being built, and the
        rows would come a frame later (a fifth of the cold start)."""
        try:
            conversations = self.desk.store.first_page(view=self.view, limit=LIST_PAGE)
        except StoreError:  # the store told the person; the worker tries again
            self.refresh_list()
            return
        self._show_rows(conversations, LIST_PAGE, person_asked=False)

    def _show_rows(self, conversations: list[Conversation], limit: int, *,
                   person_asked: bool) -> None:
        conversation_list = self.query_one(ConversationList)
        self._more_to_load = len(conversations) == limit
        # The highlighted row wins over ``self.phone``: a highlight made a moment ago (its
        # message not handled yet) must not be undone by a refresh that a poll started.
        keep_row = conversation_list.highlighted_phone or self.phone
        conversation_list.show(conversations, now=self.desk.now(), keep=keep_row)
        # Once these rows are on the terminal, the desk may start its background work.
        self.call_after_refresh(self.desk.painted)
        listed = conversation_list.highlighted_phone == self.phone
        if not conversations:
            if person_asked or (self.phone is not None and not listed):
                self._open(None, auto=True)
            self._show_empty()
            return
        follow_top = self.phone is None or (self.desk.catching_up and not self._touched)
        if follow_top or (person_asked and not listed):
            # Shown, not opened by the person: read only once they act on it (a text that
            # arrives matching a search typed a moment ago must not be read by the refresh).
            self._open(conversations[0].phone, auto=True)
            conversation_list.highlight(conversations[0].phone)

    def _open(self, phone: str | None, *, auto: bool) -> None:
        self._auto_opened = phone if auto else None
        if phone != self.phone and self._pane is not None:
            self._pane.leave(self.phone)  # now: keys typed next are for ``phone``
        self.phone = phone

    def watch_view(self) -> None:
        self.query_one(ViewLine).current = self.view
        self._kept.clear()
        self.refresh_list(person_asked=True)

    @on(ViewLine.Chosen)
    def _view_clicked(self, event: ViewLine.Chosen) -> None:
        self.view = event.view

    @on(Input.Changed, "#inbox-search")
    def _search_changed(self) -> None:
        self._kept.clear()
        self.refresh_list(person_asked=True)

    @on(Input.Submitted, "#inbox-search")
    def _search_done(self) -> None:
        self.query_one(ConversationList).focus()

    @on(OptionList.OptionHighlighted, "#conversations")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        phone = event.option.id
        if phone != self.query_one(ConversationList).highlighted_phone:
            # Stale: a later refresh (the next letter of a search) highlighted another row
            # before this was handled. Taking it as the person's move opened and read it.
            return
        if phone and phone != self.phone:
            self._open(phone, auto=not self._touched)
        if phone and self.view != "all":
            self._kept.add(phone)
        if self._more_to_load and event.option_index >= event.option_list.option_count - (
            LOAD_MORE_WITHIN
        ):
            self.load_more()

    @work(exclusive=True, group="inbox-more")
    async def load_more(self) -> None:
        conversation_list = self.query_one(ConversationList)
        try:
            page = await self.desk.store.list_conversations(
                view=self.view, search=self.search_text, limit=LIST_PAGE,
                offset=conversation_list.loaded,
            )
        except StoreError:
            return
        self._more_to_load = len(page) == LIST_PAGE
        conversation_list.append(page)

    def _chosen(self, phone: str) -> None:
        """Enter (or a click) on a row: open it and reply, the focus in the box at once."""
        self._open(phone, auto=False)
        self.action_focus_reply()

    # --- the open conversation ---------------------------------------------------------

    async def watch_phone(self, old: str | None, new: str | None) -> None:
        if self._pane is not None:
            await self._pane.store_left()
        self.desk.focus_conversation(new)
        opened = getattr(self.app, "conversation_opened", None)
        if opened is not None:  # its new-text toasts have been seen now
            opened(new)
        if self._chat is None:  # the pane shows it once it is there
            return
        await self._chat
        await self._chat_pane().fill(new)

    def _show_empty(self) -> None:
        """The chat side when no conversation is open: why, and what to do."""
        search = self.search_text.strip()
        if search:
            said = shown(search, single_line=True, limit=60)
            message = f"No conversation matches “{said}”. Esc clears the search; c texts a number."
        elif self.view != "all":
            message = "Nothing in this view. f changes the filter."
        else:
            message = EMPTY_INBOX
        self.query_one("#chat-empty", Static).update(plain(message))
        # Also before the chat pane is mounted (an empty inbox at start): the notice shows.
        self.set_class(True, "-no-conversation")

    @work(exclusive=True, group="inbox-chat")
    async def reload_conversation(self, mark_read: bool) -> None:
        await self._chat_pane().reload(mark_read)

    def _show_title(self, view: ConversationView) -> None:
        line = title_line(view, narrow=self.has_class("-narrow"))
        self.query_one("#chat-title", Static).update(
            plain(line, single_line=True, limit=CHAT_TITLE_LIMIT)
        )

    # --- the chat pane's messages (handled in tui/screens/inbox_chat.py) -----------------

    async def on_chat_log_need_older(self, event: ChatLog.NeedOlder) -> None:
        await self._chat_pane().load_older(event)

    async def on_reply_box_send(self, event: ReplyBox.Send) -> None:
        await self._chat_pane().send(event)

    def on_reply_box_leave(self) -> None:
        self.query_one(ConversationList).focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:  # the reply box's
        self._chat_pane().text_changed(event)


__all__ = ["VIEWS", "InboxScreen", "title_line"]
