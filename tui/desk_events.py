"""What the desk tells the screens: events about conversations, the outbox, the status bar,
provider events, campaign sends and the contacts cache. Plain data (no Textual)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING, Any

from tui.frozen_record import frozen_record
from tui.store import ReceivedEvent

if TYPE_CHECKING:
    from tui.services.campaign_send import SendProgress


@frozen_record
class ConversationChanged:
    """New or changed messages in these conversations."""

    phones: frozenset[str]
    new_inbound: tuple[tuple[str, str, str], ...] = ()  # (phone, who, text) just arrived


@frozen_record
class OutboxChanged:
    phone: str
    key: str
    state: str
    error: str | None = None


@frozen_record
class StatusChanged:
    """Anything the status bar shows; None means unchanged."""

    changes: dict[str, Any] = field(default_factory=dict)


@frozen_record
class MarkResult:
    """What became of a read/unread mark: ``message`` is None when the server has it."""

    message: str | None = None
    refused: bool = False  # the server said no (put back); else it waits for the connection


@frozen_record
class EventsArrived:
    """Provider events (webhooks) were stored and their effects applied."""

    events: tuple[ReceivedEvent, ...]


@frozen_record
class CampaignProgressed:
    """A campaign send moved on (a request done, or the send finished)."""

    progress: SendProgress


@frozen_record
class ContactsChanged:
    """The cached contacts or groups changed (a sync page, an edit): lists should redraw."""

    kind: str = "contacts"


DeskEvent = (
    ConversationChanged | OutboxChanged | StatusChanged | EventsArrived | CampaignProgressed
    | ContactsChanged
)
Listener = Callable[[DeskEvent], None]
