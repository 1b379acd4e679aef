"""When a scheduled text goes: ISO 8601 or the recipient's HH:MM; never past, never at night."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tui.services.scheduled import QuietHoursConflict, ScheduleRefused, check_time, parse_when

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 6, 2, 17, 0, tzinfo=UTC)  # 12:00 in Chicago
CHICAGO_PHONE = "+13125550178"


def test_hh_mm_is_the_recipients_next_such_time() -> None:
    assert parse_when("18:30", CHICAGO_PHONE, NOW) == datetime(2026, 6, 2, 18, 30, tzinfo=CHICAGO)
    assert parse_when("09:00", CHICAGO_PHONE, NOW) == datetime(2026, 6, 3, 9, 0, tzinfo=CHICAGO)


def test_iso_8601_with_and_without_an_offset() -> None:
    assert parse_when("2026-06-03T10:00:00Z", CHICAGO_PHONE, NOW) == \
        datetime(2026, 6, 3, 10, 0, tzinfo=UTC)
    assert parse_when("2026-06-03 10:00", CHICAGO_PHONE, NOW).tzinfo is not None


def test_nonsense_and_unknown_zones_are_refused_with_a_sentence() -> None:
    with pytest.raises(ScheduleRefused, match="not a time"):
        parse_when("next tuesday", CHICAGO_PHONE, NOW)
    with pytest.raises(ScheduleRefused, match="not known"):
        parse_when("10:00", "+999", NOW)


def test_a_past_time_is_refused_and_a_night_time_offers_the_next_allowed_one() -> None:
    with pytest.raises(ScheduleRefused, match="past"):
        check_time(CHICAGO_PHONE, datetime(2026, 6, 1, 12, tzinfo=UTC), NOW)
    with pytest.raises(QuietHoursConflict) as night:
        check_time(CHICAGO_PHONE, datetime(2026, 6, 2, 23, 30, tzinfo=CHICAGO), NOW)
    assert night.value.allowed == datetime(2026, 6, 3, 8, 0, tzinfo=CHICAGO)
    check_time(CHICAGO_PHONE, datetime(2026, 6, 2, 18, 0, tzinfo=CHICAGO), NOW)
