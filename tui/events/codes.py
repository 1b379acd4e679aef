"""The seeds' code tables for provider events, each under the seed's own name.

Mobiniti delivery codes (100–144, 214) live in ``tui.api.codes`` (one home); the rest is here.
"""

from __future__ import annotations

from typing import Final

# --- Opt It Mobile event notifications (seed 000) ----------------------------------------

OPTIT_EVENT_TYPES: Final[dict[str, str]] = {
    "1": "Subscribe",
    "2": "Unsubscribe",
    "3": "Send Message",
}
OPTIT_EVENT_KINDS: Final[dict[str, str]] = {"1": "subscribe", "2": "unsubscribe",
                                            "3": "send_result"}
# response_code → (response_desc, Description)
OPTIT_RESPONSE_CODES: Final[dict[str, tuple[str, str]]] = {
    "1000": ("Success", "Message was successfully sent."),
    "2000": ("Error - Internal Error",
             "The was a generic error processing the Send Message request."),
    "2100": ("Error - Keyword Not Found",
             "The keyword_id that was supplied with the request is not valid or valid for "
             "this user."),
    "2200": ("Error - Interest Not Found",
             "The interest_id that was supplied with the request is not valid or valid for "
             "this user."),
    "3100": ("Error - Invalid Mobile Number",
             "The phone number is invalid or is not subscribed for this keyword."),
    "3200": ("Error - Mobile Number Unsubscribed",
             "The phone number is unsubscribed from this keyword."),
    "3300": ("Error - Mobile Number Stopped",
             "The mobile phone user has requested to stop receiving messages from this "
             "keyword."),
    "3400": ("Error - Mobile Number Blocked",
             "This phone number has been blocked by with either the mobile phone user or "
             "mobile phone carrier."),
}
OPTIT_SUCCESS: Final = "1000"
# Send results that mean the number must not be texted on this keyword any more.
OPTIT_OPTED_OUT_CODES: Final = frozenset({"3200", "3300"})
OPTIT_BLOCKED_CODE: Final = "3400"

# --- Skycore opt-in postbacks (seed 001) --------------------------------------------------

SKYCORE_ORIGINS: Final[dict[str, str]] = {"SUB": "Opt-in postback"}
SKYCORE_CODES: Final[dict[str, str]] = {
    "N301": "Mobile Subscribe: the number subscribed to the campaign",
    "N302": "Mobile Unsubscribe: the number unsubscribed from the campaign",
}
SKYCORE_CODE_KINDS: Final[dict[str, str]] = {"N301": "subscribe", "N302": "unsubscribe"}
SKYCORE_SOURCES: Final[dict[str, str]] = {
    "MANAGER": "imported, added or removed by hand in the campaign audience manager",
    "API": "a subscribe or unsubscribe call to the API",
    "MO": "the phone texted the campaign keyword (opt-in) or STOP (opt-out)",
    "WEB": "the mobile web landing page",
    "IMPORTED AS UNSUBSCRIBED": (
        "an import or manual add was kept unsubscribed because of an earlier opt-out"
    ),
}

# --- Mobiniti webhooks (seed 002) ----------------------------------------------------------

MOBINITI_CONTACT_STATUSES: Final[dict[str, str]] = {
    "suspended": "The carrier suspended this number.",
    "deactivated": "The carrier deactivated this number.",
    "resumed": "The carrier resumed this number.",
    "transferred": "The number was transferred (see the previous phone number).",
}
# The webhook names Mobiniti's settings use, mapped to our kinds (URL /webhooks/mobiniti/<name>).
MOBINITI_WEBHOOKS: Final[dict[str, str]] = {
    "inbound_message": "inbound_message",
    "unsubscribe": "unsubscribe",
    "delivery_report": "delivery_report",
    "contact_status": "contact_status",
    "bounced_message": "bounced",
    "rejection": "rejected",
}
