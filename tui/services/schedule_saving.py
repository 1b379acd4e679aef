"""A scheduled text is written to disk before it is posted, and never posted blind after that.

``save`` writes the person's text down (``scheduled_intents``, state ``saving``), posts it once
(``ScheduleOnce``: an unclear answer is looked up before any second post) and settles the row:
``saved`` with the server's id once the server has it (kept a day), gone once the person saw a
refusal, ``unclear`` when the server cannot say. A row still ``saving`` at the next start
(``kill -9``, a power cut before the answer) is looked up first (``recover``): found, it is
done; proven absent and still in the future, it is posted; otherwise it waits, shown, for the
person. Scheduling the same text (number, words,
time) again while its row is open looks it up, and within a day of saving it returns the saved
copy (while the server still has it) instead of posting a second one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError, NotFound
from tui.api.models import ScheduledMessage, ScheduledMessageCreate
from tui.api.rate import Clock
from tui.services.schedule_once import (
    LOOKUP_MARGIN,
    UNKNOWN_CLOCK_WINDOW,
    LookupFailed,
    NotScheduled,
    ScheduleOnce,
    ScheduleUnclear,
    same_time,
)
from tui.store import AsyncStore
from tui.store.records import phone_digits
from tui.store.scheduled_intents import (
    ScheduleIntent,
    add_intent,
    forget_intent,
    open_intents,
    read_intent,
    saved_intent,
    set_intent,
)

log = logging.getLogger("smsdesk.scheduled")

# left: the server's list could not be read; still "saving", looked up again at the next start.
Outcome = Literal["saved", "unclear", "failed", "left"]
# When the server's time was unknown at the post: wider than any clock a person would not
# notice is wrong (the lookup reads the newest first, so a wide window costs little).
WIDE_WINDOW = UNKNOWN_CLOCK_WINDOW


@dataclass(frozen=True)
class Recovered:
    """What the start-up lookup made of one text left ``saving``."""

    intent: ScheduleIntent
    outcome: Outcome  # saved: on the server (found, or posted once proven absent)
    detail: str = ""


def body_of(intent: ScheduleIntent) -> ScheduledMessageCreate:
    return ScheduledMessageCreate(phone_number=intent.phone, message=intent.message,
                                  send_at=intent.send_at)


def is_for(intent: ScheduleIntent, body: ScheduledMessageCreate) -> bool:
    return (phone_digits(intent.phone) == phone_digits(body.phone_number)
            and intent.message == body.message and same_time(intent.send_at, body.send_at))


class ScheduleSaving:
    """The durable half of scheduling one text (``ScheduledTexts.create`` uses it)."""

    def __init__(self, client: MobinitiClient, store: AsyncStore, *,
                 utcnow: Callable[[], datetime], clock: Clock | None = None,
                 lookup_delay: float = 1.0) -> None:
        self.client = client
        self.store = store
        self.utcnow = utcnow
        self.clock = clock
        self.lookup_delay = lookup_delay
        # Rows this process is posting or looking up now; each event is set once it settles.
        self._in_hand: dict[str, asyncio.Event] = {}

    def _once(self) -> ScheduleOnce:
        return ScheduleOnce(self.client, utcnow=self.utcnow, clock=self.clock,
                            lookup_delay=self.lookup_delay)

    async def intents(self) -> list[ScheduleIntent]:
        """Texts whose saving is not settled (being saved, maybe saved, not saved), oldest
        first: the Scheduled section shows them above the server's list."""
        return await self.store.call(open_intents, self.store.sync.db)

    async def forget(self, key: str) -> bool:
        """The person has dealt with it (found it in the list, or gave up on it)."""
        return await self.store.call(forget_intent, self.store.sync.db, key)

    async def save(self, body: ScheduledMessageCreate) -> ScheduledMessage:
        """On the server once; raises ``ScheduleUnclear``, ``NotScheduled`` or the ``ApiError``
        of a clear refusal (nothing saved)."""
        while True:
            waiting = None
            for intent in await self.store.call(open_intents, self.store.sync.db, saved=True):
                if not is_for(intent, body):
                    continue
                if intent.key in self._in_hand:  # the start-up lookup has it: its outcome
                    waiting = self._in_hand[intent.key]
                    break
                if intent.state == "saved":
                    found = await self._still_there(intent)
                    if found is not None:
                        return found
                    continue
                log.info("scheduled: %s was being saved before; looking it up", intent.key)
                return await self._resume(intent)
            if waiting is None:
                break
            await waiting.wait()
        now = self.utcnow()
        intent = await self.store.call(
            add_intent, self.store.sync.db, key=str(uuid.uuid4()), phone=body.phone_number,
            message=body.message, send_at=body.send_at, now=now,
            server_offset=self.client.server_clock.offset_from(now))
        with self._holding(intent.key):
            return await self._post(intent)

    @contextlib.contextmanager
    def _holding(self, key: str) -> Iterator[None]:
        settled = self._in_hand[key] = asyncio.Event()
        try:
            yield
        finally:
            del self._in_hand[key]
            settled.set()

    async def recover(self) -> list[Recovered]:
        """Look up every text a previous run left ``saving`` (never posted blind)."""
        done = []
        for listed in await self.intents():
            # Re-read: the person may have settled it meanwhile (scheduling it again).
            intent = await self.store.call(read_intent, self.store.sync.db, listed.key)
            if intent is None or intent.state != "saving" or intent.key in self._in_hand:
                continue
            try:
                await self._resume(intent, check_time=True)
            except LookupFailed as exc:
                done.append(Recovered(intent, "left", str(exc)))
            except ScheduleUnclear as exc:
                done.append(Recovered(intent, "unclear", str(exc)))
            except (NotScheduled, ApiError) as exc:
                done.append(Recovered(intent, "failed", str(exc)))
            else:
                done.append(Recovered(intent, "saved"))
        return done

    async def _resume(self, intent: ScheduleIntent, *, check_time: bool = False
                      ) -> ScheduledMessage:
        with self._holding(intent.key):
            try:
                found = await self._once().look_up(
                    body_of(intent), self._since(intent),
                    intent.last_error or "smsdesk stopped before the server answered")
            except LookupFailed as exc:
                if not check_time:  # the person is told; at start-up, looked up again later
                    await self._set(intent, "unclear", str(exc))
                raise
            except ScheduleUnclear as exc:
                await self._set(intent, "unclear", str(exc))
                raise
            if found is not None:
                await self._saved(intent, found)
                return found
            now = self.utcnow()
            if check_time and intent.send_at <= now:
                why = (f"Not scheduled: smsdesk stopped before the server saved it, and "
                       f"{intent.send_at:%Y-%m-%d %H:%M} UTC has passed since; schedule it "
                       "again for a later time.")
                await self._set(intent, "failed", why)
                raise NotScheduled(why)
            await self.store.call(
                set_intent, self.store.sync.db, intent.key, "saving", now=now, posted_at=now,
                server_offset=self.client.server_clock.offset_from(now))
            return await self._post(intent, reported=not check_time)

    async def _post(self, intent: ScheduleIntent, *, reported: bool = True) -> ScheduledMessage:
        """Post (once, looked up when unclear) and settle the row. ``reported``: a refusal is
        seen by the person (a dialog, the command line), so its row goes; otherwise it stays
        as ``failed`` until the person has seen it. The caller holds the row."""
        try:
            saved = await self._once().create(body_of(intent))
        except ScheduleUnclear as exc:
            await self._set(intent, "unclear", str(exc))
            raise
        except (NotScheduled, ApiError) as exc:
            if reported:
                await self.forget(intent.key)
            else:
                await self._set(intent, "failed", f"Not scheduled: {exc}")
            raise
        await self._saved(intent, saved)
        return saved

    async def _saved(self, intent: ScheduleIntent, saved: ScheduledMessage) -> None:
        await self.store.call(saved_intent, self.store.sync.db, intent.key, saved.id,
                              now=self.utcnow())

    async def _still_there(self, intent: ScheduleIntent) -> ScheduledMessage | None:
        """The same text was saved lately (a kill may have come before the person saw it):
        that copy, if the server still has it; None when it was cancelled since."""
        assert intent.scheduled_id is not None
        try:
            found: ScheduledMessage | None = await self.client.get_scheduled(
                intent.scheduled_id)
        except NotFound:
            found = None
        except ApiError as exc:
            raise ScheduleUnclear(
                f"Maybe scheduled: the same text was saved lately (id {intent.scheduled_id}) "
                f"and smsdesk could not check it now ({exc}). Look at the Scheduled list "
                "before scheduling it again.") from None
        if found is None or found.status != "pending":  # cancelled (or gone) since
            await self.forget(intent.key)
            return None
        return found

    async def _set(self, intent: ScheduleIntent, state: Literal["unclear", "failed"],
                   why: str) -> None:
        await self.store.call(set_intent, self.store.sync.db, intent.key, state,
                              now=self.utcnow(), last_error=why)

    @staticmethod
    def _since(intent: ScheduleIntent) -> datetime:
        """The earliest server time the server can have stamped this text's row with."""
        posted = intent.posted_at or intent.created_at
        if intent.server_offset is None:
            return posted - WIDE_WINDOW
        return posted + timedelta(seconds=intent.server_offset) - LOOKUP_MARGIN
