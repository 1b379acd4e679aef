"""The sandbox as a network service: oversized and hostile requests are 4xx in each route's
own error shape, never a 500, a traceback or 300 MB read into memory."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tui.sandbox import DEMO_TOKEN, Sandbox, SandboxConfig, create_app, serve_in_thread
from tui.sandbox.guard import MAX_BODY_BYTES, MAX_JSON_DEPTH

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}
PROTEXTING = "/protexting/v1/contacts-opt-in/create?access_token=pt_demo_access_token"
SKYCORE = "/skycore/API/"
# One route of each family that reads a body, and one that does not.
BODY_ROUTES = [("POST", "/v1/message"), ("PUT", "/v1/contacts/x"), ("POST", "/v1/message/batch"),
               ("POST", PROTEXTING), ("POST", SKYCORE), ("GET", "/v1/contacts")]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, str]]:
    sandbox = create_app(SandboxConfig(contacts=10, rate_limit=False, reply_probability=0.0))
    with serve_in_thread(sandbox) as url:
        yield sandbox, url


def _raw(url: str, request: bytes, then: bytes = b"") -> bytes:
    """Send raw bytes on a fresh connection and read the whole answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        if then:
            with contextlib.suppress(OSError):  # the server may have answered and closed
                sock.sendall(then)
        else:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and _complete(answer):
                break
    return answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def _status_and_body(answer: bytes) -> tuple[int, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
def test_a_300_mb_body_is_refused_before_it_is_read(served: tuple[Sandbox, str], method: str,
                                                    path: str) -> None:
    _, url = served
    started = time.monotonic()
    head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DEMO_TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {300 * 1024 * 1024}\r\n\r\n")
    status, body = _status_and_body(_raw(url, head.encode(), b"{" * 65536))
    assert status == 413
    assert time.monotonic() - started < 10  # answered without waiting for 300 MB
    text = body.decode()
    if path.startswith("/skycore"):
        assert "<ERRORCODE>E100</ERRORCODE>" in text
    elif path.startswith("/protexting"):
        assert json.loads(text)["name"] == "Payload Too Large"
    else:
        assert json.loads(text) == {"status": 413, "errors": {}, "message": json.loads(text)[
            "message"]}


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES[:5])
def test_a_chunked_body_is_cut_off_at_the_limit(served: tuple[Sandbox, str], method: str,
                                                path: str) -> None:
    _, url = served
    piece = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece)
                      for _ in range(MAX_BODY_BYTES // len(piece) + 2))
    head = (f"{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DEMO_TOKEN}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    status, _ = _status_and_body(_raw(url, head, chunks + b"0\r\n\r\n"))
    assert status == 413


async def test_deep_json_is_a_400_on_every_json_route(served: tuple[Sandbox, str]) -> None:
    _, url = served
    deep = b"[" * 100_000 + b"]" * 100_000
    just_too_deep = json.dumps({"message": "hi", "x": [[[]]] * 1}).encode().replace(
        b"[[[]]]", b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    async with httpx.AsyncClient(base_url=url, headers=AUTH) as client:
        for body in (deep, just_too_deep):
            for path in ("/v1/message", "/v1/contacts", PROTEXTING):
                answer = await client.post(path, content=body,
                                           headers={"Content-Type": "application/json"})
                assert answer.status_code == 400, (path, answer.text)
                assert "status" in answer.json()


async def test_wrong_content_type_and_invalid_utf8_are_4xx_in_the_seed_shape(
    served: tuple[Sandbox, str],
) -> None:
    _, url = served
    async with httpx.AsyncClient(base_url=f"{url}/v1", headers=AUTH) as client:
        form = await client.post("/message", data={"message": "hi", "phone_number": "+1"})
        xml = await client.post("/message", content=b"<a/>",
                                headers={"Content-Type": "text/xml"})
        latin = await client.post("/message", content=b'{"message": "caf\xe9"}',
                                  headers={"Content-Type": "application/json"})
        no_type = await client.post("/message", content=b'{"message": "hi"}')
    assert form.status_code == 415 and xml.status_code == 415
    assert set(form.json()) == {"status", "message", "errors"}
    assert latin.status_code == 400 and "UTF-8" in json.dumps(latin.json())
    assert no_type.status_code == 422  # no type: read as JSON (curl, scripts), then validated


@pytest.mark.parametrize("query", [
    "limit=-1", "limit=0", "limit=101", "limit=99999999999999999999999", "limit=1e3",
    "limit=%FF", "page=-1", "page=0", "page=99999999999999999999999", "page=2147483648",
    "page=abc", "limit=5&limit=-5", "filter[%00]=x", "sort=-%FF",
])
async def test_hostile_paging_is_a_4xx(served: tuple[Sandbox, str], query: str) -> None:
    _, url = served
    async with httpx.AsyncClient(base_url=f"{url}/v1", headers=AUTH) as client:
        answer = await client.get(f"/contacts?{query}")
    assert 400 <= answer.status_code < 500, answer.text
    assert set(answer.json()) == {"status", "message", "errors"}


@pytest.mark.parametrize("path", [
    "/v1/../../etc/passwd", "/v1/contacts/..%2F..%2Fetc%2Fpasswd", "/v1//contacts",
    "/v1/contacts/%00", "/v1/contacts/" + "a" * 8000, "/v1/%FF%FE", "/etc/passwd",
    "/v1/contacts/%2e%2e/groups", "/_sandbox/../v1/contacts", "/v1/contacts/1;rm",
])
def test_path_tricks_are_a_4xx(served: tuple[Sandbox, str], path: str) -> None:
    _, url = served
    status, body = _status_and_body(_raw(
        url, f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DEMO_TOKEN}\r\n"
             "Connection: close\r\n\r\n".encode()))
    assert 400 <= status < 500 or (status == 200 and path == "/_sandbox/../v1/contacts"), path
    if status != 200:
        assert b"Traceback" not in body


async def test_stats_are_for_loopback_only() -> None:
    sandbox = create_app(SandboxConfig(contacts=3, rate_limit=False))
    sandbox.chaos.force("server_error", "storm")
    async with sandbox.http() as client:
        await client.get("/contacts")
        await client.get("/contacts")
        await client.get("/contacts")
    local = httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.asgi),
                              base_url="http://sandbox")
    remote = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.asgi, client=("203.0.113.9", 5000)),
        base_url="http://sandbox")
    async with local, remote:
        mine = (await local.get("/_sandbox/stats")).json()
        theirs = await remote.get("/_sandbox/stats")
    assert mine["requests"] == 3
    assert mine["faults"]["server_error"] == 1 and mine["faults"]["storm"] >= 1
    assert mine["faults_total"] == sum(mine["faults"].values())
    assert theirs.status_code == 404


def test_serve_with_no_replies_reports_its_faults_at_exit() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "serve", "--port", "0", "--contacts", "5",
         "--no-replies", "--chaos", "1", "--chaos-kinds", "server_error", "--inbound-rate", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        lines = []
        while not (line := server.stdout.readline()).startswith("Press Ctrl+C"):
            assert line, server.stderr.read() if server.stderr else ""
            lines.append(line)
        api = next(x.split()[-1] for x in lines if x.strip().startswith("API:"))
        assert any("replies:    off" in x for x in lines)
        for _ in range(3):
            assert httpx.get(f"{api}/contacts", headers=AUTH).status_code >= 500
        stats = httpx.get(api.removesuffix("/v1") + "/_sandbox/stats").json()
        assert stats["faults"]["server_error"] == 3
    finally:
        server.send_signal(signal.SIGINT)
        out, _ = server.communicate(timeout=20)
    assert "Stopped after 3 requests, 3 faults injected: latency 0, drop 0, server_error 3" in out


async def test_a_client_that_leaves_mid_body_is_no_handler_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A client killed while sending its body (the kill -9 campaign does it) is logged as
    gone, not as a sandbox bug with a traceback."""
    import logging

    from tui.sandbox import SandboxConfig, create_app

    sandbox = create_app(SandboxConfig(contacts=5, rate_limit=False, reply_probability=0.0))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "path": "/v1/contacts", "raw_path": b"/v1/contacts",
             "query_string": b"", "root_path": "", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000),
             "headers": [(b"authorization", f"Bearer {sandbox.token}".encode()),
                         (b"content-type", b"application/json"),
                         (b"accept", b"application/json")]}
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO):
        await sandbox.asgi(scope, receive, send)  # type: ignore[arg-type]
    assert not any("handler failed" in r.getMessage() for r in caplog.records)
    assert any("client left" in r.getMessage() for r in caplog.records)
    assert sent and sent[0]["status"] == 400
