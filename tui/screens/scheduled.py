"""The Scheduled section (key 5)."""

from __future__ import annotations

from tui.screens.section import ComingSection


class ScheduledScreen(ComingSection):
    SECTION, TITLE = "scheduled", "Scheduled"
    ISSUE_NOTE = "The scheduled-messages view is coming in a later release."
