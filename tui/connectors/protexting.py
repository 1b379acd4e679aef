"""ProTexting contact opt-in (seed 004): ``POST /v1/contacts-opt-in/create?access_token=…``.

JSON ``PhoneNumber`` (digits with the country code, as the seed's example), ``GroupIds``, and
optional ``CTAMessage``, ``ConfirmMessage``, ``SendCTAMessage`` (0/1). 201 answers the contact;
422 names the attribute that failed and why. The ``X-Rate-Limit-*`` headers are honoured: when
``Remaining`` reaches 0 the next call waits for ``X-Rate-Limit-Reset`` seconds, and a 429 waits
``Retry-After`` once before trying again (an opt-in is safe to repeat: the same number is the
same contact).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from tui.safe_text import for_log

PATH: Final = "/v1/contacts-opt-in/create"
DEFAULT_URL: Final = "https://api2.protexting.com"
MAX_WAIT: Final = 120.0  # never sleep longer than this on a server's say-so


class OptInRefused(Exception):
    """The provider said no; ``errors`` maps each failing attribute to its message."""

    def __init__(self, message: str, errors: dict[str, str] | None = None,
                 status: int = 0) -> None:
        self.errors = errors or {}
        self.status = status
        details = " ".join(f"{k}: {v}" for k, v in self.errors.items())
        super().__init__(f"{message} {details}".strip())


@dataclass(frozen=True)
class OptedIn:
    """The contact as ProTexting answered it."""

    id: int | None
    number: str
    opted_out: bool
    raw: dict[str, Any] = field(default_factory=dict)


def _number(e164: str) -> str:
    return "".join(ch for ch in e164 if ch.isdigit())


def _seconds(value: str | None) -> float | None:
    try:
        return min(MAX_WAIT, max(0.0, float(value))) if value else None
    except ValueError:
        return None


class ProTextingOptIn:
    """One account's opt-in endpoint, pacing itself by the server's rate-limit headers."""

    def __init__(self, http: httpx.AsyncClient, token: str, base_url: str = DEFAULT_URL, *,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.http = http
        self.token = token
        self.url = base_url.rstrip("/") + PATH
        self.sleep = sleep
        self.monotonic = monotonic
        self.remaining: int | None = None
        self._resume_at = 0.0

    async def opt_in(self, phone: str, group_ids: Sequence[int], *, cta: str | None = None,
                     confirm: str | None = None, send_cta: bool | None = None) -> OptedIn:
        """Subscribe ``phone`` (E.164) to the groups. Raises ``OptInRefused``."""
        if not group_ids:
            raise OptInRefused("Choose at least one ProTexting group.", {"GroupIds": "empty"})
        body: dict[str, Any] = {"PhoneNumber": _number(phone), "GroupIds": list(group_ids)}
        if cta:
            body["CTAMessage"] = cta
        if confirm:
            body["ConfirmMessage"] = confirm
        if send_cta is not None:
            body["SendCTAMessage"] = int(send_cta)
        for attempt in (1, 2):
            wait = self._resume_at - self.monotonic()
            if wait > 0:
                await self.sleep(wait)
            try:
                response = await self.http.post(self.url, params={"access_token": self.token},
                                                 json=body, headers={"Accept": "application/json"})
            except httpx.HTTPError as exc:
                raise OptInRefused(f"Could not reach ProTexting ({type(exc).__name__}); check "
                                   "the connection and try again.") from None
            self._note_limits(response)
            if response.status_code == 429 and attempt == 1:
                self._resume_at = self.monotonic() + (
                    _seconds(response.headers.get("Retry-After")) or 60.0)
                continue
            return self._answer(response)
        raise OptInRefused("ProTexting kept saying 'too many requests'; try again in a minute.",
                           status=429)

    def _note_limits(self, response: httpx.Response) -> None:
        remaining = response.headers.get("X-Rate-Limit-Remaining")
        if remaining is not None and remaining.isdigit():
            self.remaining = int(remaining)
            if self.remaining == 0:
                reset = _seconds(response.headers.get("X-Rate-Limit-Reset")) or 60.0
                self._resume_at = self.monotonic() + reset

    def _answer(self, response: httpx.Response) -> OptedIn:
        try:
            data = response.json()
        except ValueError:
            data = None
        if response.status_code == 201 and isinstance(data, dict):
            return OptedIn(data.get("Id"), str(data.get("Number", "")),
                           bool(data.get("OptedOut")), data)
        if response.status_code == 422:
            items = data if isinstance(data, list) else [data]
            errors = {str(i.get("field", "?")): str(i.get("message", "")) for i in items
                      if isinstance(i, dict)}
            raise OptInRefused("ProTexting refused the opt-in.", errors, 422)
        if response.status_code == 401:
            raise OptInRefused("ProTexting refused the access token; check protexting_token "
                               "in the profile (smsdesk config show).", status=401)
        message = data.get("message") if isinstance(data, dict) else None
        raise OptInRefused(f"ProTexting answered HTTP {response.status_code}"
                           + (f": {for_log(message, limit=200)}" if message else "."),
                           status=response.status_code)
