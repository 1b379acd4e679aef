"""Delivery report status codes from seed 002 ("Delivery Reports"), with their meanings."""

from __future__ import annotations

from typing import Final

DELIVERED: Final = "100"
QUEUED: Final = "136"
DISPATCHED: Final = "137"

DELIVERY_CODES: Final[dict[str, str]] = {
    "100": "The message delivered successfully",
    "101": "The MSISDN is inactive or no longer active.",
    "102": "Fault in Number Portability Database or HLR of MSISDN range holder.",
    "103": "The MSC that a message has been sent to is not aware of the subscriber IMSI.",
    "104": "It cannot be determined whether this message has been delivered or has failed.",
    "105": "Rejection due to failed authentication or filtering.",
    "106": "Destination number is not a valid mobile number or its routing cannot be determined.",
    "107": "Rejection due to subscription not supporting SMS.",
    "108": "Rejection due to subscription, handset or network not supporting SMS.",
    "109": "Rejection due to subscription or network not allowing SMS.",
    "110": "Handset is turned off or out of coverage (likely for 12 hours or more).",
    "111": "Handset is turned off or out of coverage (very recently unavailable).",
    "112": "Handset is turned off or out of coverage (unavailable for several hours).",
    "113": "The MSC that the subscriber is currently registered to is experiencing a fault.",
    "114": "MSC is busy handling an existing transaction with the handset.",
    "115": "Receiving handset or equipment does not support SMS or an SMS feature.",
    "116": "Handset memory is full (likely for 12 hours or more).",
    "117": "Rejection due to SS7 protocol or network failure.",
    "118": "Rejection due to subscriber network decoding error or signaling fault.",
    "119": "Handset memory is full (ran out of capacity recently).",
    "120": "Generic delivery failure",
    "121": "Internal SMSC error due to invalid message syntax.",
    "122": "Internal SMSC error caused by SS7 link/dialogue fault.",
    "123": "SMSC cannot decode the response received from destination network.",
    "124": "Subscriber network or signalling partner has terminated the signalling connection.",
    "125": "Anti-Spam Rejection because of the content (carrier based regulation).",
    "126": "Subscriber network not receiving packets from SMSC, or not responding to them.",
    "127": "Subscriber network or signalling partner has not responded to signalling.",
    "128": "Subscriber network refuses signalling connection or message packet.",
    "129": "Signalling with destination network has been prevented by SMSC or signalling partner.",
    "130": "SMSC partner has prevented messages being sent to this MSISDN or network.",
    "131": "SMSC partner has rejected the message due to an unacceptable message parameter.",
    "132": "SMSC partner platform fault; it will be retried.",
    "133": "SMSC partner platform fault; it will not be retried.",
    "134": "SMSC partner cannot route this message currently, but it will be retried.",
    "135": "SMSC partner cannot route this message and it will not be retried.",
    "136": "Message is queued and will be dispatched according to the rate of the account.",
    "137": "Message has been dispatched to SMSC.",
    "138": "SMSC rejected message. Retrying is likely to cause the same error.",
    "139": "An unexpected error caused the message to fail.",
    "140": "Temporary delivery failure. Message can be retried.",
    "141": "One or more parameters in the message body has no mapping for this recipient.",
    "142": "Message was expired before reaching SMSC.",
    "143": "Message was canceled by user before reaching SMSC.",
    "144": "SS7 signalling link is overloaded.",
    "214": "Subscriber network or signalling partner has rejected the signalling connection.",
}

# Not a seed code: smsdesk's mark for a text a rejection webhook named (Activity has the reason).
REJECTED: Final = "rejected"

# Codes that are not final: the message is still on its way.
PENDING_CODES: Final = frozenset({"136", "137"})


def delivery_meaning(code: str) -> str:
    """The seed's meaning of a delivery code, or a plain fallback for an unknown one."""
    if code == REJECTED:
        return "The provider rejected the message (the reason is in Activity, key 6)."
    return DELIVERY_CODES.get(code, f"Unknown delivery code {code}")


def delivery_state(code: str) -> str:
    """Collapse a code to what a person needs to see: queued, sent, delivered or failed."""
    if code == DELIVERED:
        return "delivered"
    if code == QUEUED:
        return "queued"
    if code == DISPATCHED:
        return "sent"
    return "failed"
