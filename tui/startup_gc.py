"""Python's garbage collector: paused during start-up, full collections kept for quiet moments.

Starting smsdesk allocates a few hundred thousand objects (modules, Textual's styles and widgets)
that live as long as the app; the collector would scan them again and again while they are made
(about a tenth of the cold start). Once the first screen is drawn the collector runs again, with
those start-up objects frozen out of its sight (``gc.freeze``); what loads after the paint
(httpx, the API models, phone-number metadata) is frozen once the services are up. A full
collection walks every object it can see, and over that heap each one froze the screen for
130-260 ms (a contacts sync makes one every few seconds); frozen, they are still freed by
reference counting.

What stays in sight still makes full collections long: Textual's rendered lines (seven small
caches per line), the rows on screen, whatever a sync or a history download has alive. A full
collection holds every thread (the store's too), and the interpreter starts one after ten
middle-generation ones, in the middle of whatever is running: 50-110 ms frames during a
contact sync, a burst of texts or store writes. So in the app the interpreter waits far longer
before a full collection of its own (``FULL_AT_THE_LATEST``, a bound on memory), and a
``QuietCollector`` on the event loop runs the due one once background work has paused for
``QUIET_FOR`` seconds: the store's thread says when it works (``busy``).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable

# Middle-generation collections before a full one is due: CPython's own default.
FULL_EVERY = 10
# ...and before the interpreter runs it itself, busy or not (ten times later than by default).
FULL_AT_THE_LATEST = 100
QUIET_FOR = 2.0  # seconds without background work
CHECK_EVERY = 0.5

_last_busy = 0.0


def pause() -> None:
    """At process start, before the heavy imports."""
    gc.disable()


def resume(*, freeze: bool) -> None:
    """Collect again (once; later calls do nothing). ``freeze``: what is alive now is kept
    out of future collections (the app's start-up objects). On a running event loop (the
    app's) full collections then wait for a quiet moment (``QuietCollector``)."""
    if gc.isenabled():
        return
    if freeze:
        gc.freeze()
    gc.enable()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # a command: the interpreter's own schedule is fine
    QuietCollector(loop).start()


def freeze_long_lived() -> None:
    """After loading what lives as long as the app: keep it out of future collections."""
    gc.freeze()


def busy() -> None:
    """Background work is running now (the store's thread calls it around each query)."""
    global _last_busy
    _last_busy = time.monotonic()


def quiet_for() -> float:
    """Seconds since background work last said it was running."""
    return time.monotonic() - _last_busy


class QuietCollector:
    """Runs the due full collection when background work has paused; the interpreter's own
    full collections only come after ``FULL_AT_THE_LATEST`` middle ones."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, *,
        quiet: Callable[[], float] = quiet_for,
        collect: Callable[[int], object] = gc.collect,
    ) -> None:
        self._loop = loop
        self._quiet = quiet
        self._collect = collect
        self._timer: asyncio.TimerHandle | None = None
        self._threshold = gc.get_threshold()

    def start(self) -> None:
        young, middle, _full = self._threshold
        gc.set_threshold(young, middle, FULL_AT_THE_LATEST)
        self._timer = self._loop.call_later(CHECK_EVERY, self.check)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        gc.set_threshold(*self._threshold)

    @staticmethod
    def full_collection_due() -> bool:
        return gc.get_count()[2] >= FULL_EVERY

    def check(self) -> None:
        """Every ``CHECK_EVERY`` seconds: collect if due and background work has paused."""
        if gc.isenabled() and self.full_collection_due() and self._quiet() >= QUIET_FOR:
            self._collect(2)
        if not self._loop.is_closed():
            self._timer = self._loop.call_later(CHECK_EVERY, self.check)
