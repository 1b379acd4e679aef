"""The one-line status bar: profile, connection, rate-limit headroom, unread and outbox state."""

from __future__ import annotations

import math
import time
from datetime import datetime

from textual.content import Content
from textual.widget import Widget

from tui.frozen_record import frozen_record
from tui.widgets.plain import plain
from tui.widgets.status_texts import (
    GAP,
    catch_up_forms,
    connection_forms,
    fitted,
    headroom_forms,
    outbox_forms,
    profile_forms,
    sync_forms,
    unread_forms,
)


@frozen_record
class DeskStatus:
    """Everything the status bar shows; the app replaces it whole when anything changes."""

    profile: str = "default"
    connection: str = "connecting"  # connecting | online | retrying | offline | refused
    retry_at: float | None = None  # time.monotonic() of the next attempt last reported
    reason: str = ""  # why not online, in a few words ("answer too slow")
    headroom: str = ""
    unread: int = 0
    outbox_sending: int = 0
    outbox_failed: int = 0
    # The first run's history: (texts read, texts in all, conversations so far), else None.
    catch_up: tuple[int, int, int] | None = None
    last_poll: datetime | None = None  # the last successful poll of new texts
    sync: str = ""  # contacts sync progress ("contacts 12,400 / 98,113"), "" when idle


PARTS = ("profile", "connection", "catch-up", "headroom", "unread", "outbox", "sync")


class StatusBar(Widget):
    """Reads ``app.desk_status`` and follows it; every section screen has one.

    One widget drawing one line, not a widget per part: seven parts cost about 6 ms of the
    cold start to compose and style, and a part whose width changed laid out the whole screen
    (a frame the person typing waits on). A change repaints this one line only."""

    def __init__(self) -> None:
        super().__init__()
        # The countdown shown (a moment, so it ticks: the app redraws each second) and the
        # latest one reported (the poll, receipts, sync and replies all report their own).
        self._retry_at: float | None = None
        self._reported: float | None = None
        self._forms: dict[str, tuple[str, ...]] = {part: ("",) for part in PARTS}
        self._styles: dict[str, str] = {}

    def on_mount(self) -> None:
        self.watch(self.app, "desk_status", self._show, init=True)

    def _countdown(self, reported: float | None) -> str:
        """Only ever counts down: a running countdown is neither cut short nor pushed back by
        another request's report; the latest report starts the next one once it has ended."""
        now = time.monotonic()
        if reported is not None:
            self._reported = reported
        running = self._retry_at is not None and self._retry_at > now
        if not running and self._reported is not None and self._reported > now:
            self._retry_at = self._reported
        if self._retry_at is None:
            return ""
        left = math.ceil(self._retry_at - now)
        return f"retrying in {left}s" if left > 0 else "retrying now…"

    def _show(self, status: DeskStatus) -> None:
        label = {
            "online": "● online",
            "offline": "○ offline",
            "connecting": "◌ connecting",
            "refused": "✗ token refused (check it: smsdesk config show)",
        }.get(status.connection, status.connection)
        reason = countdown = ""
        if status.connection in {"offline", "retrying"}:
            label, reason = "○ offline", status.reason
            countdown = self._countdown(status.retry_at)
        else:
            self._retry_at = self._reported = None
        checked = f"{status.last_poll.astimezone():%H:%M:%S}" if status.last_poll else ""
        forms = {
            "profile": profile_forms(status.profile),
            "connection": connection_forms(label, reason, countdown, checked),
            "catch-up": catch_up_forms(*status.catch_up) if status.catch_up else ("",),
            "headroom": headroom_forms(status.headroom),
            "unread": unread_forms(status.unread),
            "outbox": outbox_forms(status.outbox_sending, status.outbox_failed),
            "sync": sync_forms(status.sync),
        }
        styles = {
            "connection": ("bold $error" if status.connection in {"offline", "refused"}
                           else "$warning" if status.connection == "retrying" else ""),
            "unread": "bold $accent" if status.unread > 0 else "",
            "outbox": "bold $error" if status.outbox_failed > 0 else "",
        }
        # The bar is told every second: repaint only when what it says changed.
        if forms != self._forms or styles != self._styles:
            self._forms, self._styles = forms, styles
            self.refresh()

    def _texts(self) -> dict[str, str]:
        # Before the first layout the width is 0: say everything (the resize fits it).
        if not self.size.width:
            return {part: wordings[0] for part, wordings in self._forms.items()}
        return fitted(self._forms, self.size.width)

    def part(self, name: str) -> str:
        """What one part says now, at this width ("" when it is not shown)."""
        return self._texts()[name]

    def render(self) -> Content:
        pieces: list[Content] = []
        for part, text in self._texts().items():
            if text:
                pieces.append(plain(text, single_line=True, style=self._styles.get(part, "")))
        return Content(" " * GAP).join(pieces)
