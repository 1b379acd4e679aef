"""The side panel: who this is, their groups and whether they may be texted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from tui.widgets.plain import drawn, fit, not_shown_text

if TYPE_CHECKING:
    from tui.conversation_view import ConversationView

DEFAULT_WIDTH = 25  # the panel's content width in styles/inbox.tcss, before the first layout


def email_lines(email: str, width: int) -> str:
    """An address is never broken mid-word: whole, else split before the @ (each part cut
    with an ellipsis if it is still too long)."""
    if cell_len(email) <= width:
        return email
    local, at, domain = email.partition("@")
    parts = [local, at + domain] if at else [email]
    return "\n".join(fit(part, width) for part in parts)


def panel_text(view: ConversationView, width: int = DEFAULT_WIDTH) -> Text:
    """Each foreign field on its own line, cut to ``width``: a 10,000-character name never
    pushes the number and the subscription status out of sight."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(fit(view.title, width) + "\n", style="bold")
    text.append(fit(view.phone_display, width) + "\n\n")
    if view.opted_out:
        text.append("Opted out", style="bold red")
        text.append("  (texted STOP)\n" if view.stop_seen else "\n")
    elif not view.is_contact:
        text.append("Not a saved contact\n", style="dim")
    else:
        text.append("Subscribed\n", style="green")
    if view.email:
        text.append(f"\n{email_lines(view.email, width)}\n")
    if view.groups:
        text.append("\nGroups\n", style="bold")
        for group in view.groups:
            text.append(f"  {fit(group, width - 2)}\n")
    if view.local_time:
        text.append(f"\nTheir time: {view.local_time}\n", style="dim")
    if view.quiet_hours:
        text.append("Quiet hours there now\n", style="yellow")
    return text


class ContactPanel(Static):
    """Redrawn on resize, so the cut follows the panel's width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._view: ConversationView | None = None

    def show(self, view: ConversationView) -> None:
        self._view = view
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        view = self._view
        if view is None:
            return
        width = self.content_region.width or DEFAULT_WIDTH
        self.update(drawn("the contact panel", lambda: panel_text(view, width), not_shown_text()))
