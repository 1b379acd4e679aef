"""Text someone new: type a number or part of a contact's name, pick, and the reply box opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.services.new_conversation import Recipient, why_not
from tui.widgets.plain import plain

if TYPE_CHECKING:
    from tui.desk import Desk


class NewConversationScreen(ModalScreen[str | None]):
    """Returns the chosen phone (E.164), or None when dismissed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="new_conversation.close"),
        Binding("down", "suggestions", "Suggestions", id="new_conversation.down", show=False),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self._desk = desk
        self._found: list[Recipient] = []
        self._found_for: str | None = None  # what was typed when ``_found`` was looked up

    def compose(self) -> ComposeResult:
        with Vertical(id="new-conversation"):
            yield Static("New conversation — a number or a contact's name; Enter picks",
                         id="new-title")
            yield Input(placeholder="+1 650 253 0000 or a name", id="new-who")
            yield OptionList(id="new-list")
            yield Static(id="new-problem", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed, "#new-who")
    def _typed(self) -> None:
        self.suggest()

    @work(exclusive=True)
    async def suggest(self) -> None:
        typed = self.query_one(Input).value
        self._found = await self._desk.find_recipients(typed)
        self._found_for = typed
        region = self._desk.profile.default_country
        options = self.query_one(OptionList)
        options.set_options(
            Option(plain(r.label(region) + ("  (opted out)" if r.opted_out else ""),
                         single_line=True), id=r.phone)
            for r in self._found
        )
        if self._found:
            options.highlighted = 0
        problem = "" if self._found or not typed.strip() else why_not(typed, region)
        self.query_one("#new-problem", Static).update(plain(problem))

    @on(Input.Submitted, "#new-who")
    async def _enter(self) -> None:
        typed = self.query_one(Input).value
        if typed != self._found_for:
            # Enter came before the suggestions for the last letters: look it up now (else
            # the first Enter after typing a number quickly did nothing).
            self.workers.cancel_node(self)
            self._found, self._found_for = await self._desk.find_recipients(typed), typed
            if not self._found:
                self.suggest()  # says why the text is no number or contact
                return
            self._pick(self._found[0])
            return
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is not None and index < len(self._found):
            self._pick(self._found[index])

    @on(OptionList.OptionSelected, "#new-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(self._found[event.option_index])

    def _pick(self, who: Recipient) -> None:
        if who.opted_out:
            self.query_one("#new-problem", Static).update(
                plain("That number opted out (STOP): it cannot be texted until it texts START.")
            )
            return
        self.dismiss(who.phone)

    def action_suggestions(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
