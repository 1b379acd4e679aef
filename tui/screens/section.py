"""Base for the main sections: tabs on top, the status bar and footer at the bottom."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.desk import Desk
from tui.widgets.section_tabs import SectionTabs
from tui.widgets.status_bar import StatusBar


def desk_of(app: object) -> Desk:
    """The desk of the running SmsDeskApp (what every section and the composer talk to)."""
    desk = getattr(app, "desk", None)
    if not isinstance(desk, Desk):
        raise RuntimeError("smsdesk's screens run inside SmsDeskApp")
    return desk


class SectionScreen(Screen[None]):
    """A section names itself; subclasses yield their body from ``compose_body``."""

    SECTION = "inbox"
    TITLE = "Inbox"

    @property
    def desk(self) -> Desk:
        """The app's desk (every section runs inside SmsDeskApp)."""
        return desk_of(self.app)

    def compose(self) -> ComposeResult:
        yield SectionTabs(self.SECTION)
        yield from self.compose_body()
        yield StatusBar()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()


class ComingSection(SectionScreen):
    """A section whose issue has not landed yet: navigation is real, the body says so."""

    ISSUE_NOTE = ""

    def compose_body(self) -> ComposeResult:
        with Container():
            yield Static(Content.assemble((self.TITLE, "bold"), "\n\n", self.ISSUE_NOTE))
