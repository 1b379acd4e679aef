"""The list of conversations: name or number, last text, time and unread badge, newest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual._context import active_app
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tui.sms import phone_text
from tui.widgets.plain import drawn, fit, not_shown_text


class ConversationLine(Protocol):
    """What one row needs; the store's Conversation has these."""

    @property
    def phone(self) -> str: ...
    @property
    def display_name(self) -> str | None: ...
    @property
    def preview(self) -> str: ...
    @property
    def last_message_at(self) -> datetime | None: ...
    @property
    def unread_count(self) -> int: ...
    @property
    def opted_out(self) -> bool: ...
    # Also read when present: has_draft (bool) and triage ("done" | "needs_reply" | None).

# Marks after the name: a reply typed and not sent, and what the person flagged.
DRAFT_MARK = " ✎"
TRIAGE_MARKS = {"done": " ✓", "needs_reply": " !"}


def _short_time(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if (today - local).days < 7:
        return local.strftime("%a")
    return local.strftime("%b %d")


def row(conversation: ConversationLine, now: datetime, title: str, width: int) -> Text:
    """Two lines: name and time (+ unread badge), then the last text. Plain Text, not a Table:
    the list measures every row, and a Text is ten times cheaper to measure."""
    unread = conversation.unread_count
    right = _short_time(conversation.last_message_at, now)
    badge = f" {unread}" if unread else ""
    stop = " STOP" if conversation.opted_out else ""
    draft = DRAFT_MARK if getattr(conversation, "has_draft", False) else ""
    triage = getattr(conversation, "triage", None)
    flag = TRIAGE_MARKS.get(triage or "", "")
    marks = cell_len(stop) + cell_len(draft) + cell_len(flag)
    room = max(4, width - cell_len(right) - cell_len(badge) - marks - 3)
    name = fit(title, room)
    line = Text("● " if unread else "  ")
    line.append(name, style="bold" if unread else "")
    line.append(stop, style="bold red")
    line.append(flag, style="bold green" if triage == "done" else "bold yellow")
    line.append(draft, style="italic")
    gap = width - cell_len(line.plain) - cell_len(right) - cell_len(badge)
    line.append(" " * max(1, gap))
    line.append(right, style="dim")
    line.append(badge, style="bold reverse")
    preview = fit(" ".join(conversation.preview.split()), max(4, width - 3))
    line.append("\n  " + preview, style="dim")
    return line


ROW_LINES = 2  # every row: name and time, then the last text (each cut to the width)

Piece = tuple[str, "str | RichStyle | None"]  # characters and their span's style


def row_pieces(text: Text) -> list[list[Piece]] | None:
    """A row's Text as lines of (characters, span style); None for a Text with a style of
    its own or overlapping spans (a row never has them: it is then drawn the general way)."""
    if text.style:
        return None
    plain, at = text.plain, 0
    pieces: list[Piece] = []
    for span in sorted(text.spans, key=lambda span: span.start):
        if span.start < at:
            return None
        if span.start > at:
            pieces.append((plain[at:span.start], None))
        pieces.append((plain[span.start:span.end], span.style))
        at = span.end
    if at < len(plain):
        pieces.append((plain[at:], None))
    lines: list[list[Piece]] = [[]]
    for characters, style in pieces:
        for index, part in enumerate(characters.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append((part, style))
    return lines


class RowVisual(Visual):
    """One row, built when it is drawn and at the width it is drawn at. The list asks every
    option its height (two lines here, known without building it), but draws only the rows
    on screen: a hundred rows at start cost the twenty that show, built once at the real
    width (not at mount with a guessed width, then again at the first resize)."""

    def __init__(self, owner: ConversationList, conversation: ConversationLine) -> None:
        self.owner = owner
        self.conversation = conversation
        self._built: tuple[int, Text] | None = None

    def text(self, width: int) -> Text:
        """The row at this width (kept: the list draws it again for the highlight)."""
        if self._built is None or self._built[0] != width:
            owner, conversation = self.owner, self.conversation
            self._built = (width, drawn(
                "a conversation row",
                lambda: row(conversation, owner._now, owner._title(conversation), width),
                not_shown_text(),
            ))
        return self._built[1]

    def pieces(self, width: int) -> list[list[Piece]] | None:
        return row_pieces(self.text(width))

    def __str__(self) -> str:
        return self.text(self.owner.row_width()).plain

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        # Room for a scrollbar that may appear later: a row wider than this would wrap.
        text = self.text(max(20, width - 2))
        content = Content.from_rich_text(text, console=active_app.get().console)
        strips = content.render_strips(width, height, style, options)[:ROW_LINES]
        blank = Strip.blank(width, style.rich_style)
        return strips + [blank] * (ROW_LINES - len(strips))

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return ROW_LINES


class ConversationList(OptionList):
    """OptionList renders only visible lines, so a thousand conversations stay instant."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", id="conversations.down", show=False),
        Binding("k", "cursor_up", "Up", id="conversations.up", show=False),
        Binding("g", "first", "First", id="conversations.first", show=False),
        Binding("G", "last", "Last", id="conversations.last", show=False),
    ]

    def __init__(self, *, country: str = "US", id: str | None = None) -> None:
        super().__init__(id=id)
        self.country = country
        self._conversations: list[ConversationLine] = []
        self._now = datetime.now().astimezone()
        self._numbers_timer: Timer | None = None
        # Told at once (not by a message later) which conversation Enter or a click chose:
        # the screen moves the focus before the keys typed after Enter are handled.
        self.chosen: Callable[[str], None] | None = None
        self._span_styles: dict[tuple[str | RichStyle, int], Style] = {}

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """A row's two lines, styled as Textual styles them (the option's style under each
        span's), without going through ``Visual.to_strips`` and Content's line wrapping: a row
        is two lines already cut to the width. A quarter of the time: the first frame's
        eighteen rows took ~8 ms of its ~17 ms render. Anything else is Textual's to draw."""
        visual = option.prompt
        padding = self.get_component_styles("option-list--option").padding
        if not isinstance(visual, RowVisual) or padding or option._divider:
            return super()._get_option_render(option, style)
        key = (option, style, padding)
        if (strips := self._option_render_cache.get(key)) is not None:
            return strips
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        lines = visual.pieces(max(20, width - 2))  # room for a scrollbar, as render_strips
        if lines is None:
            return super()._get_option_render(option, style)
        plain = (style + style).rich_style  # what Content gives text without a span
        meta = {"option": self._option_to_index[option]}
        strips = [
            Strip([Segment(characters, self._span_style(style, span) if span else plain)
                   for characters, span in line])
            .crop(0, width).extend_cell_length(width, style.rich_style).apply_meta(meta)
            for line in (lines + [[]] * ROW_LINES)[:ROW_LINES]
        ]
        self._option_render_cache[key] = strips
        return strips

    def _span_style(self, style: Style, span: str | RichStyle) -> RichStyle:
        """The option's style with a span's on top, as Content combines them."""
        app = self.app
        cache_key = (span, id(app.ansi_theme))
        parsed = self._span_styles.get(cache_key)
        if parsed is None:
            rich = app.console.get_style(span) if isinstance(span, str) else span
            parsed = self._span_styles[cache_key] = Style.from_rich_style(rich, app.ansi_theme)
        return (style + (style + parsed)).rich_style

    def action_select(self) -> None:
        phone = self.highlighted_phone
        if self.chosen is not None and phone is not None:
            self.chosen(phone)
        else:
            super().action_select()

    def show(
        self, conversations: Sequence[ConversationLine], *, now: datetime,
        keep: str | None = None,
    ) -> None:
        """Replace the rows; ``keep`` (else the highlighted one) stays highlighted if listed."""
        current = keep or self.highlighted_phone
        self._conversations = list(conversations)
        self._now = now
        self.set_options(self._option(c) for c in self._conversations)
        if current is not None:
            self.highlight(current)

    def append(self, conversations: Sequence[ConversationLine]) -> None:
        """The next page, at the bottom (the list is paged: see InboxScreen)."""
        known = {c.phone for c in self._conversations}
        fresh = [c for c in conversations if c.phone not in known]
        self._conversations.extend(fresh)
        self.add_options(self._option(c) for c in fresh)

    def on_mount(self) -> None:
        if not phone_text.exact():
            # Numbers drawn before phonenumbers was loaded (after the first paint) are close
            # approximations: redraw those rows in place once it is (the highlight stays).
            self._numbers_timer = self.set_interval(0.2, self._redraw_numbers)

    def _redraw_numbers(self) -> None:
        if not phone_text.exact() or self._numbers_timer is None:
            return
        self._numbers_timer.stop()
        for conversation in self._conversations:
            if not conversation.display_name:
                self.replace_option_prompt(conversation.phone, self._option(conversation).prompt)

    @property
    def loaded(self) -> int:
        return len(self._conversations)

    def _option(self, conversation: ConversationLine) -> Option:
        return Option(RowVisual(self, conversation), id=conversation.phone)

    def row_width(self) -> int:
        """The width rows are drawn at now (room for a scrollbar that may appear later)."""
        return max(20, (self.scrollable_content_region.width or 36) - 2)

    def _title(self, conversation: ConversationLine) -> str:
        """The contact's name, else the number as people write it in this country."""
        if conversation.display_name:
            return conversation.display_name
        return phone_text.display_now(conversation.phone, self.country)

    @property
    def highlighted_phone(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def highlight(self, phone: str) -> None:
        try:
            self.highlighted = self.get_option_index(phone)
        except OptionDoesNotExist:  # the conversation left this view (filtered out)
            return

    def next_unread(self, phone: str | None, *, forward: bool = True) -> str | None:
        """The next (or previous) conversation with unread texts, wrapping around."""
        phones = [c.phone for c in self._conversations]
        if not phones:
            return None
        start = phones.index(phone) if phone in phones else -1
        count = len(phones)
        step = 1 if forward else -1
        for offset in range(1, count + 1):
            candidate = self._conversations[(start + step * offset) % count]
            if candidate.unread_count and candidate.phone != phone:
                return candidate.phone
        return None
