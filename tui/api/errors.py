"""The error hierarchy of the Mobiniti client, and turning an error response into one of them.

Every error carries the seed's fields (``status``, ``message``, ``errors{field: [..]}``) plus the
``X-Request-Id`` of the response, and ``str(err)`` is a sentence saying what to do next.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from tui.api import wire_json
from tui.api.limits import SCOPES
from tui.api.rate import parse_retry_after

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_SCOPE_WORD = re.compile(r"scope[s]?\W+[\"'`]?([a-z][a-z0-9_.\-]*[a-z0-9])", re.IGNORECASE)
_EXCERPT = 160


class ApiError(Exception):
    """An answer from (or a failure to reach) the Mobiniti API that the caller must handle."""

    default_message: ClassVar[str] = "The request failed"
    default_hint: ClassVar[str] = "Try again; if it keeps happening, note the request id."
    # A few words for the status bar when known where it was raised (tui.api.reasons).
    reason: str = ""

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int = 0,
        errors: Mapping[str, list[str]] | None = None,
        request_id: str | None = None,
        hint: str | None = None,
        route: str | None = None,
        maybe_sent: bool = False,
    ) -> None:
        self.status = status
        self.message = (message or "").strip() or self.default_message
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        self.request_id = request_id
        self.hint = hint if hint is not None else self.default_hint
        self.route = route
        # True when the server may have applied the request (a text may have gone out).
        self.maybe_sent = maybe_sent
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message.rstrip(".") + "."
        details = [f"{name}: {'; '.join(msgs)}" for name, msgs in self.errors.items() if msgs]
        if details:
            text += " " + " ".join(d.rstrip(".") + "." for d in details)
        if self.hint:
            text += " " + self.hint
        tags = [f"HTTP {self.status}"] if self.status else []
        if self.request_id:
            tags.append(f"request id {self.request_id}")
        if tags:
            text += f" [{', '.join(tags)}]"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status}, message={self.message!r}, "
            f"errors={self.errors!r}, request_id={self.request_id!r})"
        )


class BadRequest(ApiError):
    default_message = "The server could not process the request"
    default_hint = "Check the values you entered and try again."


class Unauthorized(ApiError):
    default_message = "The access token was refused"
    default_hint = (
        "The token is missing, wrong or revoked: create a personal access token in Mobiniti "
        "and run `smsdesk config set token -`."
    )


class PaymentRequired(ApiError):
    default_message = "The account needs payment for this"
    default_hint = "Add credit or upgrade the plan in your Mobiniti account, then try again."


class Forbidden(ApiError):
    default_message = "The access token is not allowed to do this"

    def __init__(self, message: str | None = None, *, scope: str | None = None, **kw: Any) -> None:
        self.scope = scope if scope is not None else find_scope(message or "")
        if "hint" not in kw or kw["hint"] is None:
            kw["hint"] = (
                f"Create a token that has the {self.scope!r} scope and set it with "
                "`smsdesk config set token -`."
                if self.scope
                else "Create a token with the scopes smsdesk needs (see the README) and set it "
                "with `smsdesk config set token -`."
            )
        super().__init__(message, **kw)


class NotFound(ApiError):
    default_message = "That item does not exist (any more)"
    default_hint = "It may have been deleted elsewhere; refresh the list."


class MethodNotAllowed(ApiError):
    default_message = "The server does not allow this request"
    default_hint = "This smsdesk version may not match the API; please report it."


class NotAcceptable(ApiError):
    """406: the server will not answer in JSON (``Accept: application/json``)."""

    default_message = "The server would not answer in JSON"
    default_hint = ("The base URL may point at a web page rather than the API: check "
                    "`smsdesk config show` (it should end in /v1).")


class UnsupportedMediaType(ApiError):
    """415: the server refused our JSON body (``Content-Type: application/json``)."""

    default_message = "The server refused the request's JSON body"
    default_hint = ("The base URL may point at something other than the Mobiniti API, or a "
                    "proxy rewrote the request: check `smsdesk config show`.")


class ValidationFailed(ApiError):
    default_message = "Some values were not accepted"
    default_hint = "Correct the fields named above and try again."


class RateLimited(ApiError):
    default_message = "Too many requests to this part of the API"

    def __init__(
        self, message: str | None = None, *, retry_after: float | None = None, **kw: Any
    ) -> None:
        self.retry_after = retry_after
        if kw.get("hint") is None:
            kw["hint"] = (
                f"smsdesk will wait {retry_after:.0f} s before trying again."
                if retry_after is not None
                else "Wait a moment and try again."
            )
        super().__init__(message, **kw)


class ServerError(ApiError):
    default_message = "The Mobiniti server had a problem"
    default_hint = "This is on the server's side; try again in a minute."


class TransportError(ApiError):
    """The server could not be reached, or its answer was lost (status 0)."""

    default_message = "Could not reach the Mobiniti server"
    default_hint = "Check the network connection; smsdesk keeps your work and retries."


def outcome_unknown(exc: ApiError) -> bool:
    """The server may have applied the request (a lost or cut answer, a 5xx): only looking it
    up can tell. False when it provably did not (never left, 4xx, 429)."""
    if isinstance(exc, TransportError):
        return exc.maybe_sent
    return exc.maybe_sent or exc.status >= 500


class UnreadableResponse(ApiError):
    """A success status whose body is not the JSON the contract promises.

    The request was applied (``maybe_sent`` is True): a send must be reconciled, not repeated.
    """

    default_message = "The server sent a reply smsdesk cannot read"
    default_hint = "The change was probably made; refresh to check before trying again."


class LimitExceeded(ValueError):
    """A client-side limit of the seed (page size, batch sizes) was broken; nothing was sent."""


class InvalidArgument(ValueError):
    """An argument that can never make a valid request (an empty id, an unknown filter)."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    402: PaymentRequired,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    406: NotAcceptable,
    415: UnsupportedMediaType,
    422: ValidationFailed,
    429: RateLimited,
}


def error_class(status: int) -> type[ApiError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return BadRequest
    return ApiError


def find_scope(message: str) -> str | None:
    """The scope a 403 message names: a known seed scope first, else ``scope <name>``."""
    known = [s for s in SCOPES if s in message]
    if known:
        return max(known, key=len)  # "messages.unread.view" over "messages.view"
    match = _SCOPE_WORD.search(message)
    return match.group(1) if match else None


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def _plain_excerpt(raw: str) -> str:
    """A short human-readable piece of a non-JSON body: an HTML title, or tag-free text."""
    title = _TITLE.search(raw)
    text = title.group(1) if title else _TAGS.sub(" ", raw)
    text = _SPACE.sub(" ", html.unescape(text)).strip()
    return text[:_EXCERPT] + ("…" if len(text) > _EXCERPT else "")


def _field_errors(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        return {}
    out: dict[str, list[str]] = {}
    for key, msgs in value.items():
        if isinstance(msgs, list):
            out[str(key)] = [str(m) for m in msgs]
        elif msgs is not None:
            out[str(key)] = [str(msgs)]
    return out


def error_from_response(
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    route: str | None = None,
    secret: str | None = None,
    reason: str = "",
) -> ApiError:
    """Build the right ``ApiError`` for an error response, whatever its body looks like."""
    request_id = headers.get("X-Request-Id")
    text = body.decode("utf-8", errors="replace")
    payload: Any = None
    if text.strip():
        try:
            payload = wire_json.loads(text)
        except ValueError:
            payload = None
    message: str | None = None
    errors: dict[str, list[str]] = {}
    denied = False
    if isinstance(payload, dict):
        raw_message = payload.get("message") or payload.get("error_description")
        message = str(raw_message) if raw_message else None
        errors = _field_errors(payload.get("errors"))
        denied = payload.get("error") == "access_denied"
    elif text.strip():
        # Not the seed's object: a JSON string/list, plain text or an HTML error page.
        excerpt = _plain_excerpt(payload if isinstance(payload, str) else text)
        if excerpt:
            message = f"{error_class(status).default_message} (it said: {excerpt})"
    if message is None and reason and status >= 400:
        message = f"{error_class(status).default_message} ({reason})"
    message = _redact(message, secret) if message else None
    errors = {k: [_redact(m, secret) for m in v] for k, v in errors.items()}
    common: dict[str, Any] = {
        "status": status,
        "errors": errors,
        "request_id": request_id,
        "route": route,
    }
    # The PHP client reports a 401 with "error": "access_denied" as a permission problem.
    cls = Forbidden if status == 401 and denied else error_class(status)
    if cls is RateLimited:
        return RateLimited(message, retry_after=parse_retry_after(headers.get("Retry-After")),
                           **common)
    if cls is ServerError:
        return ServerError(message, maybe_sent=True, **common)
    return cls(message, **common)
