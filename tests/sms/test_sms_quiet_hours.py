"""Quiet hours in the recipient's local time; conservative when the zone is not known."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tui.sms.compliance import NoSendWindow, next_allowed_send, quiet_hours_block
from tui.sms.tcpa import CALLING_HOURS

LOS_ANGELES = "+16502530000"
NEW_YORK = "+12125550100"
TEST_RANGE = "+16501112222"  # a provider's test number: anywhere in +1
LA = ZoneInfo("America/Los_Angeles")


def _la(
    year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LA)


def test_the_default_window_is_8_am_to_9_pm() -> None:
    assert (time(8), time(21)) == CALLING_HOURS


@pytest.mark.parametrize(
    ("local", "blocked"),
    [
        ((2025, 6, 2, 7, 59, 59), True),
        ((2025, 6, 2, 8, 0, 0), False),
        ((2025, 6, 2, 12, 0, 0), False),
        ((2025, 6, 2, 20, 59, 59), False),
        ((2025, 6, 2, 21, 0, 0), True),
        ((2025, 6, 2, 23, 30, 0), True),
        ((2025, 6, 2, 3, 0, 0), True),
    ],
)
def test_window_starts_inclusive_and_ends_exclusive_in_recipient_time(
    local: tuple[int, ...], blocked: bool
) -> None:
    at = _la(*local).astimezone(UTC)  # the sender's clock zone does not matter
    assert quiet_hours_block(LOS_ANGELES, at) is blocked


def test_the_same_instant_is_allowed_in_new_york_and_blocked_in_los_angeles() -> None:
    at = datetime(2025, 6, 2, 13, 0, tzinfo=UTC)  # 9:00 in New York, 6:00 in Los Angeles
    assert not quiet_hours_block(NEW_YORK, at)
    assert quiet_hours_block(LOS_ANGELES, at)


def test_daylight_saving_time_is_respected() -> None:
    winter = datetime(2025, 1, 15, 15, 30, tzinfo=UTC)  # 7:30 PST
    summer = datetime(2025, 7, 15, 15, 30, tzinfo=UTC)  # 8:30 PDT
    assert quiet_hours_block(LOS_ANGELES, winter)
    assert not quiet_hours_block(LOS_ANGELES, summer)


def test_profile_window_replaces_the_default() -> None:
    at = _la(2025, 6, 2, 20, 30)
    assert not quiet_hours_block(LOS_ANGELES, at)
    assert quiet_hours_block(LOS_ANGELES, at, (time(8), time(20)))


def test_window_that_wraps_midnight() -> None:
    night = (time(22), time(6))
    assert not quiet_hours_block(LOS_ANGELES, _la(2025, 6, 2, 23, 0), night)
    assert not quiet_hours_block(LOS_ANGELES, _la(2025, 6, 2, 5, 59), night)
    assert quiet_hours_block(LOS_ANGELES, _la(2025, 6, 2, 12, 0), night)


def test_number_of_unknown_zone_is_allowed_only_when_every_possible_zone_allows() -> None:
    # Anywhere in +1 runs from Pago Pago (UTC-11) to Guam (UTC+10).
    five_pm_new_york = datetime(2025, 6, 2, 21, 0, tzinfo=UTC)
    assert not quiet_hours_block(NEW_YORK, five_pm_new_york)
    assert quiet_hours_block(TEST_RANGE, five_pm_new_york)  # 7 a.m. in Guam
    assert not quiet_hours_block(TEST_RANGE, datetime(2025, 6, 2, 22, 30, tzinfo=UTC))


def test_number_of_unknown_country_is_always_blocked() -> None:
    at = datetime(2025, 6, 2, 18, 0, tzinfo=UTC)
    assert quiet_hours_block("+999123", at)
    assert quiet_hours_block("garbage", at)
    with pytest.raises(NoSendWindow, match="time zone of garbage is unknown"):
        next_allowed_send("garbage", at)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        quiet_hours_block(LOS_ANGELES, datetime(2025, 6, 2, 12))


def test_next_allowed_send_is_now_when_allowed() -> None:
    at = _la(2025, 6, 2, 12, 0)
    assert next_allowed_send(LOS_ANGELES, at) == at


def test_next_allowed_send_after_the_evening_is_8_am_next_day_in_the_senders_zone() -> None:
    eastern = timezone(timedelta(hours=-4))
    at = _la(2025, 6, 2, 22, 15).astimezone(eastern)
    result = next_allowed_send(LOS_ANGELES, at)
    assert result == _la(2025, 6, 3, 8, 0)
    assert result.tzinfo is eastern


def test_next_allowed_send_before_the_morning_is_8_am_same_day() -> None:
    assert next_allowed_send(LOS_ANGELES, _la(2025, 6, 2, 6, 10)) == _la(2025, 6, 2, 8, 0)


def test_next_allowed_send_across_the_spring_forward_night() -> None:
    at = _la(2025, 3, 8, 23, 0)  # clocks jump from 2:00 to 3:00 on 9 March
    result = next_allowed_send(LOS_ANGELES, at)
    assert result == _la(2025, 3, 9, 8, 0)
    assert result.astimezone(UTC).hour == 15  # PDT, UTC-7


def test_next_allowed_send_for_an_unknown_zone_waits_for_every_zone() -> None:
    at = datetime(2025, 6, 2, 21, 0, tzinfo=UTC)
    result = next_allowed_send(TEST_RANGE, at)
    assert result == datetime(2025, 6, 2, 22, 0, tzinfo=UTC)  # 8:00 in Guam
    assert not quiet_hours_block(TEST_RANGE, result)
    assert quiet_hours_block(TEST_RANGE, result - timedelta(seconds=1))


def test_no_common_window_across_zones_raises_with_what_to_do() -> None:
    at = datetime(2025, 6, 2, 21, 0, tzinfo=UTC)
    with pytest.raises(NoSendWindow, match="no time is inside 09:00–17:00"):
        next_allowed_send(TEST_RANGE, at, (time(9), time(17)))


def test_empty_window_blocks_everything_and_says_so() -> None:
    at = _la(2025, 6, 2, 12, 0)
    assert quiet_hours_block(LOS_ANGELES, at, (time(9), time(9)))
    with pytest.raises(NoSendWindow, match="allows no time"):
        next_allowed_send(LOS_ANGELES, at, (time(9), time(9)))
