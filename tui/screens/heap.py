"""Keep garbage-collection pauses out of the frames while big campaign data is alive.

A campaign plan for 10k recipients, the phone-number metadata it loads and the rest of a long
session make Python's full (generation 2) collections take 300-500 ms each, and they run every
few seconds while a send allocates responses: the screen froze for that long. ``gc.freeze()``
moves the objects alive now out of the collector's sight; they are still freed by reference
counting when they are dropped (plans and recipients hold no reference cycles).
"""

from __future__ import annotations

import gc


def keep_frames_short() -> None:
    """Call after building long-lived data (a plan), before a long-running send."""
    gc.freeze()
