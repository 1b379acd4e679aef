"""Error responses become the right ApiError class with a sentence a person can act on."""

from __future__ import annotations

import logging

import httpx
import pytest
from api_fakes import BASE, SAMPLES, TOKEN, FakeClock, Script, ok

from tui.api import models as m
from tui.api.client import MobinitiClient
from tui.api.errors import (
    ApiError,
    BadRequest,
    Forbidden,
    NotAcceptable,
    NotFound,
    PaymentRequired,
    RateLimited,
    ServerError,
    Unauthorized,
    UnreadableResponse,
    UnsupportedMediaType,
    ValidationFailed,
    error_from_response,
    find_scope,
)
from tui.api.rate import RateScheduler

HTML_500 = (
    b"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>"
    b"<body><h1>Whoops</h1><p>nginx</p></body></html>"
)


def client_for(script: Script, **kw: object) -> MobinitiClient:
    clock = FakeClock()
    return MobinitiClient(TOKEN, BASE, transport=script.transport, clock=clock,
                          scheduler=RateScheduler(per_second=1000.0, clock=clock), **kw)  # type: ignore[arg-type]


async def test_422_carries_field_errors_and_request_id() -> None:
    body = {"status": 422, "message": "A validation error occurred",
            "errors": {"phone_number": ["The contact already exists."]}}
    script = Script(ok(body, 422, **{"X-Request-Id": "req-42"}))
    async with client_for(script) as client:
        with pytest.raises(ValidationFailed) as caught:
            await client.create_contact(m.ContactCreate(phone_number="+15551230001"))
    err = caught.value
    assert err.status == 422
    assert err.errors == {"phone_number": ["The contact already exists."]}
    assert err.request_id == "req-42"
    assert err.maybe_sent is False
    text = str(err)
    assert "phone_number: The contact already exists." in text
    assert "req-42" in text and "Correct the fields" in text
    assert len(script.requests) == 1


async def test_500_with_html_body_is_a_readable_server_error() -> None:
    script = Script(httpx.Response(500, content=HTML_500, headers={"Content-Type": "text/html"}))
    async with client_for(script) as client:
        with pytest.raises(ServerError) as caught:
            await client.send_message(m.MessageCreate(phone_number="+1555", message="hi"))
    err = caught.value
    assert err.status == 500 and err.maybe_sent is True
    assert "500 Internal Server Error" in str(err)
    assert "<" not in str(err)
    assert len(script.requests) == 1  # a text is never re-sent after a 5xx


async def test_429_with_headers_gives_retry_after_when_retries_are_used_up() -> None:
    headers = {"Retry-After": "7", "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0",
               "X-Request-Id": "r429"}
    script = Script(ok({"status": 429, "message": "Too Many Attempts."}, 429, **headers))
    async with client_for(script, max_retries=0) as client:
        with pytest.raises(RateLimited) as caught:
            await client.list_groups()
    err = caught.value
    assert err.retry_after == 7.0 and err.request_id == "r429"
    assert "7 s" in str(err)
    assert client.scheduler.paused_for("GET /groups") == pytest.approx(7.0)


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (400, {"status": 400, "message": "An error has occurred with your request and is "
               "unable to be processed.", "errors": {}}, BadRequest),
        (401, {"status": 401, "message": "Unauthenticated."}, Unauthorized),
        (401, {"error": "access_denied", "message": "The resource owner denied the request."},
         Forbidden),
        (402, {"status": 402, "message": "Payment required"}, PaymentRequired),
        (403, {"status": 403, "message": "Missing scope: contacts.delete"}, Forbidden),
        (404, {"status": 404, "message": "Contact not found"}, NotFound),
        (406, {"status": 406, "message": "Not Acceptable"}, NotAcceptable),
        (415, {"status": 415, "message": "Unsupported Media Type"}, UnsupportedMediaType),
        (503, {"status": 503, "message": "Down for maintenance"}, ServerError),
    ],
)
async def test_status_codes_map_to_their_error_class(
    status: int, body: dict[str, object], cls: type[ApiError]
) -> None:
    script = Script(ok(body, status))
    async with client_for(script, max_retries=0) as client:
        with pytest.raises(cls) as caught:
            await client.delete_contact("c1")
    assert caught.value.status == status
    assert str(caught.value).endswith(f"[HTTP {status}]") and caught.value.hint


async def test_403_names_the_missing_scope_in_the_hint() -> None:
    body = {"status": 403, "message": "This token lacks the messages.unread.view scope"}
    script = Script(ok(body, 403))
    async with client_for(script) as client:
        with pytest.raises(Forbidden) as caught:
            await client.list_messages(read=False)
    assert caught.value.scope == "messages.unread.view"
    assert "'messages.unread.view' scope" in str(caught.value)


def test_scope_is_found_in_free_wording() -> None:
    assert find_scope("Token requires scope `widgets.view`") == "widgets.view"
    assert find_scope("You may not do that") is None


def test_an_empty_error_body_still_gives_a_sentence() -> None:
    err = error_from_response(502, b"", {}, reason="Bad Gateway")
    assert isinstance(err, ServerError)
    assert "Bad Gateway" in str(err) and "HTTP 502" in str(err)


def test_plain_text_error_body_is_quoted_briefly() -> None:
    err = error_from_response(418, b"I'm a teapot " * 50, {})
    assert isinstance(err, BadRequest)
    assert "teapot" in err.message and len(err.message) < 300


async def test_a_2xx_that_is_not_json_is_unreadable_and_maybe_applied() -> None:
    script = Script(httpx.Response(201, content=b"<html>ok</html>"))
    async with client_for(script) as client:
        with pytest.raises(UnreadableResponse) as caught:
            await client.send_message(m.MessageCreate(phone_number="+1555", message="hi"))
    assert "cannot read" in str(caught.value)
    assert caught.value.maybe_sent is True


async def test_a_2xx_with_the_wrong_shape_is_unreadable() -> None:
    script = Script(ok({"data": {"id": "c1"}}))
    async with client_for(script) as client:
        with pytest.raises(UnreadableResponse, match="phone_number"):
            await client.get_contact("c1")


async def test_the_token_never_shows_in_reprs_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = {"status": 401, "message": f"Token {TOKEN} is revoked",
            "errors": {"token": [f"{TOKEN} unknown"]}}
    script = Script(ok(echo, 401), httpx.ConnectError(f"refused for {TOKEN}"),
                    ok({"data": SAMPLES[m.Contact]}))
    async with client_for(script) as client:
        assert TOKEN not in repr(client)
        with pytest.raises(Unauthorized) as caught:
            await client.get_contact("c1")
        assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)
        await client.get_contact("c1")  # connect error, then retried
    assert TOKEN not in caplog.text


def test_a_json_string_error_body_is_quoted_without_quotes_noise() -> None:
    err = error_from_response(503, b'"maintenance until 5pm"', {})
    assert isinstance(err, ServerError)
    assert "maintenance until 5pm" in str(err) and '"' not in err.message
