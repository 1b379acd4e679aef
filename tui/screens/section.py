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


class FooterSpace(Static):
    """Holds the keys line's place until the first frame is on the terminal."""

    DEFAULT_CSS = """
    FooterSpace {
        dock: bottom;
        height: 1;
        background: $footer-background;
    }
    """


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
        # The keys line (Footer) is a dozen widgets that restyle and recompose themselves as
        # the bindings settle: a tenth of the cold start. Before the app's first frame a
        # one-line space holds its place; the Footer replaces it once that frame is drawn.
        shown = getattr(self.app, "when_first_frame_shown", None)
        if shown is None:
            yield Footer()
        else:
            yield FooterSpace()
            shown(self._show_footer)

    async def _show_footer(self) -> None:
        if not self.is_attached:
            return
        with self.app.batch_update():
            await self.query(FooterSpace).remove()
            await self.mount(Footer())
        self.refresh_bindings()  # a Footer lists the keys when the bindings are announced

    def compose_body(self) -> ComposeResult:
        yield from ()


class ComingSection(SectionScreen):
    """A section whose issue has not landed yet: navigation is real, the body says so."""

    ISSUE_NOTE = ""

    def compose_body(self) -> ComposeResult:
        with Container():
            yield Static(Content.assemble((self.TITLE, "bold"), "\n\n", self.ISSUE_NOTE))
