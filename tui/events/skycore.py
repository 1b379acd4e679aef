"""Skycore opt-in postbacks (seed 001): ``<POSTBACK>`` XML, N301 subscribe / N302 unsubscribe.

XML goes through defusedxml with DTDs forbidden: no entities, no external references, no
billion laughs. Any parser failure is a ``BadPayload``.
"""

from __future__ import annotations

from typing import Any, Final
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from tui.events.codes import SKYCORE_CODE_KINDS, SKYCORE_CODES, SKYCORE_ORIGINS, SKYCORE_SOURCES
from tui.events.fields import code, compact, decode, iso_time, phone, text
from tui.events.model import BadPayload, Event

FIELDS: Final = ("ORIGIN", "CODE", "MOBILE", "CAMPAIGNREF", "TIMESTAMP", "SHORTCODE",
                 "CAMPAIGNTITLE", "BRANDNAME", "SOURCE")


def read_postback(body: bytes) -> dict[str, Any]:
    decode(body)  # a clear 400 for bad UTF-8 before the XML parser guesses
    try:
        root: Element = SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True,
                                          forbid_external=True)
    except DefusedXmlException as exc:
        raise BadPayload(f"the XML uses a forbidden construct ({type(exc).__name__})", 400) \
            from None
    except Exception as exc:  # expat errors, and anything else the parser can throw
        raise BadPayload(f"the body is not valid XML ({exc})", 400) from None
    if root.tag != "POSTBACK":
        raise BadPayload(f"the XML root should be <POSTBACK>, not <{str(root.tag)[:40]}>")
    fields: dict[str, Any] = {}
    for child in root:
        name = str(child.tag).upper()
        if len(child):
            raise BadPayload(f"<{name[:40]}> should hold text, not more elements")
        if name in fields:
            raise BadPayload(f"<{name[:40]}> is given twice")
        fields[name] = (child.text or "").strip()
    return fields


def parse_skycore(body: bytes) -> list[Event]:
    fields = read_postback(body)
    _origin, origin_meaning = code(fields, "ORIGIN", SKYCORE_ORIGINS)
    event_code, meaning = code(fields, "CODE", SKYCORE_CODES)
    assert event_code is not None
    source, source_meaning = code(fields, "SOURCE", SKYCORE_SOURCES, required=False)
    return [Event(
        kind=SKYCORE_CODE_KINDS[event_code], provider="skycore",
        phone=phone(fields, "MOBILE", required=True),
        occurred_at=iso_time(fields, "TIMESTAMP"), code=event_code,
        meaning=meaning if not source_meaning else f"{meaning} (source: {source_meaning})",
        ids=compact({"campaign_ref": text(fields, "CAMPAIGNREF", limit=100)}),
        details=compact({"short_code": text(fields, "SHORTCODE", limit=40),
                         "campaign_title": text(fields, "CAMPAIGNTITLE", limit=200),
                         "brand_name": text(fields, "BRANDNAME", limit=200),
                         "source": source, "origin": origin_meaning}),
        raw=body.decode("utf-8"),
    )]
