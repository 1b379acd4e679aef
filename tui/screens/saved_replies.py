"""Pick a saved reply from a fuzzy-filtered list; merge fields are filled for this contact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.conversation_view import ConversationView
from tui.safe_text import shown, typed
from tui.sms.merge import MergeError, render
from tui.store import SavedReply
from tui.widgets.plain import highlighted, plain


class SavedRepliesScreen(ModalScreen[str | None]):
    """Returns the rendered text of the chosen reply, or None when dismissed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="saved_replies.close"),
    ]

    def __init__(self, conversation: ConversationView, replies: Sequence[SavedReply]) -> None:
        super().__init__()
        self._conversation = conversation
        self._replies = [(r.title, r.body) for r in replies]

    def compose(self) -> ComposeResult:
        with Vertical(id="saved-replies"):
            yield Static("Saved replies — type to filter, Enter inserts", id="saved-title")
            yield Input(placeholder="filter", id="saved-filter")
            yield OptionList(id="saved-list")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#saved-filter", Input).focus()

    def _fill(self, query: str) -> None:
        matcher = Matcher(query) if query else None
        scored = []
        for index, (title, body) in enumerate(self._replies):
            score = matcher.match(f"{title} {body}") if matcher else 1.0
            if score > 0:
                label = highlighted(title, matcher) if matcher else plain(title, single_line=True)
                body_line = (shown(body, single_line=True, limit=300), "dim")
                scored.append((score, Option(Content.assemble(label, "\n  ", body_line),
                                             id=str(index))))
        options = self.query_one("#saved-list", OptionList)
        options.set_options(option for _score, option in sorted(scored, key=lambda s: -s[0]))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#saved-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#saved-filter")
    def _take_highlighted(self) -> None:
        options = self.query_one("#saved-list", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#saved-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id is None:
            return
        _title, body = self._replies[int(option_id)]
        try:
            text = render(body, self._conversation.merge_data)
        except MergeError as missing:
            self.notify(str(missing), title="Cannot fill this reply", severity="warning",
                        markup=False)
            return
        self.dismiss(typed(text))

    def action_cancel(self) -> None:
        self.dismiss(None)
