"""Python's garbage collector during start-up: paused until the first screen is drawn.

Starting smsdesk allocates a few hundred thousand objects (modules, Textual's styles and widgets)
that live as long as the app; the collector would scan them again and again while they are made
(about a tenth of the cold start). Once the first screen is drawn the collector runs again, with
those start-up objects frozen out of its sight (``gc.freeze``), so later full collections (the
frame gaps of a long session) do not walk them either. They are still freed by reference counting.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """At process start, before the heavy imports."""
    gc.disable()


def resume(*, freeze: bool) -> None:
    """Collect again (once; later calls do nothing). ``freeze``: what is alive now is kept
    out of future collections (the app's start-up objects)."""
    if gc.isenabled():
        return
    if freeze:
        gc.freeze()
    gc.enable()
