"""What the person decides about outbox items: retry, discard, "it went out", "send again".

Mixed into ``Outbox`` (which provides the store, the clock and the change listeners).
"""

from __future__ import annotations

from tui.services.timing import UtcNow
from tui.store import AsyncStore, OutboxItem, Recipient


class SendRefused(ValueError):
    """A text that must not (or cannot) be sent; the message says why and what to do."""


class PersonChoices:
    """The person's half of ``Outbox``."""

    store: AsyncStore
    utcnow: UtcNow
    _lookup_failures: dict[str, int]

    # Provided by Outbox.
    def _changed(self, item: OutboxItem) -> None:
        raise NotImplementedError

    def wake(self) -> None:
        raise NotImplementedError

    async def retry(self, key: str) -> OutboxItem:
        """Send a failed text again (the person asked; the attempt count starts over)."""
        return await self._requeue_by_person(key, ("failed",), "retried")

    async def send_again(self, key: str) -> OutboxItem:
        """The person decided an unclear text did not go out: send it (its undecided numbers)."""
        return await self._requeue_by_person(key, ("unclear",), "sent again")

    async def confirm_sent(self, key: str) -> OutboxItem:
        """The person decided an unclear text went out: mark it sent, nothing is posted."""
        item = await self.store.get_outbox(key)
        if item is None or item.state != "unclear":
            raise SendRefused(await self._why_not(key, "marked as sent"))
        if item.kind == "single":
            done = await self.store.outbox_sent(key, None, now=self.utcnow())
        else:
            recipients = {**item.recipients, **{
                p: Recipient("sent", reason="marked as sent by you")
                for p in item.phones if p not in item.recipients}}
            done = await self.store.update_outbox(
                key, state="sent", expect=("unclear",), recipients=recipients, last_error=None,
                now=self.utcnow())
        if done is None:
            raise SendRefused(await self._why_not(key, "marked as sent"))
        self._changed(done)
        return done

    async def _requeue_by_person(self, key: str, states: tuple[str, ...], verb: str
                                 ) -> OutboxItem:
        item = await self.store.update_outbox(
            key, state="queued", expect=states, attempts=0, last_error=None,
            next_attempt_at=None, lease=(None, None), now=self.utcnow(),
        )
        if item is None:
            raise SendRefused(await self._why_not(key, verb))
        self._lookup_failures.pop(key, None)
        self._changed(item)
        self.wake()
        return item

    async def discard(self, key: str) -> OutboxItem:
        """Drop a queued or failed text; one being sent right now cannot be discarded."""
        item = await self.store.cancel_outbox(key, now=self.utcnow())
        if item is None:
            raise SendRefused(await self._why_not(key, "discarded"))
        self._changed(item)
        return item

    async def _why_not(self, key: str, verb: str) -> str:
        item = await self.store.get_outbox(key)
        if item is None:
            return "That text is no longer in the outbox."
        if item.state == "sending":
            return f"That text is being sent right now and cannot be {verb}."
        return f"That text is {item.state} and cannot be {verb}."
