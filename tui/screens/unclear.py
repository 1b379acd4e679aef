"""Decide about a reply that may or may not have gone out: "it went out" or "send again".

smsdesk never sends such a text again on its own (the server's list could not prove either
way); this dialog shows the text and what the lookup found, and returns the person's choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal, Protocol

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.conversation_view import ConversationView
from tui.widgets.plain import plain

UnclearChoice = Literal["sent", "again"]


class UnclearReplyScreen(ModalScreen[UnclearChoice | None]):
    """Returns "sent" (it went out), "again" (send it again) or None (decide later)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "choose('sent')", "It went out", id="unclear.went_out"),
        Binding("a", "choose('again')", "Send again", id="unclear.send_again"),
        Binding("escape", "dismiss_later", "Decide later", id="unclear.later"),
    ]

    def __init__(self, text: str, why: str | None, to: str) -> None:
        super().__init__()
        self._text = text
        self._why = why or "The server's answer was lost and its list could not tell."
        self._to = to

    def compose(self) -> ComposeResult:
        with Vertical(id="unclear-dialog"):
            yield Static("Did this text go out?", id="unclear-title")
            yield Static(plain(f"To {self._to}:"), classes="unclear-label")
            yield Static(plain(self._text), id="unclear-text")
            yield Static(plain(self._why), id="unclear-why")
            with Horizontal(id="unclear-buttons"):
                yield Button("It went out (o)", id="unclear-sent", variant="primary")
                yield Button("Send again (a)", id="unclear-again", variant="warning")
                yield Button("Later (esc)", id="unclear-later")

    def on_mount(self) -> None:
        self.query_one("#unclear-sent", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choices: dict[str | None, UnclearChoice | None] = {
            "unclear-sent": "sent", "unclear-again": "again", "unclear-later": None}
        self.dismiss(choices.get(event.button.id))

    def action_choose(self, choice: UnclearChoice) -> None:
        self.dismiss(choice)

    def action_dismiss_later(self) -> None:
        self.dismiss(None)


class _Desk(Protocol):
    async def confirm_reply_sent(self, key: str) -> None: ...

    async def send_reply_again(self, key: str) -> None: ...


async def decide_unclear(app: App[Any], conversation: ConversationView, desk: _Desk,
                         after: Callable[[], object]) -> None:
    """Ask about the first maybe-sent reply of this conversation, do what the person chose,
    then call ``after`` (the screen reloads the conversation)."""
    key = conversation.unclear_keys[0]
    item = next((m for m in conversation.messages if m.outbox_key == key), None)
    if item is None:
        return

    async def chosen(choice: UnclearChoice | None) -> None:
        if choice == "sent":
            await desk.confirm_reply_sent(key)
        elif choice == "again":
            await desk.send_reply_again(key)
        if choice is not None:
            after()

    app.push_screen(UnclearReplyScreen(item.body, item.detail, conversation.title), chosen)
