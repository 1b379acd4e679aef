"""The outbox's batch entries: one text to up to 100 numbers, one ``POST /message/batch``.

Mixed into ``Outbox``: posting a batch, what a clear answer, a lookup or a 422 means for each
number (``recipients``), and when the rest of a batch may be sent again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from tui.api.client import MobinitiClient
from tui.api.errors import ValidationFailed
from tui.api.models import Message, MessageBatchCreate
from tui.api.rate import Priority
from tui.services.reconcile import KEY_FIELD, Lookup
from tui.services.timing import UtcNow
from tui.store import AsyncStore, OutboxItem, Recipient
from tui.store.records import SAME_NUMBER_DIGITS, phone_digits, same_number

_BATCH_FIELD: Final = re.compile(r"^phone_numbers\.(\d+)$")


def messages_by_number(numbers: Sequence[str], messages: Sequence[Message]) -> dict[str, Message]:
    """Each number's message from a batch answer (``same_number``), in linear time: 100 × 100
    comparisons took ~50 ms on the UI loop for every batch of a campaign."""
    by_tail: dict[str, Message] = {}
    for answer in messages:
        by_tail.setdefault(phone_digits(answer.phone_number)[-SAME_NUMBER_DIGITS:], answer)
    found: dict[str, Message] = {}
    for number in numbers:
        message: Message | None = by_tail.get(phone_digits(number)[-SAME_NUMBER_DIGITS:])
        if message is None:  # a short form on either side: compare the slow way
            message = next((m for m in messages if same_number(number, m.phone_number)), None)
        if message is not None and same_number(number, message.phone_number):
            found[number] = message
    return found


class BatchSending:
    """The batch half of ``Outbox`` (which provides the attributes and state changes below)."""

    client: MobinitiClient
    store: AsyncStore
    utcnow: UtcNow
    max_attempts: int
    _offline_streak: int

    # Provided by Outbox.
    def _changed(self, item: OutboxItem) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        raise NotImplementedError

    async def _fail(self, item: OutboxItem, reason: str) -> OutboxItem | None:
        raise NotImplementedError

    async def _mark_unclear(self, item: OutboxItem, why: str,
                            seen: Sequence[Message] = ()) -> OutboxItem | None:
        raise NotImplementedError

    async def _requeue(
        self, item: OutboxItem, reason: str | None, *, attempts: int, offline: bool = False,
        wait: float | None = None,
    ) -> tuple[OutboxItem | None, bool]:
        raise NotImplementedError

    async def _post_batch(self, item: OutboxItem) -> OutboxItem | None:
        numbers = [p for p in item.phones if p not in item.recipients]
        messages = await self.client.send_batch(
            MessageBatchCreate(message=item.body, phone_numbers=numbers,
                               metadata={KEY_FIELD: item.key}),
            priority=Priority.INTERACTIVE,
        )
        self._offline_streak = 0
        answered = Lookup(found=messages_by_number(numbers, messages))
        return await self._batch_outcome(item, answered, numbers, answered_clearly=True)

    async def _batch_outcome(self, item: OutboxItem, lookup: Lookup, numbers: list[str], *,
                             answered_clearly: bool = False) -> OutboxItem | None:
        recipients = dict(item.recipients)
        for phone, message in lookup.found.items():
            recipients[phone] = Recipient("sent", message_id=message.id)
        undecided = [p for p in numbers if p not in recipients]
        if lookup.found or answered_clearly:
            # The server applied the batch: a number without a copy was dropped by it.
            for phone in undecided:
                recipients[phone] = Recipient("missing", reason=lookup.unclear.get(
                    phone, "the server sent no text to this number"))
            return await self._finish_batch(item, recipients, "sent")
        if lookup.unclear:
            reason = next(iter(lookup.unclear.values()))
            await self.store.update_outbox(item.key, recipients=recipients, now=self.utcnow())
            return await self._mark_unclear(item, reason, lookup.seen)
        if item.attempts >= self.max_attempts:
            return await self._fail(item, f"Not sent after {item.attempts} tries; the server "
                                          "has no copy, so nothing went out.")
        queued, _ = await self._requeue(item, item.last_error, attempts=item.attempts)
        return queued

    async def _batch_refused(self, item: OutboxItem, exc: ValidationFailed) -> OutboxItem | None:
        """A 422 sent nothing: numbers it names are refused, the rest goes again at once."""
        posted = [p for p in item.phones if p not in item.recipients]
        recipients = dict(item.recipients)
        for name, reasons in exc.errors.items():
            match = _BATCH_FIELD.match(name)
            if match and int(match.group(1)) < len(posted):
                recipients[posted[int(match.group(1))]] = Recipient(
                    "refused", reason="; ".join(reasons) or exc.message)
        if len(recipients) == len(item.recipients) or len(recipients) == len(item.phones):
            # Nothing to send without those numbers, or the text itself was refused.
            await self.store.update_outbox(item.key, recipients=recipients, now=self.utcnow())
            return await self._fail(item, f"Not sent: {exc}")
        queued = await self.store.update_outbox(
            item.key, state="queued", expect=("sending",), recipients=recipients,
            attempts=item.attempts - 1, next_attempt_at=None, lease=(None, None),
            last_error=f"{len(recipients) - len(item.recipients)} numbers refused; sending "
                       "to the rest",
            now=self.utcnow())
        if queued is not None:
            self._changed(queued)
            self.wake()
        return queued

    async def _finish_batch(self, item: OutboxItem, recipients: dict[str, Recipient],
                            state: str) -> OutboxItem | None:
        done = await self.store.update_outbox(
            item.key, state=state, recipients=recipients, last_error=None,
            next_attempt_at=None, lease=(None, None), now=self.utcnow())
        if done is not None:
            self._changed(done)
        return done
