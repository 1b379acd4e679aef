"""The US federal calling-hours rule (TCPA), under its regulation's terms.

47 CFR § 64.1200(c)(1): no telephone solicitation "before the hour of 8 a.m. or after 9 p.m.
(local time at the called party's location)". The FCC applies it to marketing texts. Some
states are stricter (e.g. Florida and Oklahoma: 8 a.m. to 8 p.m.), which is why the window is
configurable per profile.
"""

from __future__ import annotations

from datetime import time
from typing import Final

EARLIEST_LOCAL_TIME: Final = time(8, 0)
LATEST_LOCAL_TIME: Final = time(21, 0)
CALLING_HOURS: Final[tuple[time, time]] = (EARLIEST_LOCAL_TIME, LATEST_LOCAL_TIME)
