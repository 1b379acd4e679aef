"""The Activity section (key 6): provider events live, filtered, counted and charted."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Sparkline, Static
from textual.widgets.data_table import ColumnKey

from tui.desk import DeskEvent, EventsArrived
from tui.events.model import KIND_LABELS
from tui.safe_text import shown
from tui.screens.event_detail import EventDetailScreen
from tui.screens.section import SectionScreen
from tui.services.events import EventFeed, parse_filter
from tui.store import ReceivedEvent

ROWS = 200
# Time, kind, provider and who, with each column's padding and the scrollbar.
FIXED_COLUMNS = 8 + 11 + 8 + 18 + 2 * 5 + 2
CHARTS = (("inbound_message", "Inbound texts"), ("subscribe", "Opt-ins"),
          ("unsubscribe", "Opt-outs"))
PROVIDER_NAMES = {"mobiniti": "Mobiniti", "optit": "Opt It", "skycore": "Skycore"}


def what_happened(event: ReceivedEvent) -> str:
    """The line a person reads: the text for an inbound message, else the code's meaning."""
    if event.kind == "inbound_message":
        return event.text or ""
    parts = [event.status_code or "", event.meaning or ""]
    return " ".join(p for p in parts if p)


class ActivityScreen(SectionScreen):
    SECTION, TITLE = "activity", "Activity"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="activity.filter"),
        Binding("enter", "details", "Details", id="activity.details", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="activity.clear_filter",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, ReceivedEvent] = {}

    def compose_body(self) -> ComposeResult:
        with Vertical(id="activity"):
            yield Static(id="activity-today")
            with Horizontal(id="activity-charts"):
                for kind, title in CHARTS:
                    with Vertical(classes="activity-chart"):
                        yield Static(Content(title), id=f"chart-title-{kind}",
                                     classes="chart-title")
                        yield Sparkline([0] * 24, id=f"chart-{kind}")
            yield Input(placeholder="/ filter: kind, provider or number (e.g. optout skycore 650)",
                        id="activity-filter")
            yield DataTable(id="activity-events", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (("Time", 8), ("Kind", 11), ("Provider", 8), ("Who", 18),
                             ("What happened", self._what_width())):
            table.add_column(label, key=label, width=width)
        self.desk.listen(self._on_desk_event)
        self.refresh_events()
        table.focus()

    def on_unmount(self) -> None:
        self.desk.unlisten(self._on_desk_event)

    def _what_width(self) -> int:
        """The last column takes what the others leave (no sideways scrolling)."""
        return max(20, self.app.size.width - FIXED_COLUMNS)

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        column = table.columns.get(ColumnKey("What happened"))
        if column is not None and column.width != self._what_width():
            column.width = self._what_width()
            self.refresh_events()

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, EventsArrived):
            self.refresh_events()

    @work(exclusive=True, group="activity")
    async def refresh_events(self) -> None:
        feed = await self.desk.event_feed()
        where = parse_filter(self.query_one("#activity-filter", Input).value)
        events = await feed.recent(where, limit=ROWS)
        await self._show_counts(feed)
        await self._show_rows(events)

    async def _show_counts(self, feed: EventFeed) -> None:
        counts = await feed.counts_today()
        parts = [f"{KIND_LABELS.get(kind, kind)} {counts[kind]}" for kind in KIND_LABELS
                 if counts.get(kind)]
        today = "  ·  ".join(parts) if parts else "no events yet"
        self.query_one("#activity-today", Static).update(Content(f"Today: {today}"))
        hourly = await feed.per_hour(tuple(kind for kind, _title in CHARTS))
        for kind, title in CHARTS:
            series = hourly[kind]
            self.query_one(f"#chart-{kind}", Sparkline).data = [float(n) for n in series]
            self.query_one(f"#chart-title-{kind}", Static).update(
                Content(f"{title}, 24 h: {sum(series)}  (peak {max(series)}/h)"))

    async def _show_rows(self, events: list[ReceivedEvent]) -> None:
        table = self.query_one(DataTable)
        names: dict[str, str] = {}
        for event in events:
            if event.phone and event.phone not in names:
                conversation = await self.desk.store.conversation(event.phone)
                names[event.phone] = (conversation.display_name if conversation and
                                      conversation.display_name else
                                      self.desk.display(event.phone))
        # At the top the cursor follows the stream; further down it stays on its event.
        selected = self._selected_key() if table.cursor_row > 0 else None
        today = self.desk.now().astimezone().date()
        table.clear()
        self._rows = {}
        for event in events:
            key = str(event.id)
            self._rows[key] = event
            table.add_row(  # every cell plain Text: a str cell would be parsed as markup
                Text(_local(event.received_at, today)),
                Text(shown(KIND_LABELS.get(event.kind, event.kind), single_line=True)),
                Text(shown(PROVIDER_NAMES.get(event.provider, event.provider),
                           single_line=True)),
                Text(shown(names.get(event.phone or "", ""), single_line=True, limit=18)),
                Text(shown(what_happened(event), single_line=True, limit=self._what_width())),
                key=key,
            )
        if selected in self._rows:
            table.move_cursor(row=table.get_row_index(selected))

    def _selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # --- actions -----------------------------------------------------------------------

    @on(Input.Changed, "#activity-filter")
    def _filter_changed(self) -> None:
        self.refresh_events()

    @on(Input.Submitted, "#activity-filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#activity-filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#activity-filter", Input)
        box.value = ""
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#activity-events")
    def _row_chosen(self) -> None:
        self.action_details()

    def action_details(self) -> None:
        key = self._selected_key()
        if key in self._rows:
            self.app.push_screen(EventDetailScreen(self._rows[key]))


def _local(when: datetime, today: date) -> str:
    """The time for today's events, the day for older ones (the column is 8 wide)."""
    local = when.astimezone()
    return local.strftime("%H:%M:%S") if local.date() == today else local.strftime("%b %d")
