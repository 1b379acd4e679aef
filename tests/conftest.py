"""Fixtures shared by every test folder: the sandbox's answer shapes."""

from __future__ import annotations

import pytest

from tui.sandbox.shapes import SHAPES


@pytest.fixture(params=SHAPES)
def server_shape(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs against the sandbox in both shapes: our contract's JSON
    and Laravel/Fractal's ("php": [] for {}, bare resources, wrapped includes, 10 digits)."""
    return str(request.param)
