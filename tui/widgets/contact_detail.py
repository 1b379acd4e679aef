"""The detail pane of the Contacts section: every field, groups, carrier, local time, texts."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui.safe_text import shown
from tui.services.contacts import ContactDetail, describe_lookup
from tui.sms.phones import display


def detail_content(detail: ContactDetail | None, region: str) -> Content:
    """Labels in our words, values as plain text (foreign text never becomes markup)."""
    if detail is None:
        return Content("No contact highlighted.")
    c = detail.contact
    rows: list[tuple[str, str]] = [
        ("Name", c.name or "(no name)"),
        ("Number", display(c.phone, region)),
        ("Email", c.email or "—"),
        ("Status", "subscribed" if c.subscribed else "unsubscribed"
         + (f" {c.unsubscribed_at:%Y-%m-%d}" if c.unsubscribed_at else "")),
        ("Groups", ", ".join(c.groups) or "—"),
        ("Carrier", describe_lookup(detail.lookup)),
        ("Local time", f"{detail.local_time:%a %H:%M} ({detail.zone})"
         if detail.local_time and detail.zone else "unknown"),
        ("Created", f"{c.created_at:%Y-%m-%d}" if c.created_at else "—"),
    ]
    rows.extend((shown(k, single_line=True, limit=20), v) for k, v in sorted(c.fields.items()))
    parts: list[Content] = []
    for label, value in rows:
        parts.append(Content.styled(f"{label:<11}", "bold"))
        parts.append(Content(shown(value, single_line=True) + "\n"))
    parts.append(Content.styled("\nRecent texts\n", "bold"))
    if not detail.recent:
        parts.append(Content("none yet (t opens the conversation)\n"))
    for message in detail.recent:
        arrow = "←" if message.direction == "incoming" else "→"
        parts.append(Content.styled(f"{message.created_at:%m-%d %H:%M} {arrow} ", "dim"))
        parts.append(Content(shown(message.body, single_line=True, limit=60) + "\n"))
    return Content("").join(parts)


class ContactDetailPane(Static):
    """Shows one ``ContactDetail``; the screen decides which."""

    def show(self, detail: ContactDetail | None, region: str) -> None:
        # Fixed width, the full height: its size never follows the text (no layout pass).
        self.update(detail_content(detail, region), layout=False)
