"""Base for the main sections: tabs on top, the status bar and footer at the bottom."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

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
    _frame_skipped = False

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
            from textual.widgets import Footer

            yield Footer()
        else:
            yield FooterSpace()
            shown(self._footer_after_own_frame)

    async def _footer_after_own_frame(self) -> None:
        # A section opened later (key 2 at start-up) draws its body first: the keys line is
        # mounted in a batch that holds every frame back, so its first frame waited for it.
        self.call_after_refresh(self._show_footer)

    async def _show_footer(self) -> None:
        from textual.widgets import Footer

        if not self.is_attached:
            return
        with self.app.batch_update():
            await self.query(FooterSpace).remove()
            await self.mount(Footer())
        self.refresh_bindings()  # a Footer lists the keys when the bindings are announced

    def compose_body(self) -> ComposeResult:
        yield from ()

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. The app's first screen resumes right after its
        # widgets were styled, with the same sheets: restyling them all again was ~4 ms of
        # the cold start. Later resumes restyle as Textual does (a theme may have changed).
        if not getattr(self.app, "first_frame_shown", True):
            event.refresh_styles = False

    def _compositor_refresh(self) -> None:
        # At start Textual renders the first screen in full while the app's start is batched
        # and throws that frame away (nothing is written inside a batch); the Resize that ends
        # the start lays it out and renders it again for the frame that is written. Rendered
        # once: the thrown-away render was a sixteenth of the cold start. If the batch ends
        # with no render under way, the app draws it (``_draw_skipped_frame``).
        app = self.app
        if app._batch_count and not getattr(app, "first_frame_shown", True):
            if not self._frame_skipped:
                self._frame_skipped = True
                app.call_later(self._draw_skipped_frame)
            return
        super()._compositor_refresh()

    def _draw_skipped_frame(self) -> None:
        """Once the app's start is no longer batched: draw this screen, unless the frame that
        ends the start has been written meanwhile."""
        app = self.app
        if getattr(app, "first_frame_shown", True) or not self.is_current:
            return
        if app._batch_count:
            app.call_later(self._draw_skipped_frame)
            return
        super()._compositor_refresh()
