"""Which new texts get a toast, and who they are shown as coming from."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from tui.store import AsyncStore

# Texts younger than this are announced with a toast; older ones arrived while we were away.
FRESH_TEXT = timedelta(minutes=2)

Announced = tuple[tuple[str, str, str], ...]  # (phone, who, text)


async def fresh_texts(
    store: AsyncStore,
    texts: Iterable[tuple[str, str, datetime]],
    *,
    now: datetime,
    open_phone: str | None,
    display: Callable[[str], str],
) -> Announced:
    """(phone, who, text) of the texts worth a toast: those of the last couple of minutes."""
    fresh_since = now - FRESH_TEXT
    inbound = []
    for phone, text, at in texts:
        if at < fresh_since:
            continue
        # The open conversation's texts get no toast: no name lookup to wait for.
        conversation = None if phone == open_phone else await store.conversation(phone)
        who = conversation.display_name if conversation else None
        if not who and phone != open_phone:
            # A first text (its conversation is new): the contacts may know the name.
            contact = await store.contact_by_phone(phone)
            who = contact.name if contact else None
        inbound.append((phone, who or display(phone), text))
    return tuple(inbound)
