"""The server's clock, as far as its answers tell it: the ``Date`` header and times it returned.

Reconciliation looks messages up in a window of the server's time, so a computer whose clock
runs minutes ahead or behind still finds the text it sent. Kept with the monotonic clock, so
changing the local wall clock meanwhile does not matter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


class ServerClock:
    """``observe`` what the server says the time is; ``now()`` is the server's time, or None."""

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._seen: tuple[datetime, float] | None = None

    def observe(self, date_header: str | None) -> None:
        """Learn from an HTTP ``Date`` header (ignored when absent or unreadable)."""
        if not date_header:
            return
        try:
            when = parsedate_to_datetime(date_header)
        except (TypeError, ValueError, IndexError):
            return
        self.observe_time(when if when.tzinfo else when.replace(tzinfo=UTC))

    def observe_time(self, when: datetime) -> None:
        """Learn from a time the server just stamped (``created_at`` of a text it just made)."""
        self._seen = (when.astimezone(UTC), self._monotonic())

    def now(self) -> datetime | None:
        if self._seen is None:
            return None
        when, at = self._seen
        return when + timedelta(seconds=max(0.0, self._monotonic() - at))

    def offset_from(self, local_now: datetime) -> float | None:
        """Seconds the server's clock is ahead of ``local_now`` (negative: behind), if known."""
        server = self.now()
        return None if server is None else (server - local_now).total_seconds()
