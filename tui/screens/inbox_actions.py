"""What the Inbox's keys and palette commands do: moving, marking, triage, failed replies, tools.

The Inbox screen (tui/screens/inbox.py) builds on this: it owns the widgets, the list and the
open conversation; here are the actions a person asks for, each a few lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import work
from textual.app import SystemCommand
from textual.reactive import reactive
from textual.widget import AwaitMount
from textual.widgets import Input
from textual.worker import Worker

from tui.screens.section import SectionScreen
from tui.widgets.conversation_list import ConversationList
from tui.widgets.view_line import VIEW_TITLES, VIEWS

if TYPE_CHECKING:
    from tui.conversation_view import ConversationView
    from tui.screens.help import KeyRow
    from tui.widgets.reply_box import ReplyBox

# Actions that need an open conversation, and those that need failed replies in it.
NEED_CONVERSATION = frozenset({"mark_read", "mark_unread", "saved_replies", "open_editor",
                               "toggle_done", "toggle_needs_reply", "fix_encoding"})
NEED_FAILED = frozenset({"retry_failed", "discard_failed", "edit_failed"})
# Actions that write into the reply box: nothing to write when replies are blocked.
NEED_REPLY = frozenset({"saved_replies", "open_editor", "fix_encoding", "edit_failed"})


class InboxActions(SectionScreen):
    """The actions; ``InboxScreen`` provides the list and conversation behind them."""

    view: reactive[str] = reactive("all")
    phone: reactive[str | None] = reactive(None)
    _conversation: ConversationView | None = None
    # The chat pane's widgets, mounted after the first frame (None until they are).
    _chat: AwaitMount | None = None

    def _reply(self) -> ReplyBox:
        raise NotImplementedError

    def refresh_list(self, *, person_asked: bool = False) -> object:
        raise NotImplementedError

    def reload_conversation(self, mark_read: bool) -> object:
        raise NotImplementedError

    def _open(self, phone: str | None, *, auto: bool) -> None:
        raise NotImplementedError

    # --- what can be done now --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEED_REPLY and self._conversation and self._conversation.blocked_reason:
            return None
        if action == "retry_failed":
            # Also for a maybe-sent reply: ctrl+t asks the person whether it went out.
            return bool(self._conversation and (self._conversation.failed_keys
                                                or self._conversation.unclear_keys))
        if action in NEED_FAILED:
            # Shown only while this conversation has failed replies; ctrl+x with a selection
            # in the reply box stays "cut".
            if not (self._conversation and self._conversation.failed_keys):
                return False
            reply = self._reply()
            return not (action == "discard_failed" and reply.has_focus
                        and not reply.selection.is_empty)
        if action in NEED_CONVERSATION:
            return self.phone is not None or None
        return True

    def palette_commands(self) -> Iterator[SystemCommand]:
        """Palette entries that are not a single key of the screen."""
        if self.phone is not None and self._chat is not None:
            reply = self._reply()
            if reply.text.strip() and not reply.blocked:
                yield SystemCommand("Send", "Send what is in the reply box (enter in the box)",
                                    reply.send)
        for view in VIEWS:
            if view != self.view:
                yield SystemCommand(f"Show {VIEW_TITLES[view]}",
                                    "Filter the conversations (f cycles)",
                                    lambda v=view: setattr(self, "view", v))

    def help_rows(self) -> list[KeyRow]:
        """Keys of the reply box that are not bindings (Enter sends; terminals lack ctrl+enter)."""
        from tui.screens.help import KeyRow

        newline = self.desk.profile.newline_key
        return [KeyRow("Reply box", "enter", "Send", ""),
                KeyRow("Reply box", newline, "New line", "newline_key (config)"),
                KeyRow("Reply box", "tab escape", "Back to the list", "")]

    # --- moving around -----------------------------------------------------------------------

    def action_cycle_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]

    def action_search(self) -> None:
        # The focus moves now (not after the queued keys): what is typed after / is searched.
        self.set_focus(self.query_one("#inbox-search", Input))

    def action_back(self) -> None:
        """Esc: leave the search (clearing it) or the reply box, back to the list."""
        search = self.query_one("#inbox-search", Input)
        if search.has_focus or (search.value and self.query_one(ConversationList).has_focus):
            search.value = ""
        self.query_one(ConversationList).focus()

    def action_focus_reply(self) -> None:
        """Into the reply box; when replies are blocked it is read-only and says so (typed
        letters stay there instead of running the list's keys)."""
        if self.phone is not None:
            self._open(self.phone, auto=False)
            if self._conversation and self._conversation.unread:
                self._mark(self.phone, read=True)
            # Now, not after the queued keys: the letters typed after Tab or Enter (already
            # on their way to the list) are taken into the box by the app (SmsDeskApp).
            self.set_focus(self._reply())

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

    async def action_longest_waiting(self) -> None:
        """Open the conversation whose unanswered text is the oldest (Needs reply, on top)."""
        waiting = await self.desk.store.longest_waiting()
        if waiting is None:
            self.notify("Nobody is waiting for an answer.", timeout=3, markup=False)
            return
        self.view = "needs_reply"
        self._open(waiting.phone, auto=False)
        self.query_one(ConversationList).focus()

    # --- marks and triage --------------------------------------------------------------------

    def action_mark_read(self) -> None:
        if self.phone:
            self._mark(self.phone, read=True)

    def action_mark_unread(self) -> None:
        if self.phone:
            self._auto_opened = self.phone  # stays unread while it is open
            self._mark(self.phone, read=False)

    _auto_opened: str | None = None

    @work(group="inbox-mark")
    async def _mark(self, phone: str, *, read: bool) -> None:
        result = await self.desk.set_read(phone, read=read)
        if result.message and result.refused:
            self.notify(result.message, title="Could not update", severity="warning",
                        markup=False)
        elif result.message and not read:  # opening a conversation offline: no toast each time
            self.notify(result.message, title="Not on the server yet", markup=False)
        self.refresh_list()

    async def action_toggle_done(self) -> None:
        await self._flag("done")

    async def action_toggle_needs_reply(self) -> None:
        await self._flag("needs_reply")

    async def _flag(self, triage: str) -> None:
        conversation = await self.desk.store.conversation(self.phone) if self.phone else None
        if conversation is None:
            return
        flag = None if conversation.triage == triage else triage
        await self.desk.set_triage(conversation.phone, flag)
        said = {"done": "Done: it comes back when they text again.",
                "needs_reply": "Needs reply: it leaves that list when you answer."}
        self.notify(said[triage] if flag else "Flag removed.", timeout=3, markup=False)

    # --- failed replies ----------------------------------------------------------------------

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

    async def action_edit_failed(self) -> None:
        """The newest failed text back into the reply box (and out of the outbox) to fix it."""
        if not (self._conversation and self._conversation.failed_keys):
            return
        key, text = self._conversation.failed_keys[-1], self._conversation.failed_texts[-1]
        await self.desk.discard_reply(key)
        reply = self._reply()
        reply.text = text + ("\n" + reply.text if reply.text.strip() else "")
        reply.move_cursor(reply.document.end)
        self.action_focus_reply()
        self.reload_conversation(mark_read=False)

    # --- tools -------------------------------------------------------------------------------

    async def action_saved_replies(self) -> None:
        from tui.screens.saved_replies import SavedRepliesScreen

        def chosen(text: str | None) -> None:
            if text:
                reply = self._reply()
                reply.insert(text)
                self.action_focus_reply()

        if self._conversation is not None:
            replies = await self.desk.store.list_saved_replies()
            self.app.push_screen(SavedRepliesScreen(self._conversation, replies), chosen)

    def action_fix_encoding(self) -> None:
        from tui.sms.segments import doctor

        reply = self._reply()
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

        reply = self._reply()
        edited = edit_in_editor(self.app, reply.text)
        if edited is not None:
            reply.text = edited
            reply.move_cursor(reply.document.end)
        self.action_focus_reply()

    def action_new_conversation(self) -> None:
        from tui.screens.new_conversation import NewConversationScreen

        def chosen(phone: str | None) -> None:
            if phone:
                self._start(phone)

        self.app.push_screen(NewConversationScreen(self.desk), chosen)

    @work(group="inbox-start")
    async def _start(self, phone: str) -> None:
        from tui.services.new_conversation import CannotText

        try:
            who = await self.desk.start_conversation(phone)
        except CannotText as refused:
            self.notify(str(refused), title="Cannot text this number", severity="warning",
                        markup=False)
            return
        self.query_one("#inbox-search", Input).value = ""
        self.view = "all"
        self._open(who.phone, auto=False)
        # The highlighted row wins in a refresh: drop the old one so the refresh keeps the new
        # conversation's row (it is not listed until the refresh has read it).
        conversation_list = self.query_one(ConversationList)
        conversation_list.highlighted = None
        refreshing = self.refresh_list()
        if isinstance(refreshing, Worker):
            await refreshing.wait()
        conversation_list.highlight(who.phone)
        self._reply().focus()
