"""A scheduled text a killed run left being saved is looked up when the app starts (posted only
if the server has none), and one whose fate is unclear is shown on the Scheduled screen."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from textual.widgets import OptionList

from tests.services.campaign_env import add_group
from tests.ui.campaign_desk import campaign_desk, next_chicago
from tests.ui.helpers import until
from tui.app import SmsDeskApp
from tui.sandbox import Sandbox
from tui.screens.campaign_dialogs import ConfirmDialog
from tui.store.scheduled_intents import add_intent, open_intents, set_intent

SIZE = (140, 44)
SCHEDULE = ("POST", "/v1/message/schedule")


async def test_a_text_left_being_saved_is_posted_once_when_the_app_starts(
    sandbox: Sandbox, tmp_path: Path,
) -> None:
    add_group(sandbox, "One", 1, area="650253")
    now = next_chicago(time(12))
    desk, counting = campaign_desk(sandbox, tmp_path / "s.db", now=now)
    # Written down by a run killed before its POST /message/schedule went out.
    await desk.store.call(add_intent, desk.store.sync.db, key="left", phone="+16502530000",
                          message="Back on Monday", send_at=now + timedelta(days=1),
                          now=datetime.now(UTC), server_offset=0.0)
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: any(s.message == "Back on Monday"
                                for s in sandbox.state.scheduled.values()), timeout=15)
        await until(lambda: not open_intents(desk.store.sync.db))
        await pilot.press("5")
        listing = app.screen.query_one("#scheduled-list", OptionList)
        await until(lambda: any("Back on Monday" in str(o.prompt) for o in listing.options))
    assert [s.message for s in sandbox.state.scheduled.values()].count("Back on Monday") == 1
    assert counting.calls[SCHEDULE] == 1


async def test_a_maybe_scheduled_text_is_shown_with_its_reason_and_x_forgets_the_note(
    sandbox: Sandbox, tmp_path: Path,
) -> None:
    now = next_chicago(time(12))
    desk, counting = campaign_desk(sandbox, tmp_path / "s.db", now=now)
    db = desk.store.sync.db
    await desk.store.call(add_intent, db, key="odd", phone="+16502530000",
                          message="Which one?", send_at=now + timedelta(days=1),
                          now=datetime.now(UTC), server_offset=0.0)
    await desk.store.call(set_intent, db, "odd", "unclear", now=datetime.now(UTC),
                          last_error="Maybe scheduled: the server has 2 identical texts.")
    app = SmsDeskApp(desk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        listing = app.screen.query_one("#scheduled-list", OptionList)
        await until(lambda: "intent:odd" in [o.id for o in listing.options])
        shown = str(listing.get_option("intent:odd").prompt)
        assert "maybe scheduled" in shown and "2 identical texts" in shown
        listing.highlighted = listing.get_option_index("intent:odd")
        await pilot.press("x")
        await until(lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await until(lambda: not open_intents(db))
        await until(lambda: "intent:odd" not in [o.id for o in listing.options])
    assert counting.calls[SCHEDULE] == 0  # never posted blind
