"""The Contacts section (key 2)."""

from __future__ import annotations

from tui.screens.section import ComingSection


class ContactsScreen(ComingSection):
    SECTION, TITLE = "contacts", "Contacts"
    ISSUE_NOTE = "Browsing, search and clean-up of subscribers are coming in a later release."
