"""The Textual app: wires the sections (modes), the global keys and the status bar. Nothing else."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import WorkerFailed

from tui import startup_gc
from tui.desk import ConversationChanged, Desk, DeskEvent, StatusChanged
from tui.logs import log_exception, log_loop_errors
from tui.resources import first_screen_style_paths, later_style_paths
from tui.safe_text import shown, typed
from tui.screens.inbox import InboxScreen
from tui.screens.section import SectionScreen
from tui.widgets import terminal_guard
from tui.widgets.announcer import TextAnnouncer
from tui.widgets.plain import draw_failure_listeners
from tui.widgets.section_tabs import SECTIONS
from tui.widgets.status_bar import DeskStatus
from tui.widgets.stylesheet import ReusingStylesheet

if TYPE_CHECKING:
    from tui.widgets.saved_styles import SavedStyles

# After the inbox is drawn and the services are up, this long before sections are built.
READY_AFTER = 0.5


def lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode factory that imports the section's module only when it is first shown."""

    def make() -> Screen[Any]:
        screen_class = getattr(importlib.import_module(module), name)
        return cast("Screen[Any]", screen_class())

    make.screen_path = (module, name)  # type: ignore[attr-defined]  # for tui.screens.keymap
    return make


class SmsDeskApp(App[None]):
    """One account's desk. ``desk`` holds the services; screens reach it as ``self.app.desk``."""

    TITLE = "smsdesk"
    CSS_PATH: ClassVar[list[str | PurePath]] = list(first_screen_style_paths())
    ENABLE_COMMAND_PALETTE = True
    # Each section's module is imported the first time it is opened (start-up speed).
    MODES: ClassVar = {
        "inbox": InboxScreen,
        "contacts": lazy_screen("tui.screens.contacts", "ContactsScreen"),
        "groups": lazy_screen("tui.screens.groups", "GroupsScreen"),
        "campaigns": lazy_screen("tui.screens.campaigns", "CampaignsScreen"),
        "scheduled": lazy_screen("tui.screens.scheduled", "ScheduledScreen"),
        "activity": lazy_screen("tui.screens.activity", "ActivityScreen"),
    }
    DEFAULT_MODE = "inbox"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(n), f"app.switch_mode('{mode}')", title, id=f"app.section.{mode}",
                    show=False)
            for n, (mode, title) in enumerate(SECTIONS, start=1)
        ),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    # The status bar watches it and redraws its own parts: a repaint here would redraw the
    # whole screen (an 11 KiB frame) each time a service reports, several times a second.
    desk_status: reactive[DeskStatus] = reactive(DeskStatus, always_update=True, repaint=False)

    def __init__(self, desk: Desk, *, ready_sections: tuple[str, ...] = (),
                 saved_styles: SavedStyles | None = None) -> None:
        super().__init__()
        self.stylesheet = ReusingStylesheet(variables=self.get_css_variables(),
                                            saved=saved_styles)
        # No widget here has a tooltip: no tooltip widget on every screen (as in run_test).
        self._disable_tooltips = True
        self.ready_sections = ready_sections
        terminal_guard.install()
        self.desk = desk
        self.desk_status = DeskStatus(profile=desk.profile_name)
        self._draw_failures_told: set[str] = set()
        self.announcer = TextAnnouncer(self, desk)
        if desk.keymap:
            self.set_keymap(desk.keymap)
        # Run once the first frame has been handed to the terminal (see when_first_frame_shown);
        # the stylesheets first: the chat side, mounted then, is styled by one of them.
        self._after_first_frame: list[Callable[[], Awaitable[None]]] | None = [
            self._read_later_styles
        ]

    async def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        log_loop_errors(loop)
        for ending in (signal.SIGTERM, signal.SIGHUP):  # a closed terminal ends cleanly too
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(ending, self.exit)
        draw_failure_listeners.append(self._draw_failed)
        self.desk.listen(self._desk_event)
        self.desk.attach(self)
        self._show_headroom()
        self.set_interval(1.0, self._show_headroom)
        if self.ready_sections:
            self.run_worker(self._ready_sections(), group="ready-sections")

    async def _read_later_styles(self) -> None:
        """The other sections' and dialogs' stylesheets, once the first frame is on the
        terminal. Every node is restyled with them: a section or dialog opened by a key
        pressed before the first frame gets its look here. The first screen's own parsed
        styles are saved first, for the next start."""
        if isinstance(self.stylesheet, ReusingStylesheet):
            self.stylesheet.stop_saving()
        later = [path for path in later_style_paths() if path not in self.css_path]
        if not later:
            return
        self.css_path.extend(later)  # a theme change rereads them all, as Textual does
        for path in later:
            self.stylesheet.read(path)
        self.stylesheet.parse()  # only the new sheets: the others' rules are cached
        self.stylesheet.update(self, animate=False)

    async def _ready_sections(self) -> None:
        """Build the sections named in ``ready_sections`` while the inbox sits idle, so their
        key only swaps screens: building the contacts screen (imports, styles, ~150 widgets,
        the first rows) takes a quarter of a second of CPU, which the key would otherwise wait.
        A section built this way is suspended until shown."""
        await self.desk.services()
        await asyncio.sleep(READY_AFTER)
        for mode in self.ready_sections:
            make = self.MODES.get(mode)
            module = getattr(make, "screen_path", ("",))[0]
            if module:
                await asyncio.to_thread(importlib.import_module, module)
            if mode in self._screen_stacks or self.current_mode == mode:
                continue
            await self._init_mode(mode)
            screen = self._screen_stacks[mode][0]
            screen.post_message(events.ScreenSuspend())
            # As refresh_css does for the screens of the current mode: styled now, so the key
            # does not restyle the whole app again.
            self.stylesheet.update(screen, animate=False)
            screen._css_update_count = self._css_update_count
            await asyncio.sleep(READY_AFTER)
        from tui.screens.heap import keep_frames_short

        keep_frames_short()  # what is built now lives all session: out of the collector's way

    def on_app_focus(self) -> None:
        self.desk.focus_app(True)

    def on_app_blur(self) -> None:
        self.desk.focus_app(False)

    def _show_headroom(self) -> None:
        self.update_status(headroom=self.desk.headroom())

    def _desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, StatusChanged):
            notice = event.changes.pop("notice", None)
            if notice:
                self.notify(str(notice), title="Local cache", severity="warning", timeout=15,
                            markup=False)
            self.update_status(**event.changes)
        elif isinstance(event, ConversationChanged) and event.new_inbound:
            self.announcer.announce(event.new_inbound)

    @property
    def first_frame_shown(self) -> bool:
        return self._after_first_frame is None

    def when_first_frame_shown(self, callback: Callable[[], Awaitable[None]]) -> None:
        """Run ``callback`` once the app's first frame is on the terminal (now if it is)."""
        if self._after_first_frame is None:
            self.call_later(callback)
        else:
            self._after_first_frame.append(callback)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        # Textual renders the first screen once while it composes (batched, never shown) and
        # again for the frame it writes: only a frame written outside a batch has been seen.
        super()._display(screen, renderable)
        waiting = self._after_first_frame
        if waiting is not None and renderable is not None and not self._batch_count:
            self._after_first_frame = None
            for callback in waiting:
                self.call_later(callback)

    async def on_event(self, event: events.Event) -> None:
        """A paste never carries terminal commands into a box (any Input or TextArea). A key
        from the terminal notes which widget it is sent to (see ``_on_key``), and holds back a
        due full garbage collection (50-110 ms) while the person types or clicks."""
        if isinstance(event, events.Paste) and not event.is_forwarded:
            event.text = typed(event.text)
        elif isinstance(event, events.Key) and not event.is_forwarded:
            event._sent_to = self.focused  # type: ignore[attr-defined]
            startup_gc.busy()
        elif isinstance(event, events.MouseDown):
            startup_gc.busy()
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        """A key its widget did not use comes back here for the bindings. If meanwhile an
        earlier key moved the focus on this screen (Tab or Enter into the reply box, / into
        the search), it was typed for the new focus: the terminal handed over a burst (keys
        typed at open, or fast) before the app could move the focus. It goes there, in order,
        instead of running a binding of the widget it left (letters are the list's commands)."""
        # Textual calls App._on_key (the bindings) after this one unless the default is
        # prevented: this handler only ever takes a key away from them.
        sent_to = getattr(event, "_sent_to", None)
        focused = self.focused
        if (sent_to is not None and focused is not None and focused is not sent_to
                and sent_to.is_attached and sent_to.screen is focused.screen):
            event.prevent_default()
            focused._forward_event(events.Key(event.key, event.character))

    def conversation_opened(self, phone: str | None) -> None:
        """The inbox opened this conversation: toasts only about its texts have been seen."""
        self.announcer.conversation_opened(phone)

    def _draw_failed(self, what: str) -> None:
        """One line for the person, at most once per screenful of broken rows."""
        if what not in self._draw_failures_told:
            self._draw_failures_told.add(what)
            self.notify(f"Part of the screen ({what}) could not be drawn; details are in the "
                        "log.", severity="warning", markup=False)

    async def on_unmount(self) -> None:
        with contextlib.suppress(ValueError):
            draw_failure_listeners.remove(self._draw_failed)
        await self.desk.close()

    def update_status(self, **changes: object) -> None:
        """Services report here (through the desk); the status bar follows."""
        self.desk_status = replace(self.desk_status, **changes)  # type: ignore[arg-type]
        unread = self.desk_status.unread
        title = f"smsdesk ({unread})" if unread else "smsdesk"
        if title != self.title:
            self.title = title
            self._set_terminal_title(title)

    def _set_terminal_title(self, title: str) -> None:
        """OSC 2: the unread count shows in the terminal's title or tab (Textual does not).
        The title is cleaned like any shown text: no ESC, BEL or control can end it early."""
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write(f"\x1b]2;{shown(title, single_line=True, limit=80)}\x07")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is plain text: a stranger's text or a server message is never markup.
        ``markup`` is accepted for Textual's signature and ignored."""
        try:
            super().notify(
                shown(message, limit=2000), title=shown(title, single_line=True, limit=100),
                severity=severity, timeout=timeout, markup=False,
            )
        except Exception as error:  # a toast is never worth the app
            log_exception(error, "could not show a notice")

    def _handle_exception(self, error: Exception) -> None:
        """Textual calls this for any unhandled error, then exits: the log has it first.
        A failed worker (a load, a refresh, a mark-read) is contained: logged with its
        traceback, one line for the person, and the app goes on."""
        inner = error.error if isinstance(error, WorkerFailed) else error
        log_exception(inner, "unhandled error in the app")
        if isinstance(error, WorkerFailed) and isinstance(inner, Exception):
            if not (self._exit or self._closing):
                self.notify(
                    f"Something went wrong ({type(inner).__name__}: {inner}). "
                    f"The app goes on; details are in the log.",
                    title="Error", severity="error", timeout=10, markup=False,
                )
            return
        super()._handle_exception(error)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette (ctrl+p): the screen's own actions, the sections, our help as "Keys"."""
        from tui.screens.help import screen_commands

        yield from screen_commands(screen)
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's key panel; ours is the help screen
                yield command
        for number, (mode, title) in enumerate(SECTIONS, start=1):
            yield SystemCommand(
                f"Go to {title}", f"Switch to the {title} section (key {number})",
                partial(self.switch_mode, mode),
            )
        yield SystemCommand("Keys", "Every key of this screen, by place (key ?)", self.action_help)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, binding_rows

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        title = screen.TITLE if isinstance(screen, SectionScreen) else "smsdesk"
        self.push_screen(HelpScreen(title, binding_rows(screen)))
