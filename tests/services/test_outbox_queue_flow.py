"""An unclear send never holds up the queue: it is looked up when due while other replies go;
only later replies to the same number wait (a conversation's texts keep their order)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from service_env import Env, make_client

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


async def test_a_text_posted_as_the_first_request_is_looked_up_in_a_narrow_window(
    env: Env,
) -> None:
    """After a kill -9 the restart's first request may be the post: the server's clock was not
    known yet, so its lookup window was a whole day — on a busy account more texts than a lookup
    reads, and the text was called "maybe sent". The lookup's own answers tell the time."""
    from tui.sandbox.records import MessageRecord

    phone = env.subscribed_phone(0)
    state = env.sandbox.state
    old = state.now() - timedelta(hours=1)
    for number in range(600):  # an hour ago: inside a day, outside the usual two minutes
        state.add_message(MessageRecord(
            id=state.ids.new(), phone_number=phone, message=f"older {number}",
            direction="outgoing", type_name="OUTGOING_API", created_at=old, updated_at=old,
            read=True, metadata={"smsdesk_key": f"k{number}"}))
    moment, clock = Moment(), NoSleep()
    box = _outbox(env, moment, clock)
    item = await box.enqueue(phone, "Posted first")
    state.record_outgoing(phone, "Posted first", metadata={"smsdesk_key": item.key})
    await env.store.update_outbox(item.key, state="sending", attempts=1, posted_at=moment.now,
                                  last_error="the answer was lost")
    assert (await env.store.get_outbox(item.key)).server_offset is None  # type: ignore[union-attr]
    await box.process_due()
    done = await env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent", done.last_error
    assert env.copies(phone, "Posted first") == 1


async def test_a_garbled_page_of_a_lookup_is_read_again_not_counted_as_a_failed_lookup(
    env: Env,
) -> None:
    phone = env.subscribed_phone(0)
    moment, clock = Moment(), NoSleep()
    box = _outbox(env, moment, clock)
    env.transport.lose[("POST", "/v1/message")] = 1
    item = await box.enqueue(phone, "Cut page")
    await box.process_due()
    env.transport.garble[("GET", "/v1/messages")] = 2  # 200 with cut JSON, twice in a row
    moment.now += timedelta(seconds=31)
    await box.process_due()
    done = await env.store.get_outbox(item.key)
    assert done is not None and done.state == "sent", done.last_error
    assert env.copies(phone, "Cut page") == 1


class Held(httpx.AsyncBaseTransport):
    """The sandbox, except requests to one route wait until the test lets them through (a
    lookup the server keeps waiting: Retry-After chains, a trickling page; a post in flight)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, method: str, path: str) -> None:
        self.inner, self.route = inner, (method, path)
        self.release = asyncio.Event()
        self.waiting = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if (request.method, request.url.path) == self.route:
            self.waiting.set()
            await self.release.wait()
        return await self.inner.handle_async_request(request)


async def test_a_text_written_while_a_lookup_is_held_up_goes_out_at_once(env: Env) -> None:
    first, second = env.subscribed_phone(0), env.subscribed_phone(1)
    held = Held(env.transport, "GET", "/v1/messages")
    client = make_client(env.sandbox, held)
    box = Outbox(client, env.store, reconcile_delay=0, retry_delay=0.0)
    unclear = await box.enqueue(first, "Being checked")
    await env.store.update_outbox(unclear.key, state="sending", attempts=1, last_error="lost")
    sender = asyncio.create_task(box.run())
    try:
        await asyncio.wait_for(held.waiting.wait(), 10)  # its lookup is on the way, held
        later = await box.enqueue(second, "Not kept waiting")
        for _ in range(200):
            item = await env.store.get_outbox(later.key)
            if item is not None and item.state == "sent":
                break
            await asyncio.sleep(0.05)
        assert (await env.store.get_outbox(later.key)).state == "sent"  # type: ignore[union-attr]
        assert (await env.store.get_outbox(unclear.key)).state == "sending"  # type: ignore[union-attr]
        held.release.set()
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        await client.aclose()


async def test_a_text_being_posted_is_never_looked_up_meanwhile(env: Env) -> None:
    """A post in flight is "sending", like an unclear one: the lookups' loop must leave it be
    (a lookup before the server applied it says "absent", and the text would go twice)."""
    phone = env.subscribed_phone(0)
    held = Held(env.transport, "POST", "/v1/message")
    client = make_client(env.sandbox, held)
    box = Outbox(client, env.store, reconcile_delay=0, retry_delay=0.0)
    item = await box.enqueue(phone, "In flight")
    sender = asyncio.create_task(box.run())
    try:
        await asyncio.wait_for(held.waiting.wait(), 10)
        for _ in range(6):  # both loops get their turns while the post is held
            box.wake()
            await asyncio.sleep(0.6)
        assert env.transport.count("GET", "/v1/messages") == 0
        held.release.set()
        for _ in range(100):
            done = await env.store.get_outbox(item.key)
            if done is not None and done.state == "sent":
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.6)
        assert env.copies(phone, "In flight") == 1
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        await client.aclose()


async def test_a_text_a_lookup_proved_absent_is_posted_again_at_once(env: Env) -> None:
    """The server answered the lookup, so it is up: waiting the retry back-off (2 s, 4 s…)
    only left the send route idle (a lone text cut twice waited 10 s between tries)."""
    phone = env.subscribed_phone(0)
    moment, clock = Moment(), NoSleep()
    box = Outbox(env.client, env.store, reconcile_delay=0, retry_delay=2.0, utcnow=moment,
                 clock=clock)
    env.transport.cut[("POST", "/v1/message")] = 1  # sent, cut before the server applied it
    item = await box.enqueue(phone, "Cut once")
    await box.process_due()
    again = await env.store.get_outbox(item.key)
    assert again is not None and again.state == "queued"
    assert again.next_attempt_at is not None and again.next_attempt_at <= moment.now
    await box.process_due()
    assert (await env.store.get_outbox(item.key)).state == "sent"  # type: ignore[union-attr]
    assert env.copies(phone, "Cut once") == 1
