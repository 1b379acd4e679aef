"""Did the server get this text? One lookup in ``GET /messages`` that never guesses.

A text is *found* when the server's copy carries our key, or — on a server that drops metadata —
when exactly one unclaimed text with the same words went to the same number (numbers compared
after normalising both sides, the lookup filtered by national digits so any stored form
matches). It is *absent* only when a complete lookup proves it. Anything else is *unclear*:
the caller never resends it on its own. The window follows the server's clock when known, and
is wide enough for any plausible clock skew when not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from tui.api.client import MobinitiClient
from tui.api.errors import UnreadableResponse
from tui.api.models import Message, Page
from tui.api.rate import Priority
from tui.services.pages import pages_of
from tui.services.timing import UtcNow, utc_now
from tui.store import AsyncStore, OutboxItem
from tui.store.records import is_same_text, phone_digits

KEY_FIELD: Final = "smsdesk_key"
# Before the first POST, in the server's time: covers a Date header's second and slow clocks.
WINDOW_MARGIN: Final = timedelta(minutes=2)
# When the server's time is unknown: wider than any clock a person would not notice is wrong.
WIDE_WINDOW: Final = timedelta(hours=24)
# How often one page of a lookup is read before its unreadable body fails the lookup.
PAGE_READS: Final = 3
_TOO_MANY: Final = "the server has more texts than smsdesk could look through"


@dataclass(frozen=True)
class Lookup:
    """What the server's list says about each number of an outbox item."""

    found: dict[str, Message] = field(default_factory=dict)
    absent: frozenset[str] = frozenset()
    unclear: dict[str, str] = field(default_factory=dict)  # number -> why it is undecidable
    seen: tuple[Message, ...] = ()  # same-text candidates, shown to the person when unclear

    @property
    def decided(self) -> bool:
        return not self.unclear


def national_digits(e164: str) -> str:
    """The digits every stored form of a number contains (``+15125550100`` → ``5125550100``)."""
    from tui.sms.phones import InvalidPhoneNumber, normalize

    try:
        import phonenumbers

        parsed = phonenumbers.parse(normalize(e164, strict=False))
        return phonenumbers.national_significant_number(parsed)
    except (InvalidPhoneNumber, phonenumbers.NumberParseException):
        digits = phone_digits(e164)
        return digits[-10:] if len(digits) > 10 else digits


def window_start(item: OutboxItem, offset: float | None = None) -> datetime:
    """The earliest server time the server can have stamped this item's text with.

    ``offset``: the server clock's lead over this computer's, learnt after the post (used when
    the item's own is unknown: the post was the process's first request)."""
    posted = item.posted_at or item.created_at
    offset = item.server_offset if item.server_offset is not None else offset
    if offset is None:
        return min(posted, item.created_at) - WIDE_WINDOW
    return posted + timedelta(seconds=offset) - WINDOW_MARGIN


class Reconciler:
    """Looks an outbox item up on the server: ``await look_up(item, numbers)``."""

    def __init__(self, client: MobinitiClient, store: AsyncStore, *, max_pages: int = 5,
                 max_batch_pages: int = 20, utcnow: UtcNow = utc_now) -> None:
        self.client = client
        self.store = store
        self.utcnow = utcnow  # the clock that stamped the items' posted_at
        self.max_pages = max_pages
        self.max_batch_pages = max_batch_pages

    async def look_up(self, item: OutboxItem, numbers: Iterable[str]) -> Lookup:
        """Each of ``numbers`` (of this item): found, absent or unclear. Raises ``ApiError``."""
        wanted = list(dict.fromkeys(numbers))
        since = window_start(item)
        filters: dict[str, str | datetime] = {"type": "OUTGOING_ALL", "created_at_min": since}
        if len(wanted) == 1:
            filters["phone_number"] = national_digits(wanted[0])
        pages = self.max_pages if len(wanted) == 1 else self.max_batch_pages
        listed, complete = await self._list(filters, pages, item.body)
        learnt = self.client.server_clock.offset_from(self.utcnow())
        if not complete and item.server_offset is None and learnt is not None:
            # The post was this process's first request (e.g. right after a kill -9), so the
            # day-wide window held more texts than a lookup reads; the list's own answers told
            # the server's time: look again in the usual narrow window.
            since = filters["created_at_min"] = window_start(item, learnt)
            listed, complete = await self._list(filters, pages, item.body)
        return await self._judge(item, wanted, listed, complete, since)

    async def _list(self, filters: dict[str, str | datetime], max_pages: int, body: str
                    ) -> tuple[list[Message], bool]:
        listed: list[Message] = []
        complete = True
        async with pages_of(self._page, filters=filters, sort="created_at",
                            include=("receipt",), priority=Priority.INTERACTIVE) as pages:
            count = 0
            async for page in pages:
                listed.extend(page.data)
                count += 1
                if count >= max_pages:
                    meta = page.meta.pagination
                    complete = meta is not None and meta.current_page >= meta.total_pages
                    break
        return listed, complete

    async def _page(self, **query: Any) -> Page[Message]:
        """One page of the list; a page whose body came cut or garbled is read again (a GET is
        safe to repeat). The client retries lost answers and 5xx itself; an unreadable 200 it
        hands up, and with a lookup of 15 pages under 30 % faults one of them often is."""
        for attempt in range(1, PAGE_READS + 1):
            try:
                return await self.client.list_messages(**query)
            except UnreadableResponse:
                if attempt == PAGE_READS:
                    raise
        raise AssertionError("unreachable")

    async def _judge(self, item: OutboxItem, wanted: list[str], listed: list[Message],
                     complete: bool, since: datetime) -> Lookup:
        keyed_server = any(KEY_FIELD in m.metadata for m in listed)
        found: dict[str, Message] = {}
        absent: set[str] = set()
        unclear: dict[str, str] = {}
        seen: list[Message] = []
        for number in wanted:
            same = [m for m in listed if is_same_text(number, item.body, m.phone_number,
                                                      m.message)]
            seen.extend(same)
            ours = [m for m in same if m.metadata.get(KEY_FIELD) == item.key]
            if ours:
                found[number] = ours[0]
                continue
            if keyed_server:
                # This server keeps our keys: a copy without ours is somebody else's text.
                if complete:
                    absent.add(number)
                else:
                    unclear[number] = _TOO_MANY
                continue
            unkeyed = [m for m in same if m.created_at >= since
                       and not await self.store.message_claimed_by_other(m.id, item.key)]
            if len(unkeyed) == 1:
                found[number] = unkeyed[0]
            elif len(unkeyed) > 1:
                unclear[number] = (f"the server has {len(unkeyed)} identical texts to this number "
                                   "and none says which one is this one")
            elif complete:
                absent.add(number)
            else:
                unclear[number] = _TOO_MANY
        return Lookup(found, frozenset(absent), unclear, tuple(seen))
