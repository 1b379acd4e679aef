"""The Groups section (key 3)."""

from __future__ import annotations

from tui.screens.section import ComingSection


class GroupsScreen(ComingSection):
    SECTION, TITLE = "groups", "Groups"
    ISSUE_NOTE = "Group management is coming in a later release."
