"""Fixtures shared by every test folder: the sandbox's answer shapes, and a private home for
what the app writes on its own (the log, the saved styles)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tui.sandbox.shapes import SHAPES


@pytest.fixture(params=SHAPES)
def server_shape(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs against the sandbox in both shapes: our contract's JSON
    and Laravel/Fractal's ("php": [] for {}, bare resources, wrapped includes, 10 digits)."""
    return str(request.param)


@pytest.fixture(scope="session", autouse=True)
def own_cache_and_state(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The app's log and saved styles go to the test run's folders, not the person's home
    (child processes inherit them)."""
    home = tmp_path_factory.mktemp("home")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "XDG_STATE_HOME")}
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_STATE_HOME"] = str(home / "state")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
