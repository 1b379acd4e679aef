"""The Activity section (key 6)."""

from __future__ import annotations

from tui.screens.section import ComingSection


class ActivityScreen(ComingSection):
    SECTION, TITLE = "activity", "Activity"
    ISSUE_NOTE = "Live provider events (webhooks) are coming in a later release."
