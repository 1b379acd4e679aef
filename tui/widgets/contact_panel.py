"""The side panel: who this is, their groups and whether they may be texted."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.conversation_view import ConversationView


def panel_text(view: ConversationView) -> Text:
    text = Text()
    text.append(view.title + "\n", style="bold")
    text.append(view.phone_display + "\n\n")
    if view.opted_out:
        text.append("Opted out", style="bold red")
        text.append("  (texted STOP)\n" if view.stop_seen else "\n")
    else:
        text.append("Subscribed\n", style="green")
    if view.email:
        text.append(f"\n{view.email}\n")
    if view.groups:
        text.append("\nGroups\n", style="bold")
        for group in view.groups:
            text.append(f"  {group}\n")
    if view.local_time:
        text.append(f"\nTheir time: {view.local_time}\n", style="dim")
    if view.quiet_hours:
        text.append("Quiet hours there now\n", style="yellow")
    return text


class ContactPanel(Static):
    def show(self, view: ConversationView) -> None:
        self.update(panel_text(view))
