"""The one ``Event`` every provider's webhook or postback becomes, and ``BadPayload``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

Provider = Literal["mobiniti", "optit", "skycore"]
PROVIDERS: Final[tuple[str, ...]] = ("mobiniti", "optit", "skycore")

# What happened, in the person's words; every provider's events map onto these.
KINDS: Final[tuple[str, ...]] = (
    "inbound_message",   # a contact texted in
    "subscribe",         # opted in (keyword, web form, API, import)
    "unsubscribe",       # opted out (STOP, manager, API)
    "delivery_report",   # the carrier's verdict on a text we sent
    "contact_status",    # carrier says: suspended, deactivated, resumed, transferred
    "bounced",           # a text we sent bounced
    "rejected",          # the provider refused a text we sent
    "send_result",       # the provider's result of a send call (Opt It event_type 3)
)
KIND_LABELS: Final[dict[str, str]] = {
    "inbound_message": "inbound",
    "subscribe": "opt-in",
    "unsubscribe": "opt-out",
    "delivery_report": "delivery",
    "contact_status": "status",
    "bounced": "bounced",
    "rejected": "rejected",
    "send_result": "send result",
}


class BadPayload(ValueError):
    """A body that is not a valid event; ``reason`` says why, ``status`` is the HTTP answer.

    400: not readable at all (bad UTF-8, JSON, XML, form). 415: the content type is wrong.
    422: readable, but not an event we know (missing or wrong fields, unknown codes).
    """

    def __init__(self, reason: str, status: int = 422) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True, slots=True)
class Event:
    """One provider event. Text fields are already safe to show (``tui.safe_text.shown``)."""

    kind: str
    provider: str
    phone: str | None = None            # E.164
    occurred_at: datetime | None = None  # time-zone aware
    text: str | None = None              # the inbound text, or the text a report is about
    code: str | None = None              # the provider's status/response/event code
    meaning: str | None = None           # that code's meaning from the seed's tables
    provider_id: str | None = None       # an id unique to this event at the provider, if any
    ids: Mapping[str, str] = field(default_factory=dict)      # contact_id, message_id, …
    details: Mapping[str, str] = field(default_factory=dict)  # short_code, keyword, source, …
    raw: str = ""                        # the whole body as received (decoded, never shown raw)

    @property
    def dedupe_key(self) -> str:
        """Same provider event, same key: a retried webhook is stored once.

        The provider's own id when it has one; otherwise a hash of what the body said (not of
        its bytes, so a retry that only reorders fields or spacing is still the same event).
        """
        if self.provider_id:
            return f"{self.provider}:{self.kind}:{self.provider_id}"
        facts = [self.phone, self.occurred_at.isoformat() if self.occurred_at else None,
                 self.text, self.code, sorted(self.ids.items()), sorted(self.details.items())]
        digest = hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()
        return f"{self.provider}:{self.kind}:sha256:{digest[:40]}"
