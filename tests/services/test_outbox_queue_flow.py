"""An unclear send never holds up the queue: it is looked up when due while other replies go;
only later replies to the same number wait (a conversation's texts keep their order)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service_env import Env

from tui.services.outbox import Outbox


class Moment:
    """The outbox's wall clock, moved by hand (its sleeps must not be needed)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


class NoSleep:
    """A monotonic clock whose sleeps are recorded, never waited (old code slept inline)."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return 0.0

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def _outbox(env: Env, moment: Moment, clock: NoSleep) -> Outbox:
    return Outbox(env.client, env.store, reconcile_delay=30.0, retry_delay=0.0,
                  utcnow=moment, clock=clock)


async def test_an_unclear_reply_is_looked_up_later_while_replies_to_others_go(env: Env) -> None:
    first, second = env.subscribed_phone(0), env.subscribed_phone(1)
    moment, clock = Moment(), NoSleep()
    box = _outbox(env, moment, clock)
    env.transport.lose[("POST", "/v1/message")] = 1
    unclear = await box.enqueue(first, "Lost answer")
    moment.now += timedelta(seconds=1)
    other = await box.enqueue(second, "Goes meanwhile")
    await box.process_due()
    assert (await env.store.get_outbox(other.key)).state == "sent"  # type: ignore[union-attr]
    waiting = await env.store.get_outbox(unclear.key)
    assert waiting is not None and waiting.state == "sending"
    assert waiting.next_attempt_at is not None and waiting.next_attempt_at > moment.now
    assert clock.sleeps == []  # nobody slept through the queue
    assert env.transport.count("GET", "/v1/messages") == 0  # not looked up before it is due
    moment.now += timedelta(seconds=31)
    await box.process_due()
    assert (await env.store.get_outbox(unclear.key)).state == "sent"  # type: ignore[union-attr]
    assert env.copies(first, "Lost answer") == 1
    assert env.transport.count("POST", "/v1/message") == 2  # found, never posted again


async def test_a_later_reply_to_the_same_number_waits_for_the_earlier_one(env: Env) -> None:
    phone = env.subscribed_phone(0)
    moment, clock = Moment(), NoSleep()
    box = _outbox(env, moment, clock)
    env.transport.lose[("POST", "/v1/message")] = 1
    earlier = await box.enqueue(phone, "First words")
    moment.now += timedelta(seconds=1)
    later = await box.enqueue(phone, "Second words")
    await box.process_due()
    assert (await env.store.get_outbox(later.key)).state == "queued"  # type: ignore[union-attr]
    assert env.transport.count("POST", "/v1/message") == 1
    moment.now += timedelta(seconds=31)
    await box.process_due()
    await box.process_due()
    assert (await env.store.get_outbox(earlier.key)).state == "sent"  # type: ignore[union-attr]
    assert (await env.store.get_outbox(later.key)).state == "sent"  # type: ignore[union-attr]
    sent = [m.message for m in env.sandbox.state.messages
            if m.direction == "outgoing" and m.phone_number == phone
            and m.message in ("First words", "Second words")]
    assert sent == ["First words", "Second words"]


async def test_a_lookup_answered_with_5xx_does_not_stop_the_other_replies(env: Env) -> None:
    first, second = env.subscribed_phone(0), env.subscribed_phone(1)
    moment, clock = Moment(), NoSleep()
    box = _outbox(env, moment, clock)
    unclear = await box.enqueue(first, "Was it sent?")
    # As after a lost answer: sending, its lookup due now. Every try of the lookup gets a 5xx.
    await env.store.update_outbox(unclear.key, state="sending", attempts=1, last_error="lost")
    env.transport.fail_after_apply[("GET", "/v1/messages")] = 10
    moment.now += timedelta(seconds=1)
    other = await box.enqueue(second, "Not held up")
    await box.process_due()
    assert (await env.store.get_outbox(other.key)).state == "sent"  # type: ignore[union-attr]
    still = await env.store.get_outbox(unclear.key)
    assert still is not None and still.state == "sending"  # never posted blind
    assert env.copies(first, "Was it sent?") == 0
