"""Starting a conversation: a typed number or contact becomes a phone that may be texted.

The number is normalised as people write it in the profile's country; a contact is found in the
local cache by name, email or digits. Opted-out numbers are refused before anything is written.
The first text then goes through the same outbox as every reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui.sms.phones import InvalidPhoneNumber, display, normalize
from tui.store import AsyncStore

MAX_SUGGESTIONS = 8
_OPTED_OUT = (
    "{who} opted out (STOP): they cannot be texted until they text START again."
)


class CannotText(ValueError):
    """This recipient must not (or cannot) be texted; the message says why and what to do."""


@dataclass(frozen=True)
class Recipient:
    """Someone a conversation can be started with."""

    phone: str
    name: str | None = None
    opted_out: bool = False

    def label(self, region: str) -> str:
        number = display(self.phone, region)
        return f"{self.name} · {number}" if self.name else number


async def find_recipients(
    store: AsyncStore, typed: str, *, region: str, limit: int = MAX_SUGGESTIONS
) -> list[Recipient]:
    """A number as typed (if it is one) first, then contacts matching the words."""
    typed = typed.strip()
    if not typed:
        return []
    found: list[Recipient] = []
    try:
        phone = normalize(typed, region)
    except InvalidPhoneNumber:
        phone = None
    if phone is not None:
        found.append(await recipient(store, phone))
    for contact in await store.search_contacts(typed, limit=limit):
        if all(r.phone != contact.phone for r in found):
            found.append(Recipient(contact.phone, contact.name or None, not contact.subscribed))
    return found[:limit]


async def recipient(store: AsyncStore, phone: str) -> Recipient:
    """What the local cache knows about this number (name, opted out)."""
    conversation = await store.conversation(phone)
    contact = await store.contact_by_phone(phone)
    name = (conversation.display_name if conversation else None) or (
        contact.name if contact else None
    )
    if conversation is not None:
        opted_out = conversation.opted_out
    else:
        opted_out = contact is not None and not contact.subscribed
    return Recipient(phone, name or None, opted_out)


def why_not(typed: str, region: str) -> str:
    """The sentence for text that is neither a number nor a known contact."""
    try:
        normalize(typed, region)
    except InvalidPhoneNumber as exc:
        return (f"{exc} Type a full number (like +1 650 253 0000) or part of a contact's "
                "name.")
    return "No contact matches; type a full number or part of a contact's name."


async def start(store: AsyncStore, phone: str, *, region: str, at: datetime) -> Recipient:
    """Open (create if needed) the conversation with ``phone``; ``CannotText`` if it may not be
    texted. Nothing is sent: the first text goes through the outbox like any reply."""
    try:
        phone = normalize(phone, region)
    except InvalidPhoneNumber as exc:
        raise CannotText(str(exc)) from None
    who = await recipient(store, phone)
    if who.opted_out:
        raise CannotText(_OPTED_OUT.format(who=who.name or display(phone, region)))
    await store.start_conversation(phone, at=at)
    return who
