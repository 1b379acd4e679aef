"""The Campaigns section (key 4)."""

from __future__ import annotations

from tui.screens.section import ComingSection


class CampaignsScreen(ComingSection):
    SECTION, TITLE = "campaigns", "Campaigns"
    ISSUE_NOTE = "Composing and sending campaigns is coming in a later release."
