"""What the Inbox shows of one conversation, assembled from the store (no Textual here).

The compliance rules and ``phonenumbers`` are imported when a view is first built, after the
first paint (``Desk.conversation`` loads them on a thread): the inbox list needs neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from tui.api.codes import delivery_meaning, delivery_state
from tui.api.limits import MAX_MESSAGE_LENGTH


class ReplyRefused(Exception):
    """A reply that must not be sent; the message says why and what to do."""


def check_reply(text: str) -> None:
    """Refuse what the server would refuse (422) before it goes into the outbox."""
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ReplyRefused(
            f"Not sent: {len(text):,} characters is over the {MAX_MESSAGE_LENGTH:,} one text may "
            f"have. Shorten it by {len(text) - MAX_MESSAGE_LENGTH:,} (it stays in the reply box)."
        )


@dataclass(frozen=True)
class ChatItem:
    """One line of the chat: a stored message, or a reply still in the outbox."""

    key: str
    body: str
    direction: str
    created_at: datetime
    state: str | None = None
    detail: str | None = None
    outbox_key: str | None = None


@dataclass(frozen=True)
class ConversationView:
    phone: str
    title: str
    phone_display: str
    messages: list[ChatItem]
    unread: int = 0
    opted_out: bool = False
    stop_seen: bool = False
    email: str | None = None
    groups: list[str] = field(default_factory=list)
    local_time: str | None = None
    quiet_hours: bool = False
    # A number no cached contact has (a new conversation, a stranger): whether it is
    # subscribed is not known here, so the panel does not say "Subscribed".
    is_contact: bool = True
    failed_keys: list[str] = field(default_factory=list)
    failed_texts: list[str] = field(default_factory=list)  # same order as failed_keys
    # Replies that may or may not have gone out: the person decides (tui/screens/unclear.py).
    unclear_keys: list[str] = field(default_factory=list)
    merge_data: dict[str, Any] = field(default_factory=dict)

    @property
    def blocked_reason(self) -> str | None:
        if self.opted_out:
            return (
                "This number opted out (STOP). Replies are blocked until they text START "
                "again."
            )
        return None


def chat_item(message: Any) -> ChatItem:
    """A stored message as the chat shows it: outbox state first, then the delivery receipt."""
    state: str | None = None
    detail: str | None = None
    if message.direction == "outgoing":
        outbox_state = getattr(message, "outbox_state", None)
        code = getattr(message, "delivery_code", None)
        if outbox_state and outbox_state != "sent":
            state = outbox_state
            detail = getattr(message, "last_error", None)
        elif code:
            state = delivery_state(code)
            # A rejection's reason (kept with our outbox item) says more than the code.
            detail = ((getattr(message, "last_error", None) or delivery_meaning(code))
                      if state == "failed" else None)
        else:
            state = "sent"
    outbox_key = getattr(message, "outbox_key", None)
    key = outbox_key or message.id or ""
    return ChatItem(
        key, message.body, message.direction, message.created_at, state, detail, outbox_key
    )


def local_clock(phone: str, now: datetime) -> str | None:
    from tui.sms.phones import timezone_of

    zone = timezone_of(phone)
    if zone is None:
        return None
    return now.astimezone(zone).strftime("%H:%M %Z")


def build_view(
    phone: str,
    conversation: Any,
    contact: Any,
    messages: list[Any],
    *,
    region: str,
    now: datetime,
    window: tuple[time, time],
) -> ConversationView:
    """Assemble the view; ``messages`` are oldest first."""
    from tui.sms.compliance import classify_keyword, quiet_hours_block
    from tui.sms.phones import display

    items = [chat_item(m) for m in messages]
    stop_seen = any(
        m.direction == "incoming" and classify_keyword(m.body) == "opt_out" for m in messages
    )
    failed = [i for i, m in zip(items, messages, strict=True)
              if i.outbox_key and getattr(m, "outbox_state", None) == "failed"]
    title = (conversation.display_name if conversation else None) or display(phone, region)
    merge: dict[str, Any] = {"phone_number": display(phone, region)}
    groups: list[str] = []
    email = None
    if contact is not None:
        merge.update(
            first_name=contact.first_name, last_name=contact.last_name, email=contact.email
        )
        merge.update(getattr(contact, "fields", None) or {})
        groups = list(getattr(contact, "groups", None) or [])
        email = contact.email
    return ConversationView(
        phone=phone,
        title=title,
        phone_display=display(phone, region),
        messages=items,
        unread=conversation.unread_count if conversation else 0,
        opted_out=bool(conversation and conversation.opted_out),
        stop_seen=stop_seen,
        email=email,
        groups=groups,
        local_time=local_clock(phone, now),
        quiet_hours=quiet_hours_block(phone, now, window),
        is_contact=contact is not None,
        failed_keys=[i.outbox_key for i in failed if i.outbox_key],
        failed_texts=[i.body for i in failed],
        unclear_keys=[
            i.outbox_key
            for i, m in zip(items, messages, strict=True)
            if i.outbox_key and getattr(m, "outbox_state", None) == "unclear"
        ],
        merge_data={k: v for k, v in merge.items() if v},
    )
