"""Quiet hours: may a marketing text go to this number now, and if not, when?

The window is in the recipient's local time (TCPA: 8 a.m. to 9 p.m., ``tui.sms.tcpa``), from
``start`` inclusive to ``end`` exclusive; a window whose start is after its end wraps past
midnight, and one whose start equals its end allows nothing.

When the number's zone is not known exactly, we are conservative: a send is allowed only when
the time is inside the window in EVERY zone the number could be in (``phones.timezones_of``:
all zones of its area code, or of its whole country code for a test or toll-free number). A
number whose country is unknown is always blocked.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from tui.sms.phones import timezones_of
from tui.sms.tcpa import CALLING_HOURS

Window = tuple[time, time]

# Far enough to cross a week of days in every zone from UTC-12 to UTC+14.
_SEARCH_DAYS: Final = 9


class NoSendWindow(ValueError):
    """No time is inside the window in every zone the number could be in; says what to do."""


def _inside(local: time, window: Window) -> bool:
    start, end = (t.replace(tzinfo=None) for t in window)
    if start < end:
        return start <= local < end
    if start > end:
        return local >= start or local < end
    return False


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("'at' must be timezone-aware (e.g. datetime.now(UTC)).")


def _allowed(at: datetime, zones: tuple[ZoneInfo, ...], window: Window) -> bool:
    return bool(zones) and all(
        _inside(at.astimezone(z).time().replace(tzinfo=None), window) for z in zones
    )


def quiet_hours_block(e164: str, at: datetime, window: Window = CALLING_HOURS) -> bool:
    """True when a marketing text to ``e164`` must not go out at ``at`` (timezone-aware)."""
    _require_aware(at)
    return not _allowed(at, timezones_of(e164), window)


def next_allowed_send(e164: str, at: datetime, window: Window = CALLING_HOURS) -> datetime:
    """The earliest moment at or after ``at`` when a text to ``e164`` is allowed.

    Returned in ``at``'s time zone. Raises ``NoSendWindow`` when the number's country is
    unknown, the window is empty, or the zones the number could be in share no allowed time.
    """
    _require_aware(at)
    zones = timezones_of(e164)
    if not zones:
        raise NoSendWindow(
            f"The time zone of {e164} is unknown, so quiet hours cannot be checked. "
            "Check the number (it should start with + and the country code)."
        )
    start = window[0].replace(tzinfo=None)
    if start == window[1].replace(tzinfo=None):
        raise NoSendWindow(
            f"The quiet-hours window starts and ends at {start:%H:%M}, so it allows no time. "
            "Set a different start or end in the profile's quiet_hours."
        )
    if _allowed(at, zones, window):
        return at
    # The allowed times are an intersection of per-zone windows, so the first one after `at`
    # begins where some zone's window begins: only those instants need checking.
    candidates: set[datetime] = set()
    for zone in zones:
        first_day = at.astimezone(zone).date()
        for offset in range(_SEARCH_DAYS):
            local = datetime.combine(first_day + timedelta(days=offset), start, tzinfo=zone)
            # A start inside a spring-forward gap maps past the gap: later, never too early.
            instant = local.astimezone(UTC)
            if instant >= at:
                candidates.add(instant)
    for instant in sorted(candidates):
        if _allowed(instant, zones, window):
            return instant.astimezone(at.tzinfo)
    names = ", ".join(str(z) for z in zones[:4]) + (" …" if len(zones) > 4 else "")
    raise NoSendWindow(
        f"{e164} could be in several time zones ({names}) and no time is inside "
        f"{start:%H:%M}–{window[1]:%H:%M} in all of them. Check the number, or send when you "
        "know where the recipient is."
    )
