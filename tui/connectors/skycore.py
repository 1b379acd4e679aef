"""Skycore subscribe (seed 003): an XML ``<REQUEST>`` in, ``<RESPONSE>`` STATUS/ERRORCODE out.

Every error code of the seed becomes a sentence that says what happened and what to do. The
answer is parsed with defusedxml (an XML bomb from a proxy is refused, not expanded).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from xml.etree.ElementTree import Element, SubElement, tostring

import httpx
from defusedxml import ElementTree as SafeTree

from tui.connectors.skycore_zones import ZONES
from tui.safe_text import for_log

DEFAULT_URL: Final = "https://secure.skycore.com/API/wxml/1.3/index.php"
_TAG_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")

# The seed's codes, said plainly: what happened, then what to do.
ERROR_SENTENCES: Final[dict[str, str]] = {
    "E100": "Skycore could not read the request (a required value is missing). Check the "
            "number and campaign, then try again.",
    "E104": "Skycore refused the API key. Check skycore_api_key in the profile.",
    "E105": "This Skycore account has no API access. Ask Skycore to enable the API.",
    "E106": "Skycore allows an API call only every few seconds. Wait a moment and try again.",
    "E107": "This Skycore account may not subscribe numbers through the API. Ask Skycore to "
            "allow the subscribe action.",
    "E108": "Skycore could not parse the request's XML. This is a bug in smsdesk: please "
            "report it with the log file.",
    "E109": "The Skycore API is not activated for this account. Activate it in Skycore's "
            "API settings.",
    "E112": "Skycore only accepts calls from allowed IP addresses, and this computer's is not "
            "one. Add it to the whitelist in Skycore's API settings.",
    "E113": "Too many subscribe calls for the account's set throughput. Slow down and try "
            "again later.",
    "E114": "This number is blacklisted at Skycore, so it cannot be subscribed.",
    "E120": "The Skycore account has used up its API requests. Wait for the limit to reset "
            "or ask Skycore to raise it.",
    "E503": "Skycore had an internal error. Try again in a few minutes.",
    "E718": "A Skycore campaign reference is needed (--campaign REF).",
    "E721": "Skycore does not know this campaign reference. Check it in Skycore's campaign "
            "list.",
    "E901": "A mobile number is needed to subscribe.",
    "E904": "Skycore could not subscribe this number (it may already be subscribed, or not "
            "be a mobile number).",
}


class SubscribeFailed(Exception):
    """Skycore answered Failure (``code`` is its E-code) or could not be reached."""

    def __init__(self, sentence: str, code: str | None = None, info: str = "") -> None:
        self.code = code
        self.info = info
        super().__init__(sentence)


def explain(code: str, info: str = "") -> str:
    """The plain sentence for an E-code, with Skycore's own words when they add something."""
    sentence = ERROR_SENTENCES.get(code, f"Skycore refused the subscription ({code}).")
    if info:
        sentence += f" Skycore said: {for_log(info, limit=200)}"
    return sentence


@dataclass(frozen=True)
class Subscribed:
    mobile: str
    campaign_ref: str


def request_xml(api_key: str, campaign_ref: str, mobile: str, *,
                data: Mapping[str, str] | None = None, timezone: str | None = None) -> bytes:
    """The seed's ``<REQUEST>``; every value is escaped by the XML writer."""
    root = Element("REQUEST")
    SubElement(root, "ACTION").text = "subscribe"
    SubElement(root, "API_KEY").text = api_key
    SubElement(root, "CAMPAIGNREF").text = campaign_ref
    SubElement(root, "MOBILE").text = mobile
    if data:
        block = SubElement(root, "DATA")
        for key, value in data.items():
            tag = "".join(ch if ch in _TAG_CHARS else "_" for ch in key.upper()) or "FIELD"
            SubElement(block, tag if tag[0].isalpha() else f"F_{tag}").text = value
    if timezone:
        zone = timezone.strip().upper()
        if zone not in ZONES:
            raise SubscribeFailed(f"{timezone!r} is not a time zone Skycore knows (for example "
                                  "EST, CST, MST, PST).")
        SubElement(root, "TIMEZONE").text = zone
    return bytes(tostring(root, encoding="utf-8"))


def read_response(body: bytes) -> Subscribed:
    try:
        root = SafeTree.fromstring(body)
    except Exception:  # ParseError or defusedxml's refusals (entities, DTDs)
        raise SubscribeFailed("Skycore's answer was not readable XML; try again, and check "
                              "skycore_url in the profile.") from None

    def text(tag: str) -> str:
        node = root.find(tag)
        return (node.text or "").strip() if node is not None else ""

    if root.tag != "RESPONSE":
        raise SubscribeFailed("Skycore's answer was not a <RESPONSE>; check skycore_url.")
    if text("STATUS").lower() == "success":
        return Subscribed(text("MOBILE"), text("CAMPAIGNREF"))
    code = text("ERRORCODE") or "?"
    raise SubscribeFailed(explain(code, text("ERRORINFO")), code, text("ERRORINFO"))


async def subscribe(http: httpx.AsyncClient, url: str, api_key: str, campaign_ref: str,
                    phone: str, *, data: Mapping[str, str] | None = None,
                    timezone: str | None = None) -> Subscribed:
    """Subscribe ``phone`` (E.164; sent as digits with the country code). Raises
    ``SubscribeFailed`` with a plain sentence."""
    mobile = "".join(ch for ch in phone if ch.isdigit())
    body = request_xml(api_key, campaign_ref, mobile, data=data, timezone=timezone)
    try:
        response = await http.post(url, content=body, headers={"Content-Type": "text/xml"})
    except httpx.HTTPError as exc:
        raise SubscribeFailed(f"Could not reach Skycore ({type(exc).__name__}); check the "
                              "connection and try again.") from None
    if response.status_code >= 500:
        raise SubscribeFailed(explain("E503"), "E503")
    return read_response(response.content)
