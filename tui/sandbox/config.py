"""The sandbox's knobs: demo data size, traffic, webhooks, rate limit and fault injection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final, Literal

from tui.sandbox.shapes import SHAPES, Shape

# Every fault the chaos middleware can inject (README "Sandbox" lists what each one does).
FAULT_KINDS: Final = (
    "latency",        # the answer comes late (but complete)
    "drop",           # the connection drops before the request is applied
    "server_error",   # 500, 502 or 503 and nothing applied
    "storm",          # one route refused (429) for 1-3 s, Retry-After says so; nothing applied
    "slow_body",      # the body trickles in small pieces
    "malformed",      # the request is applied, the JSON body is cut short
    "response_lost",  # the request is applied, then the connection drops: "was it sent?"
)


# Every Mobiniti webhook kind (seed 002), each posted to its own URL.
WEBHOOK_KINDS: Final = ("inbound_message", "unsubscribe", "delivery_report", "contact_status",
                        "bounced_message", "rejection")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ChaosConfig:
    """Fault injection. ``rate`` is the chance that one request gets a fault of ``kinds``."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    seed: int = 7
    latency: tuple[float, float] = (0.2, 1.5)   # seconds, for "latency"
    storm_requests: int = 5                      # at most this many 429s in one storm
    slow_body_chunk_delay: float = 0.05          # seconds between the pieces of a slow body

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"chaos rate must be between 0 and 1, not {self.rate}")
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(
                f"unknown fault kind(s) {sorted(unknown)}; known: {', '.join(FAULT_KINDS)}"
            )


@dataclass
class SandboxConfig:
    """How a sandbox is built. Defaults suit the demo; tests shrink ``contacts``, relax limits."""

    seed: int = 7
    contacts: int = 200
    rate_limit: bool = True
    inbound_rate: float = 0.0            # texts/minute contacts send on their own; 0 = off
    reply_probability: float = 0.3       # chance that a contact answers a text we sent
    reply_delay: tuple[float, float] = (3.0, 20.0)   # seconds before such an answer arrives
    delivery_delay: float = 2.0          # seconds from "queued" to the final delivery receipt
    failure_rate: float = 0.04           # share of texts whose receipt is a failure code
    # Webhooks: each kind is posted to webhook_urls[kind], else to <webhook_url>/<kind>
    # (e.g. http://127.0.0.1:8766/webhooks/mobiniti → …/mobiniti/inbound_message).
    webhook_url: str | None = None
    webhook_urls: dict[str, str] = field(default_factory=dict)
    webhook_secret: str | None = None    # sent as X-Webhook-Secret when set
    webhook_max_attempts: int = 5
    webhook_backoff: float = 0.5         # first retry delay in seconds, doubled each time
    tick: float = 0.25                   # seconds between background steps
    short_code: str = "64600"
    chaos: ChaosConfig = field(default_factory=ChaosConfig)
    clock: Callable[[], datetime] = utc_now
    # "default": the contract's JSON; "php": as a Laravel/Fractal server writes it (shapes.py)
    shape: Shape = "default"
    # False: the server forgets metadata (smsdesk's key) on messages, as some servers might
    keep_metadata: bool = True
    # A contact created through the API is pending until it answers the opt-in text (seed: "a
    # SMS message will be sent … they must opt-in").
    api_contacts_pending: bool = True
    # A text to a pending or unsubscribed number: "refuse" it at once (422), or "reject_later"
    # (201, then a failure receipt and the rejected-message webhook).
    unready_texts: Literal["refuse", "reject_later"] = "refuse"
    protexting_token: str = "pt_demo_access_token"
    skycore_api_key: str = "sky_demo_api_key"

    def __post_init__(self) -> None:
        if self.contacts < 0:
            raise ValueError(f"contacts must be 0 or more, not {self.contacts}")
        if self.inbound_rate < 0:
            raise ValueError(
                f"inbound rate must be 0 or more texts per minute, not {self.inbound_rate}")
        if not 0.0 <= self.reply_probability <= 1.0:
            raise ValueError("reply probability must be between 0 and 1")
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError("failure rate must be between 0 and 1")
        unknown = sorted(set(self.webhook_urls) - set(WEBHOOK_KINDS))
        if unknown:
            raise ValueError(f"unknown webhook kind(s) {unknown}; known: "
                             f"{', '.join(WEBHOOK_KINDS)}")
        if self.shape not in SHAPES:
            raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {self.shape!r}")
        if self.delivery_delay < 0:
            raise ValueError("delivery delay must be 0 or more seconds")
