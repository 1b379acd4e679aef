"""A phone number as a person reads it, even before ``phonenumbers`` is loaded (first paint).

``tui.sms.phones`` (``phonenumbers`` and its metadata, ~25 ms) is imported on a thread after
the first screen is drawn. Until then a +1 number in a North American region is written the
way ``phones.display`` writes a local one, ``(650) 253-0000``, and anything else is left in
E.164; the inbox redraws its rows once the real formatter is there.
"""

from __future__ import annotations

import sys
from typing import Final

# Regions of the North American Numbering Plan (+1): their local numbers read (NPA) NXX-XXXX.
NANP_REGIONS: Final = frozenset({
    "US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM", "KN", "KY",
    "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
})


def display_now(e164: str, region: str = "US") -> str:
    """``phones.display`` once it is imported; a close approximation before that."""
    phones = sys.modules.get("tui.sms.phones")
    if phones is not None and hasattr(phones, "display"):
        return str(phones.display(e164, region))
    return rough_display(e164, region)


def rough_display(e164: str, region: str = "US") -> str:
    """Without metadata: ``(650) 253-0000`` for a +1 number in a +1 region, else ``e164``."""
    if region.upper() in NANP_REGIONS and len(e164) == 12 and e164.startswith("+1") and (
        e164[2:].isdigit()
    ):
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    return e164


def exact() -> bool:
    """True once ``display_now`` gives ``phones.display``'s answer."""
    return "tui.sms.phones" in sys.modules
