"""ProTexting contact opt-in (seed 004): ``POST /v1/contacts-opt-in/create?access_token=...``."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tui.sandbox.guard import BadJson, load_json
from tui.sandbox.phones import digits, normalize

PATH: Final = "/v1/contacts-opt-in/create"
LIMIT_PER_MINUTE: Final = 60


def _stamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


class ProTexting:
    """A tiny ProTexting account: numbered groups and contacts keyed by number."""

    def __init__(self, token: str, now: Callable[[], datetime], *, rate_limit: bool = True,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.token = token
        self.now = now
        self.rate_limit = rate_limit
        self.monotonic = monotonic
        self.groups: dict[int, str] = {1: "Main list", 2: "VIP", 3: "Events"}
        self.contacts: dict[str, dict[str, Any]] = {}
        self.sent_cta: list[tuple[str, str]] = []
        self._window: deque[float] = deque()

    def routes(self) -> list[Route]:
        return [Route(PATH, self.opt_in, methods=["POST"])]

    def _limit_headers(self) -> tuple[bool, dict[str, str]]:
        now = self.monotonic()
        while self._window and now - self._window[0] >= 60.0:
            self._window.popleft()
        if self.rate_limit and len(self._window) >= LIMIT_PER_MINUTE:
            reset = int(60 - (now - self._window[0])) + 1
            return False, {"X-Rate-Limit-Limit": str(LIMIT_PER_MINUTE),
                           "X-Rate-Limit-Remaining": "0", "X-Rate-Limit-Reset": str(reset),
                           "Retry-After": str(reset)}
        self._window.append(now)
        return True, {"X-Rate-Limit-Limit": str(LIMIT_PER_MINUTE),
                      "X-Rate-Limit-Remaining": str(LIMIT_PER_MINUTE - len(self._window)),
                      "X-Rate-Limit-Reset": "60"}

    async def opt_in(self, request: Request) -> JSONResponse:
        if request.query_params.get("access_token") != self.token:
            return JSONResponse({"name": "Unauthorized", "message": "Your request was made with "
                                 "invalid credentials.", "code": 0, "status": 401},
                                status_code=401)
        allowed, headers = self._limit_headers()
        if not allowed:
            return JSONResponse({"name": "Too Many Requests", "message": "Rate limit exceeded.",
                                 "code": 0, "status": 429}, status_code=429, headers=headers)
        try:
            body = load_json(await request.body() or b"{}")
        except BadJson:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"name": "Bad Request", "message": "The body must be a JSON "
                                 "object.", "code": 0, "status": 400},
                                status_code=400, headers=headers)
        errors = self._validate(body)
        if errors:
            return JSONResponse(errors, status_code=422, headers=headers)
        return JSONResponse(self._subscribe(body), status_code=201, headers=headers)

    def _validate(self, body: dict[str, Any]) -> list[dict[str, str]]:
        errors: list[dict[str, str]] = []
        phone = body.get("PhoneNumber")
        if not isinstance(phone, str | int) or str(phone).strip() == "":
            errors.append({"field": "PhoneNumber", "message": "Phone Number cannot be blank."})
        elif normalize(str(phone)) is None:
            errors.append({"field": "PhoneNumber", "message": "Phone Number is not a valid "
                                                              "phone number."})
        groups = body.get("GroupIds")
        if not isinstance(groups, list) or not groups:
            errors.append({"field": "GroupIds", "message": "Group Ids cannot be blank."})
        elif any(not isinstance(g, int) or isinstance(g, bool) or g not in self.groups
                 for g in groups):
            errors.append({"field": "GroupIds", "message": "Group Ids is invalid: unknown "
                                                           "group id."})
        for name in ("CTAMessage", "ConfirmMessage"):
            value = body.get(name)
            if value is not None and (not isinstance(value, str) or len(value) > 918):
                errors.append({"field": name, "message": f"{name} must be a string of at most "
                                                         f"918 characters."})
        send_cta = body.get("SendCTAMessage")
        if send_cta is not None and send_cta not in (0, 1):
            errors.append({"field": "SendCTAMessage", "message": "SendCTAMessage must be 0 or 1."})
        return errors

    def _subscribe(self, body: dict[str, Any]) -> dict[str, Any]:
        e164 = normalize(str(body["PhoneNumber"]))
        assert e164 is not None
        number = digits(e164)
        now = _stamp(self.now())
        contact = self.contacts.get(number)
        already_in = contact is not None and contact["OptedOut"] == 0
        if contact is None:
            contact = {"Id": len(self.contacts) + 1, "Number": number, "OptedOut": 0,
                       "FirstName": "", "LastName": "", "BirthDay": "0000-00-00", "Email": "",
                       "Zip": "", "City": "", "DateCreated": now, "DateUpdated": now,
                       "CustomFieldIds": [], "GroupIds": []}
            self.contacts[number] = contact
        contact["OptedOut"] = 0
        contact["DateUpdated"] = now
        contact["GroupIds"] = sorted(set(contact["GroupIds"]) | set(body["GroupIds"]))
        # seed: send the CTA always with SendCTAMessage=1, otherwise only to the not-opted-in
        if body.get("CTAMessage") and (body.get("SendCTAMessage") == 1 or not already_in):
            self.sent_cta.append((number, body["CTAMessage"]))
        return dict(contact)
