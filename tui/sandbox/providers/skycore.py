"""Skycore subscribe API (seed 003): an XML ``<REQUEST>`` in, a ``<RESPONSE>`` with E-codes out."""

from __future__ import annotations

from typing import Final
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from defusedxml import ElementTree as SafeTree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tui.sandbox.phones import digits, normalize

PATH: Final = "/API/"
MAX_BODY: Final = 64_000

# The seed's error codes (general, then subscribe-specific), with its wording.
ERRORS: Final = {
    "E100": "Invalid request. Make a valid request via GET/POST/XML with all the required "
            "variables.",
    "E104": "User Authentication Failed.",
    "E107": "This account has no rights to use this action.",
    "E108": "XML Parse error: {detail}",
    "E114": "Phone number is blacklisted. API call rejected.",
    "E503": "Internal error.",
    "E718": "The 'campaignref' is required",
    "E721": "Invalid campaignref",
    "E901": "The 'mobile' number is required",
    "E904": "Could not subscribe this number",
}

# Abbreviations of the seed's time-zone table (some are ambiguous there; all are accepted).
TIMEZONES: Final = frozenset([
    "ACDT", "ACST", "ACT", "ADT", "AEDT", "AEST", "AFT", "AKDT", "AKST", "AMST", "AMT",
    "ART", "AST", "AWDT", "AWST", "AZOST", "AZT", "BDT", "BIOT", "BIT", "BOT", "BRST",
    "BRT", "BST", "BTT", "CAT", "CCT", "CDT", "CEDT", "CEST", "CET", "CHADT", "CHAST",
    "CHOT", "CHST", "CHUT", "CIST", "CIT", "CKT", "CLST", "CLT", "COST", "COT", "CST", "CT",
    "CVT", "CWST", "CXT", "DAVT", "DDUT", "DFT", "EASST", "EAST", "EAT", "ECT", "EDT",
    "EEDT", "EEST", "EET", "EGST", "EGT", "EIT", "EST", "FET", "FJT", "FKST", "FKT", "FNT",
    "GALT", "GAMT", "GET", "GFT", "GILT", "GIT", "GMT", "GST", "GYT", "HADT", "HAEC",
    "HAST", "HKT", "HMT", "HOVT", "HST", "IBST", "ICT", "IDT", "IOT", "IRDT", "IRKT",
    "IRST", "IST", "JST", "KGT", "KOST", "KRAT", "KST", "LHST", "LINT", "MAGT", "MART",
    "MAWT", "MDT", "MET", "MEST", "MHT", "MIST", "MIT", "MMT", "MSK", "MST", "MUT", "MVT",
    "MYT", "NCT", "NDT", "NFT", "NPT", "NST", "NT", "NUT", "NZDT", "NZST", "OMST", "ORAT",
    "PDT", "PET", "PETT", "PGT", "PHOT", "PKT", "PMDT", "PMST", "PONT", "PST", "PYST",
    "PYT", "RET", "ROTT", "SAKT", "SAMT", "SAST", "SBT", "SCT", "SGT", "SLST", "SRET",
    "SRT", "SST", "SYOT", "TAHT", "THA", "TFT", "TJT", "TKT", "TLT", "TMT", "TOT", "TVT",
    "UCT", "ULAT", "USZ1", "UTC", "UYST", "UYT", "UZT", "VET", "VLAT", "VOLT", "VOST",
    "VUT", "WAKT", "WAST", "WAT", "WEDT", "WEST", "WET", "WIT", "WST", "YAKT", "YEKT", "Z",
])


class Skycore:
    """A Skycore account with a few campaigns and who is subscribed to each."""

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.campaigns: dict[str, str] = {"1116": "Demo Shop alerts", "2001": "VIP club"}
        self.blacklist: set[str] = {"12125559876"}
        self.subscribers: dict[str, dict[str, dict[str, str]]] = {c: {} for c in self.campaigns}

    def routes(self) -> list[Route]:
        return [Route(PATH, self.api, methods=["POST"])]

    async def api(self, request: Request) -> Response:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _answer("Failure", "", "", "E100", "Invalid request: the body is too large.")
        if not raw.strip():
            return _answer("Failure", "", "", "E100", ERRORS["E100"])
        try:
            root = SafeTree.fromstring(raw)
        except Exception as exc:  # defusedxml raises ParseError or its own refusals
            return _answer("Failure", "", "", "E108", ERRORS["E108"].format(detail=exc))
        return self.subscribe(root)

    def subscribe(self, root: Element) -> Response:
        def text(tag: str) -> str:
            node = root.find(tag)
            return (node.text or "").strip() if node is not None else ""

        mobile, ref = text("MOBILE"), text("CAMPAIGNREF")
        if root.tag != "REQUEST" or not text("ACTION"):
            return _answer("Failure", mobile, ref, "E100", ERRORS["E100"])
        if text("API_KEY") != self.api_key:
            return _answer("Failure", mobile, ref, "E104", ERRORS["E104"])
        if text("ACTION").lower() != "subscribe":
            return _answer("Failure", mobile, ref, "E107", ERRORS["E107"])
        if not ref:
            return _answer("Failure", mobile, ref, "E718", ERRORS["E718"])
        if ref not in self.campaigns:
            return _answer("Failure", mobile, ref, "E721", ERRORS["E721"])
        if not mobile:
            return _answer("Failure", mobile, ref, "E901", ERRORS["E901"])
        timezone = text("TIMEZONE")
        if timezone and timezone.upper() not in TIMEZONES:
            return _answer("Failure", mobile, ref, "E100",
                           f"Invalid request: unknown TIMEZONE '{timezone}'.")
        e164 = normalize(mobile)
        if e164 is None:
            return _answer("Failure", mobile, ref, "E904",
                           f"{ERRORS['E904']}: not a valid mobile number.")
        number = digits(e164)
        if number in self.blacklist:
            return _answer("Failure", mobile, ref, "E114", ERRORS["E114"])
        if number in self.subscribers[ref]:
            return _answer("Failure", mobile, ref, "E904",
                           f"{ERRORS['E904']}: it is already subscribed to this campaign.")
        data = root.find("DATA")
        self.subscribers[ref][number] = ({child.tag: (child.text or "") for child in data}
                                         if data is not None else {})
        return _answer("Success", mobile, ref)


def _answer(status: str, mobile: str, ref: str, code: str | None = None,
            info: str | None = None) -> Response:
    parts = [f"<STATUS>{status}</STATUS>"]
    if code:
        parts.append(f"<ERRORCODE>{code}</ERRORCODE>")
        parts += [f"<MOBILE>{escape(mobile)}</MOBILE>", f"<CAMPAIGNREF>{escape(ref)}</CAMPAIGNREF>",
                  f"<ERRORINFO>{escape(info or '')}</ERRORINFO>"]
    else:
        parts += [f"<CAMPAIGNREF>{escape(ref)}</CAMPAIGNREF>", f"<MOBILE>{escape(mobile)}</MOBILE>"]
    body = "<RESPONSE>\n    " + "\n    ".join(parts) + "\n</RESPONSE>\n"
    return Response(body, media_type="text/xml")
