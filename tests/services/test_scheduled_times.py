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


def test_the_recipients_clock_is_shown_even_when_the_number_spans_zones() -> None:
    from tui.services.campaign_plan import local_time

    at = datetime(2026, 11, 30, 20, 43, tzinfo=UTC)
    assert local_time("+14046695563", at) == "15:43 America/New_York"
    # An Australian mobile could be in Perth or Sydney: the dialog said "unknown" before.
    assert local_time("+61412344858", at) == "03:13–07:43 (8 zones)"


def test_a_campaign_time_in_the_past_is_refused_with_a_sentence() -> None:
    from tui.services.scheduled import campaign_time

    now = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
    assert campaign_time("2026-03-15T13:00:00Z", now) == datetime(2026, 3, 15, 13, 0, tzinfo=UTC)
    with pytest.raises(ScheduleRefused, match="is in the past; choose a later time"):
        campaign_time("2026-03-15T11:00:00Z", now)
    with pytest.raises(ScheduleRefused, match="is not a time"):
        campaign_time("soon", now)
