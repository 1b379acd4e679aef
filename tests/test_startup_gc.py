"""The collector is paused while the app starts and comes back once its first screen is drawn;
in the app, full collections wait until background work pauses."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.snapshot_data import fixed_desk
from tui import startup_gc
from tui.cli import run


@pytest.fixture(autouse=True)
def collector_back_on() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.enable()
    gc.set_threshold(*thresholds)


def test_resume_turns_the_collector_on_once_and_freezes_the_start_up_objects() -> None:
    startup_gc.pause()
    assert not gc.isenabled()
    startup_gc.resume(freeze=True)
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > 0
    startup_gc.resume(freeze=True)  # a second call changes nothing
    assert gc.get_freeze_count() == frozen


def test_a_command_gets_the_collector_back_unfrozen(capsys: pytest.CaptureFixture[str]) -> None:
    startup_gc.pause()
    with pytest.raises(SystemExit):
        run(["--version"])
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_desk_resumes_it_when_the_first_screen_is_drawn(tmp_path: Path) -> None:
    desk = fixed_desk(tmp_path)
    startup_gc.pause()
    desk.painted()
    assert gc.isenabled()
    assert desk.is_painted


async def test_what_loads_after_the_paint_is_frozen_once_the_services_are_up(
    tmp_path: Path,
) -> None:
    desk = fixed_desk(tmp_path)
    gc.unfreeze()
    desk.attach()  # headless: no screen to wait for
    await desk.services()
    # httpx, the API models and the services' objects are out of the collector's sight.
    assert gc.get_freeze_count() > 0
    await desk.close()


class Collections:
    def __init__(self) -> None:
        self.generations: list[int] = []

    def __call__(self, generation: int) -> int:
        self.generations.append(generation)
        return 0


async def test_in_the_app_a_due_full_collection_waits_until_background_work_pauses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiet = [0.5]
    collections = Collections()
    collector = startup_gc.QuietCollector(
        asyncio.get_running_loop(), quiet=lambda: quiet[0], collect=collections)
    collector.start()
    try:
        # The interpreter's own full collections come ten times later than by default.
        assert gc.get_threshold()[2] == startup_gc.FULL_AT_THE_LATEST
        monkeypatch.setattr(startup_gc.QuietCollector, "full_collection_due",
                            staticmethod(lambda: True))
        collector.check()  # the store's thread worked half a second ago
        assert collections.generations == []
        quiet[0] = startup_gc.QUIET_FOR
        collector.check()
        assert collections.generations == [2]
        monkeypatch.setattr(startup_gc.QuietCollector, "full_collection_due",
                            staticmethod(lambda: False))
        collector.check()  # quiet, but nothing due
        assert collections.generations == [2]
    finally:
        collector.stop()
    assert gc.get_threshold()[2] != startup_gc.FULL_AT_THE_LATEST


def test_a_full_collection_is_due_after_ten_middle_ones() -> None:
    gc.collect()
    assert not startup_gc.QuietCollector.full_collection_due()
    for _ in range(startup_gc.FULL_EVERY):
        gc.collect(1)
    assert startup_gc.QuietCollector.full_collection_due()


async def test_resumed_on_the_apps_loop_full_collections_wait_for_quiet() -> None:
    startup_gc.pause()
    startup_gc.resume(freeze=False)
    assert gc.isenabled()
    assert gc.get_threshold()[2] == startup_gc.FULL_AT_THE_LATEST


async def test_the_store_says_when_it_works(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    from tui.store import AsyncStore, open_store

    said: list[str] = []
    monkeypatch.setattr(startup_gc, "busy", lambda: said.append("busy"))
    store = AsyncStore(open_store(tmp_path / "busy.db"))
    try:
        said.clear()
        await store.count_unread()
        assert said == ["busy", "busy"]  # as the query starts and when it is done
    finally:
        await store.close()


async def test_a_key_or_a_click_holds_a_due_full_collection_back(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    from tui.app import SmsDeskApp
    from tui.widgets.status_bar import StatusBar

    told: list[str] = []  # who said "busy" (the store's thread says it too, around queries)
    monkeypatch.setattr(startup_gc, "busy", lambda: told.append(sys._getframe(1).f_code.co_name))
    app = SmsDeskApp(fixed_desk(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        told.clear()
        await pilot.press("f12")  # a key that asks nothing of the store
        assert "on_event" in told
        told.clear()
        await pilot.click(StatusBar)
        assert "on_event" in told
