"""Who a campaign goes to: groups or a search from the local mirror, or pasted numbers.

Every way in ends in the same ``Audience``: unique E.164 numbers that may be texted, plus what
was left out and why (invalid numbers with the reason, duplicates, unsubscribed numbers).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError
from tui.services.sync import CONTACT_INCLUDES
from tui.sms.phones import InvalidPhoneNumber, normalize
from tui.store import AsyncStore, StoredContact

_PHONE_DIGITS: Final = 7
log = logging.getLogger("smsdesk.campaigns")


@dataclass(frozen=True, slots=True)
class Recipient:
    """One number to text, and the contact behind it when the mirror knows one."""

    phone: str
    contact: StoredContact | None = None

    @property
    def name(self) -> str:
        return self.contact.name if self.contact is not None else ""

    @property
    def title(self) -> str:
        """The contact's name, else the number (for lists of recipients)."""
        return self.name or self.phone

    def merge_source(self) -> Mapping[str, Any]:
        """What merge fields read: the contact's fields, and ``phone_number`` for everyone."""
        contact = self.contact
        if contact is None:
            return {"phone_number": self.phone}
        return {
            "phone_number": self.phone, "first_name": contact.first_name,
            "last_name": contact.last_name, "email": contact.email,
            "fields": dict(contact.fields),
        }


@dataclass(frozen=True, slots=True)
class InvalidNumber:
    text: str
    reason: str


@dataclass(frozen=True)
class Audience:
    """Recipients in a stable order, and the counts the composer shows beside them."""

    recipients: tuple[Recipient, ...] = ()
    invalid: tuple[InvalidNumber, ...] = ()
    duplicates: int = 0
    unsubscribed: int = 0
    source: str = ""  # "groups: VIP, Staff" / "numbers" / "search: anna", for the report
    group_ids: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.recipients)

    def summary(self) -> str:
        parts = [f"{self.count} recipient{'s' if self.count != 1 else ''}"]
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''} "
                         "removed")
        if self.unsubscribed:
            parts.append(f"{self.unsubscribed} unsubscribed left out")
        if self.invalid:
            n = len(self.invalid)
            parts.append(f"{n} invalid number{'s' if n != 1 else ''}")
        return ", ".join(parts)


def split_numbers(text: str) -> list[str]:
    """Numbers pasted or read from a file: one per line, or separated by commas, ; or tabs.

    On a line with several cells (a CSV row) only the cells with 7 or more digits are kept, so
    names beside the numbers are not reported as invalid numbers.
    """
    found: list[str] = []
    for line in text.splitlines():
        cells = [c.strip().strip('"').strip() for c in re.split(r"[,;\t]", line)]
        cells = [c for c in cells if c]
        if len(cells) > 1:
            digits = [sum(ch.isdigit() for ch in c) for c in cells]
            phones = [c for c, n in zip(cells, digits, strict=True) if n >= _PHONE_DIGITS]
            # A row whose number is too short is still reported (as invalid); a header is not.
            cells = (phones or [cells[digits.index(max(digits))]]) if max(digits) else []
        found.extend(cells)
    return found


async def from_numbers(
    store: AsyncStore, texts: Iterable[str], *, region: str = "US"
) -> Audience:
    """Pasted or loaded numbers: normalised; invalid ones listed with the reason why."""
    invalid: list[InvalidNumber] = []
    phones: list[str] = []
    for raw in texts:
        try:
            phones.append(normalize(raw, region))
        except InvalidPhoneNumber as exc:
            invalid.append(InvalidNumber(raw, str(exc)))
    contacts = await store.contacts_by_phones(phones)
    return await _finish(store, [Recipient(p, contacts.get(p)) for p in phones],
                         invalid=invalid, source="numbers")


async def from_groups(
    store: AsyncStore, group_ids: Sequence[str], names: Sequence[str] = ()
) -> Audience:
    """Every contact of these groups in the local mirror (a contact in two groups counts once)."""
    contacts = await store.contacts_in_groups(list(group_ids))
    label = "groups: " + ", ".join(names) if names else "groups"
    return await _finish(store, [Recipient(c.phone, c) for c in contacts], source=label,
                         group_ids=tuple(group_ids))


async def from_search(store: AsyncStore, query: str, *, limit: int = 100_000) -> Audience:
    """The contacts a search over the local mirror finds."""
    contacts = await store.search_contacts(query, limit=limit)
    return await _finish(store, [Recipient(c.phone, c) for c in contacts],
                         source=f"search: {query}")


async def fresh_contact(
    client: MobinitiClient, store: AsyncStore, phone: str
) -> StoredContact | None:
    """The contact behind ``phone`` for merge fields, fetched from the server into the mirror
    (a CLI run may have no mirror yet); the mirror's copy when the server cannot be asked."""
    try:
        page = await client.list_contacts(filters={"phone_number": phone},
                                          include=CONTACT_INCLUDES, limit=10)
        await store.upsert_contacts([c for c in page.data if c.phone_number == phone])
    except ApiError as exc:
        log.info("audience: contact lookup failed (%s); using the local copy", exc)
    return (await store.contacts_by_phones([phone])).get(phone)


async def _finish(
    store: AsyncStore, candidates: list[Recipient], *, invalid: Sequence[InvalidNumber] = (),
    source: str, group_ids: tuple[str, ...] = (),
) -> Audience:
    opted_out = await store.opted_out_phones([r.phone for r in candidates])
    # 10k recipients take a frame's worth of time: on a thread, not on the screen's loop.
    kept, duplicates, unsubscribed = await asyncio.to_thread(_keep, candidates, opted_out)
    return Audience(tuple(kept), tuple(invalid), duplicates, unsubscribed, source, group_ids)


def _keep(candidates: Sequence[Recipient], opted_out: set[str]
          ) -> tuple[list[Recipient], int, int]:
    """Who may be texted, each number once; how many duplicates and opted-out were left out."""
    seen: set[str] = set()
    kept: list[Recipient] = []
    duplicates = unsubscribed = 0
    for recipient in candidates:
        if recipient.phone in seen:
            duplicates += 1
            continue
        seen.add(recipient.phone)
        contact = recipient.contact
        if recipient.phone in opted_out or (contact is not None and not contact.subscribed):
            unsubscribed += 1
            continue
        kept.append(recipient)
    return kept, duplicates, unsubscribed
