"""The client against a bad server on a real socket: trickling, HTML, errors inside a 200, cut
JSON, endless pages, enormous answers. Each ends in a clear error with a reason for the status
bar; nothing hangs, loops or fills memory; a slow background page never blocks a reply."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from tui.api.client import MobinitiClient
from tui.api.errors import ApiError, TransportError, Unauthorized, UnreadableResponse
from tui.api.rate import Priority
from tui.api.transport import ConnectionState

Writer = asyncio.StreamWriter
Handler = Callable[[str, Writer], Awaitable[None]]


def _contact(n: int) -> dict[str, object]:
    return {"id": f"c{n}", "phone_number": f"+1555555{n:04d}", "first_name": "A",
            "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}


def _page(items: list[dict[str, object]], number: int, next_page: int | None,
          total_pages: int = 1) -> bytes:
    links = {"next": f"http://x/v1/contacts?page={next_page}"} if next_page else {}
    return json.dumps({"data": items, "meta": {"pagination": {
        "total": 3, "count": len(items), "per_page": 100, "current_page": number,
        "total_pages": total_pages, "links": links}}}).encode()


async def _answer(writer: Writer, status: int, body: bytes, kind: str = "application/json",
                  length: int | None = None) -> None:
    writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: "
                 f"{len(body) if length is None else length}\r\n\r\n".encode() + body)
    await writer.drain()


@pytest.fixture
async def bad_server() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    servers: list[asyncio.Server] = []

    async def start(handler: Handler) -> str:
        async def serve(reader: asyncio.StreamReader, writer: Writer) -> None:
            try:
                while True:
                    head = await reader.readuntil(b"\r\n\r\n")
                    target = head.split(b" ", 2)[1].decode()
                    await handler(target, writer)
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        servers.append(server)
        return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/v1"

    yield start
    for server in servers:
        server.close()


def _client(url: str, seen: list[ConnectionState], **options: float) -> MobinitiClient:
    settings: dict[str, float] = {"max_retries": 0, "backoff_base": 0.01, **options}
    client = MobinitiClient("mbn_test_token_0123456789", url,
                            **settings)  # type: ignore[arg-type]
    client.on_status = seen.append
    return client


async def test_a_server_trickling_one_byte_every_two_seconds_ends_answer_too_slow(
    bad_server: Callable[[Handler], Awaitable[str]],
) -> None:
    async def trickle(target: str, writer: Writer) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n")
        for _ in range(1000):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(2)

    seen: list[ConnectionState] = []
    async with _client(await bad_server(trickle), seen, deadline=3.0) as client:
        with pytest.raises(TransportError, match="too slowly") as failed:
            # The safety net only: without the deadline this would trickle for 2,000 s.
            await asyncio.wait_for(client.list_contacts(), timeout=30)
    assert failed.value.reason == "answer too slow" and failed.value.maybe_sent
    assert seen[-1] == ConnectionState("offline", detail="answer too slow")


@pytest.mark.parametrize(("status", "kind", "body", "error", "reason"), [
    (502, "text/html", b"<html><title>502 Bad Gateway</title></html>", ApiError,
     "the server answered HTML, HTTP 502"),
    (401, "application/json", b'{"status": 401, "message": "Unauthenticated."}',
     Unauthorized, "token refused"),
    (200, "application/json", b'{"status": 500, "message": "Internal error"}',
     UnreadableResponse, "the server answered an error inside HTTP 200"),
    (200, "application/json", b'{"data": [{"id": "c1", "phone_', UnreadableResponse,
     "the server answered broken JSON, HTTP 200"),
    (200, "text/html", b"<!DOCTYPE html><html>login</html>", UnreadableResponse,
     "the server answered HTML, HTTP 200"),
    (503, "text/plain", b"upstream connect error", ApiError,
     "the server answered plain text, HTTP 503"),
])
async def test_a_bad_answer_is_an_error_with_a_reason(
    bad_server: Callable[[Handler], Awaitable[str]], status: int, kind: str, body: bytes,
    error: type[ApiError], reason: str,
) -> None:
    async def answer(target: str, writer: Writer) -> None:
        await _answer(writer, status, body, kind)

    seen: list[ConnectionState] = []
    async with _client(await bad_server(answer), seen, max_retries=1) as client:
        with pytest.raises(error) as failed:
            await client.list_contacts()
    from tui.api.reasons import reason_of

    assert reason_of(failed.value) == reason
    if status >= 500:
        assert seen[-1].detail == reason


async def test_an_enormous_answer_is_refused_without_reading_it(
    bad_server: Callable[[Handler], Awaitable[str]],
) -> None:
    async def huge(target: str, writer: Writer) -> None:
        if "chunked" in target:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n")
            piece = b"[" + b" " * 65534 + b"]"
            for _ in range(2000):  # 128 MB if it were all read
                writer.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                await writer.drain()
        else:
            await _answer(writer, 200, b"{", length=500 * 1024 * 1024)

    seen: list[ConnectionState] = []
    async with _client(await bad_server(huge), seen) as client:
        client._transport.max_answer_bytes = 1024 * 1024
        for filters in ({}, {"phone_number": "chunked"}):
            with pytest.raises(TransportError, match="larger than") as failed:
                await client.list_contacts(filters=filters)  # type: ignore[arg-type]
            assert failed.value.reason == "answer too large"


@pytest.mark.parametrize("loop", ["same items", "links back", "endless"])
async def test_pages_that_never_end_stop(bad_server: Callable[[Handler], Awaitable[str]],
                                         loop: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.api import paging

    monkeypatch.setattr(paging, "MAX_PAGES", 30)

    async def pages(target: str, writer: Writer) -> None:
        number = int(target.split("page=")[1].split("&")[0]) if "page=" in target else 1
        if loop == "same items":
            body = _page([_contact(n) for n in range(3)], number, number + 1)  # past its end
        elif loop == "links back":
            body = _page([_contact(number * 10 + n) for n in range(3)], number, 1, 10**4)
        else:
            body = _page([_contact(number * 10 + n) for n in range(3)], number, number + 1)
        await _answer(writer, 200, body)

    seen: list[ConnectionState] = []
    async with _client(await bad_server(pages), seen) as client:
        client.scheduler.spacing = 0.0
        got = [c.id async for c in client.paginate(client.list_contacts)]
    # "same items": page 1, then page 2 is past the end and repeats it: stop there.
    assert len(got) == {"same items": 3, "links back": 3, "endless": 90}[loop]


async def test_a_slow_background_page_does_not_hold_the_route_from_a_reply(
    bad_server: Callable[[Handler], Awaitable[str]],
) -> None:
    finished: list[str] = []
    release = asyncio.Event()

    async def answer(target: str, writer: Writer) -> None:
        body = _page([_contact(1)], 1, None)
        if "slow" in target:  # the poller's page: headers now, the body when released
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(body))
            writer.write(body[:10])
            await writer.drain()
            await release.wait()
            writer.write(body[10:])
            await writer.drain()
        else:
            await _answer(writer, 200, body)

    seen: list[ConnectionState] = []
    async with _client(await bad_server(answer), seen) as client:
        client.scheduler.spacing = 0.0

        async def background() -> None:
            await client.list_contacts(filters={"phone_number": "slow"},
                                       priority=Priority.BACKGROUND)
            finished.append("background")

        async def reply() -> None:
            await client.list_contacts()
            finished.append("interactive")
            release.set()

        slow = asyncio.create_task(background())
        await asyncio.sleep(0.2)  # its headers are in, its body is still coming
        await asyncio.wait_for(asyncio.gather(slow, reply()), timeout=20)
    assert finished == ["interactive", "background"]
