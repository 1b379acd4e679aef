"""What an inbound text asks for: opt out (STOP), opt back in (START), or help (HELP).

One home for the rules: ``tui.sms.compliance.classify_keyword``; this module only names it for
the services.
"""

from __future__ import annotations

from tui.sms.compliance import classify_keyword

__all__ = ["classify_keyword"]
