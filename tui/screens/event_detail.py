"""One provider event in full: every field and the raw body, shown as plain text."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.events.model import KIND_LABELS
from tui.store import ReceivedEvent
from tui.widgets.plain import plain

RAW_LIMIT = 20_000


def _when(value: datetime | None) -> str | None:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if value else None


def event_fields(event: ReceivedEvent) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("Kind", KIND_LABELS.get(event.kind, event.kind)), ("Provider", event.provider),
        ("Number", event.phone), ("Happened", _when(event.occurred_at)),
        ("Received", _when(event.received_at)), ("Code", event.status_code),
        ("Meaning", event.meaning), ("Text", event.text),
    ]
    rows += [(name.replace("_", " ").capitalize(), value)
             for name, value in (*event.ids.items(), *event.details.items())]
    return [(label, value) for label, value in rows if value not in (None, "")]


def readable_body(raw: str) -> str:
    """A JSON body indented for reading (it was valid when stored); anything else as it came."""
    if raw.lstrip().startswith("{"):
        with contextlib.suppress(ValueError, RecursionError):
            return json.dumps(json.loads(raw), indent=2, ensure_ascii=False)
    return raw


class EventDetailScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "Close", id="event_detail.close"),
    ]

    def __init__(self, event: ReceivedEvent) -> None:
        super().__init__()
        self.event = event

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="event-detail"):
            yield Static(Content(f"Event {self.event.id}"), id="event-detail-title")
            for label, value in event_fields(self.event):
                yield Static(Content.assemble((f"{label}: ", "bold"), plain(value)),
                             classes="event-field", id=f"event-field-{label.replace(' ', '-')}")
            yield Static(Content("Body as received"), classes="event-raw-title")
            yield Static(plain(readable_body(self.event.raw), limit=RAW_LIMIT), id="event-raw")

    def action_close(self) -> None:
        self.dismiss(None)
