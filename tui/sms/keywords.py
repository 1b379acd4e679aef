"""Standard SMS keywords (opt-out, opt-in, help) as the US rules and carriers name them.

Sources: CTIA Messaging Principles and Best Practices (opt-out words STOP, END, CANCEL,
UNSUBSCRIBE, QUIT; HELP and INFO for help), the FCC's 2024 consent-revocation rule, 47 CFR
§ 64.1200(a)(12) ("stop, quit, end, revoke, opt out, cancel, or unsubscribe"), and the words
carriers and aggregators also honour (STOPALL, OPTOUT; START, YES, UNSTOP to opt back in).
Keywords are compared in upper case with spaces, hyphens and underscores removed, so
"OPT OUT", "opt-out" and "OPTOUT" are one keyword.
"""

from __future__ import annotations

from typing import Final

OPT_OUT_KEYWORDS: Final[tuple[str, ...]] = (
    "STOP",
    "STOPALL",
    "STOP ALL",
    "END",
    "CANCEL",
    "UNSUBSCRIBE",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "OPT OUT",
)

OPT_IN_KEYWORDS: Final[tuple[str, ...]] = ("START", "YES", "UNSTOP")

HELP_KEYWORDS: Final[tuple[str, ...]] = ("HELP", "INFO")
