"""Python's garbage collector during start-up: paused until the first screen is drawn.

Starting smsdesk allocates a few hundred thousand objects (modules, Textual's styles and widgets)
that live as long as the app; the collector would scan them again and again while they are made
(about a tenth of the cold start). Once the first screen is drawn the collector runs again, with
those start-up objects frozen out of its sight (``gc.freeze``); what loads after the paint
(httpx, the API models, phone-number metadata) is frozen once the services are up. A full
collection walks every object it can see, and over that heap each one froze the screen for
130-260 ms (a contacts sync makes one every few seconds); frozen, they are still freed by
reference counting.
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


def freeze_long_lived() -> None:
    """After loading what lives as long as the app: keep it out of future collections."""
    gc.freeze()
