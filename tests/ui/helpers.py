"""Small helpers for UI tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.app import App
from textual.widget import Widget

from tui.screens.inbox import InboxScreen
from tui.widgets.chat_log import ChatLog


async def until(check: Callable[[], bool], *, timeout: float = 8.0, step: float = 0.05) -> None:
    """Wait for something the app does by itself (a poll, a send); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await asyncio.sleep(step)


def screen_lines(app: App[object]) -> list[str]:
    """The text of every line of the screen as the terminal shows it (toasts included)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def widget_lines(widget: Widget) -> list[str]:
    """The text of a widget's lines as drawn in its region (what is cut off is not there)."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def region_text(app: App[object], widget: Widget) -> str:
    """What the screen shows inside ``widget``'s region, lines joined and spaces squeezed:
    a sentence wrapped over lines reads whole, one cut off by the region does not."""
    region = widget.region
    lines = screen_lines(app)[region.y:region.bottom]
    return " ".join(" ".join(line[region.x:region.right] for line in lines).split())


async def inbox_open_on(app: App[object], phone: str) -> InboxScreen:
    """The Inbox once ``phone``'s conversation is open with its texts drawn."""
    screen = app.screen
    assert isinstance(screen, InboxScreen)
    await until(lambda: screen.phone == phone and bool(screen.query_one(ChatLog).messages))
    return screen
