"""The status bar at 60 and 80 columns: parts shorten in order instead of being cut at the edge,
so failed texts, unread texts and the connection stay readable at every width."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.ui.helpers import screen_lines
from tests.ui.snapshot_data import fixed_desk
from tui.app import SmsDeskApp
from tui.widgets.status_texts import (
    catch_up_forms,
    connection_forms,
    fitted,
    headroom_forms,
    line_width,
    outbox_forms,
    profile_forms,
    sync_forms,
    unread_forms,
)

BUSY = {
    "connection": "online",
    "last_poll": datetime(2026, 11, 30, 12, 0, 5, tzinfo=UTC),
    "catch_up": (4_470, 9_000, 1_501),
    "unread": 12,
    "outbox_sending": 2,
    "outbox_failed": 1,
    "sync": "contacts 12,400 / 98,113",
}


async def _bar_at(tmp_path: Path, width: int, height: int) -> str:
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        app.update_status(**BUSY)
        await pilot.pause()
        await pilot.pause()
        return screen_lines(app)[-2]


async def test_at_60_columns_failed_and_unread_texts_stay_whole(tmp_path: Path) -> None:
    """Failed on 11ed949: the bar read "◆ shop  ● online · checked 12:00:05  ⟳ catching up:
    1,501 " and ended there, the failed text and the unread count past the edge."""
    bar = await _bar_at(tmp_path, 60, 20)
    assert "✗1 failed" in bar
    assert "✉ 12" in bar
    assert "● online" in bar
    assert "⟳ 49%" in bar  # the catch-up in a word


async def test_at_80_columns_the_catch_up_and_sync_say_how_far_they_are(tmp_path: Path) -> None:
    bar = await _bar_at(tmp_path, 80, 24)
    assert "✗1 failed" in bar and "✉ 12 unread" in bar
    assert "⟳ 49%" in bar or "4,470 / 9,000" in bar
    assert "contacts 12%" in bar or "contacts 12,400 / 98,113" in bar


async def test_wide_enough_everything_is_said_in_full(tmp_path: Path) -> None:
    bar = await _bar_at(tmp_path, 220, 40)
    assert "⟳ catching up: 1,501 conversations · 4,470 / 9,000 texts" in bar
    assert "↑ sending 2  ✗ 1 failed" in bar
    assert "contacts 12,400 / 98,113" in bar
    assert "● online · checked " in bar


def _forms(failed: int, unread: int, reason: str, countdown: str, sync: str,
           headroom: str, catch_up: tuple[int, int, int] | None) -> dict[str, tuple[str, ...]]:
    return {
        "profile": profile_forms("shop"),
        "connection": connection_forms("○ offline" if reason else "● online", reason,
                                       countdown, "12:00:05"),
        "catch-up": catch_up_forms(*catch_up) if catch_up else ("",),
        "headroom": headroom_forms(headroom),
        "unread": unread_forms(unread),
        "outbox": outbox_forms(0, failed),
        "sync": sync_forms(sync),
    }


@given(
    width=st.integers(min_value=1, max_value=240),
    failed=st.integers(min_value=0, max_value=10_000),
    unread=st.integers(min_value=0, max_value=100_000),
    reason=st.sampled_from(["", "answer too slow", "the server answered HTML, HTTP 502"]),
    countdown=st.sampled_from(["", "retrying in 4s"]),
    sync=st.sampled_from(["", "contacts 1 / 3", "groups 5", "contacts sync stopped (see the log)"]),
    headroom=st.sampled_from(["", "rate ok", "rate paused 12s",
                              "rate: pacing · 3 requests waiting"]),
    catch_up=st.none() | st.tuples(st.integers(0, 10**6), st.integers(0, 10**6),
                                   st.integers(0, 10**5)),
)
def test_the_line_fits_or_every_part_is_at_its_shortest(
    width: int, failed: int, unread: int, reason: str, countdown: str, sync: str,
    headroom: str, catch_up: tuple[int, int, int] | None,
) -> None:
    forms = _forms(failed, unread, reason, countdown, sync, headroom, catch_up)
    texts = fitted(forms, width)
    assert set(texts) == set(forms)
    assert all(texts[part] in forms[part] for part in forms)
    shortest = [wordings[-1] for wordings in forms.values()]
    assert line_width(list(texts.values())) <= width or list(texts.values()) == shortest
    # What needs the person never goes: failed texts, the unread count, the connection.
    if failed:
        assert texts["outbox"].replace(" ", "").startswith(f"✗{failed}failed")
    assert texts["unread"].startswith(f"✉ {unread}")
    assert texts["connection"].startswith("○ offline" if reason else "● online")
    # Wider never says less.
    wider = fitted(forms, width + 20)
    assert line_width(list(wider.values())) >= line_width(list(texts.values())) or \
        line_width(list(texts.values())) > width
