"""The collector is paused while the app starts and comes back once its first screen is drawn."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.snapshot_data import fixed_desk
from tui import startup_gc
from tui.cli import run


@pytest.fixture(autouse=True)
def collector_back_on() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


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
