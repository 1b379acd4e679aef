"""Toasts for new texts: as the profile asks, held while a dialog is open, gone once read.

A toast over a dialog covers the form the person is filling in (a field's error, the
import preview): texts arriving while a dialog is open wait, and are announced together once
it closes. Texts whose conversation has been opened meanwhile are not announced at all.
"""

from __future__ import annotations

from time import time
from typing import TYPE_CHECKING, Any

from textual.notifications import Notification, Notify
from textual.screen import ModalScreen
from textual.timer import Timer

from tui.safe_text import shown
from tui.widgets.toasts import TextToast, new_text_toasts

if TYPE_CHECKING:
    from textual.app import App

    from tui.desk import Desk

GROUP_TOASTS_FOR = 2.0  # seconds: new_text_toasts = "grouped"
DIALOG_CHECK_EVERY = 0.5  # seconds: how soon held texts are announced once a dialog closes

Text = tuple[str, str, str]  # (phone, who, text)


class TextAnnouncer:
    """The app's toasts for new texts outside the open conversation."""

    def __init__(self, app: App[Any], desk: Desk) -> None:
        self.app = app
        self.desk = desk
        self._grouping: list[Text] = []  # a burst being gathered ("grouped")
        self._held: list[Text] = []  # arrived while a dialog was open
        self._held_timer: Timer | None = None
        self._shown: list[tuple[tuple[str, ...], Notification]] = []

    @property
    def dialog_open(self) -> bool:
        return isinstance(self.app.screen, ModalScreen)

    def announce(self, texts: tuple[Text, ...]) -> None:
        """Toasts for ``texts`` outside the open conversation; the bell too."""
        elsewhere = [text for text in texts if text[0] != self.desk.focused_phone]
        mode = self.desk.profile.new_text_toasts
        if self.dialog_open and mode != "off":
            self._hold(elsewhere)
        elif mode == "grouped":  # a burst over a couple of seconds becomes one toast
            if not self._grouping:
                self.app.set_timer(GROUP_TOASTS_FOR, self._announce_group)
            self._grouping.extend(elsewhere)
        else:
            self._toast(new_text_toasts(elsewhere, mode))
        if self.desk.profile.bell:
            self.app.bell()

    def _announce_group(self) -> None:
        texts, self._grouping = self._grouping, []
        if self.dialog_open:
            self._hold(texts)
        else:
            self._toast(new_text_toasts(self._unread_elsewhere(texts), "grouped"))

    def _hold(self, texts: list[Text]) -> None:
        self._held.extend(texts)
        if self._held and self._held_timer is None:
            self._held_timer = self.app.set_interval(DIALOG_CHECK_EVERY, self._dialog_closed)

    def _dialog_closed(self) -> None:
        if self.dialog_open:
            return
        if self._held_timer is not None:
            self._held_timer.stop()
            self._held_timer = None
        texts, self._held = self._held, []
        mode = self.desk.profile.new_text_toasts
        self._toast(new_text_toasts(self._unread_elsewhere(texts), mode))

    def _unread_elsewhere(self, texts: list[Text]) -> list[Text]:
        opened = self.desk.focused_phone  # opened meanwhile: read there, no toast
        return [text for text in texts if text[0] != opened]

    def _toast(self, toasts: list[TextToast]) -> None:
        for toast in toasts:
            notification = Notification(
                shown(toast.text, limit=120), shown(toast.title, single_line=True, limit=100),
                "information", self.app.NOTIFICATION_TIMEOUT, markup=False,
            )
            self._shown.append((toast.phones, notification))
            self.app.post_message(Notify(notification))

    def conversation_opened(self, phone: str | None) -> None:
        """Toasts only about this conversation's texts have been seen: they go.

        A toast is shown when the app handles its Notify message; one opened before that
        (at start-up the newest text is announced just as the inbox opens it) is withdrawn
        by a callback queued behind that message, or it would stay up."""
        keep = []
        for phones, notification in self._shown:
            if phone is not None and set(phones) <= {phone}:
                self.app.call_later(self.app._unnotify, notification)
            elif not expired(notification):
                keep.append((phones, notification))
        self._shown = keep


def expired(notification: Notification) -> bool:
    return time() >= notification.raised_at + notification.timeout
