"""Hostile webhook bodies: each must be answered 4xx, never crash, never store anything."""

from __future__ import annotations

from typing import Final

from tests.events.seed_bodies import (
    FORM,
    JSON,
    MOBINITI_DELIVERY,
    MOBINITI_INBOUND,
    OPTIT_SUBSCRIBE,
    SKYCORE_SUBSCRIBE,
    XML,
)

_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]><POSTBACK><MOBILE>&lol9;</MOBILE></POSTBACK>"
)

# (name, provider, content type, body)
HOSTILE: Final[list[tuple[str, str, str, bytes]]] = [
    ("xxe_file", "skycore", XML,
     b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b"<POSTBACK><ORIGIN>SUB</ORIGIN><CODE>N301</CODE><MOBILE>&x;</MOBILE></POSTBACK>"),
    ("xxe_external_dtd", "skycore", XML,
     b'<?xml version="1.0"?><!DOCTYPE POSTBACK SYSTEM "http://127.0.0.1:9/evil.dtd">'
     + SKYCORE_SUBSCRIBE.split(b"?>", 1)[1]),
    ("billion_laughs", "skycore", XML, _LAUGHS),
    ("xml_truncated", "skycore", XML, SKYCORE_SUBSCRIBE[:120]),
    ("xml_invalid_utf8", "skycore", XML, SKYCORE_SUBSCRIBE.replace(b"My Brand", b"My \xff\xfe")),
    ("xml_wrong_root", "skycore", XML, b"<RESPONSE><STATUS>Success</STATUS></RESPONSE>"),
    ("xml_duplicated_mobile", "skycore", XML,
     SKYCORE_SUBSCRIBE.replace(b"<SHORTCODE>", b"<MOBILE>16509990000</MOBILE><SHORTCODE>")),
    ("xml_nested_in_field", "skycore", XML,
     SKYCORE_SUBSCRIBE.replace(b"<MOBILE>16501112222</MOBILE>", b"<MOBILE><a>1</a></MOBILE>")),
    ("xml_unknown_code", "skycore", XML, SKYCORE_SUBSCRIBE.replace(b"N301", b"N999")),
    ("xml_escape_in_phone", "skycore", XML,
     SKYCORE_SUBSCRIBE.replace(b"16501112222", b"&#27;[2J16501112222")),
    ("json_deep_arrays", "mobiniti", JSON, b"[" * 30_000 + b"]" * 30_000),
    ("json_deep_with_trailing_comma", "mobiniti", JSON, b'{"a": ' + b"[" * 20_000 + b"1,"
     + b"]" * 20_000 + b",}"),
    ("json_too_big_for_the_cap", "mobiniti", JSON, b'{"message": "' + b"x" * 70_000 + b'"}'),
    ("json_deep_objects", "mobiniti", JSON, b'{"a":' * 5_000 + b"1" + b"}" * 5_000),
    ("json_truncated", "mobiniti", JSON, MOBINITI_INBOUND[:90]),
    ("json_invalid_utf8", "mobiniti", JSON, MOBINITI_INBOUND.replace(b"This is", b"\xc3\x28")),
    ("json_empty", "mobiniti", JSON, b""),
    ("json_top_level_list", "mobiniti", JSON, b"[1, 2, 3]"),
    ("json_top_level_string", "mobiniti", JSON, b'"hello"'),
    ("json_unknown_shape", "mobiniti", JSON, b'{"foo": 1}'),
    ("json_all_nulls", "mobiniti", JSON,
     b'{"id": null, "phone_number": null, "message": null, "received_at": null}'),
    ("json_phone_wrong_type", "mobiniti", JSON,
     MOBINITI_INBOUND.replace(b'"+19999999999"', b'{"nested": true}')),
    ("json_phone_is_bool", "mobiniti", JSON, MOBINITI_INBOUND.replace(b'"+19999999999"', b"true")),
    ("json_huge_int", "mobiniti", JSON,
     b'{"phone_number": "+19999999999", "bounces": ' + b"9" * 50_000 + b"}"),
    ("json_huge_float", "mobiniti", JSON, b'{"phone_number": "+19999999999", "bounces": 1e999}'),
    ("json_nan", "mobiniti", JSON, b'{"phone_number": "+19999999999", "bounces": NaN}'),
    ("json_duplicated_phone", "mobiniti", JSON,
     MOBINITI_INBOUND.replace(b'"message":', b'"phone_number": "+15550000000", "message":')),
    ("json_escape_in_phone", "mobiniti", JSON,
     MOBINITI_INBOUND.replace(b'"+19999999999"', b'"\\u001b[2J\\u001b]0;x\\u0007+1999"')),
    ("json_lone_surrogate_phone", "mobiniti", JSON,
     MOBINITI_INBOUND.replace(b'"+19999999999"', b'"\\ud800"')),
    ("json_bad_time", "mobiniti", JSON, MOBINITI_INBOUND.replace(
        b'"received_at": "2016-07-01T15:11:09.553Z"', b'"received_at": "yesterday"')),
    ("json_huge_text", "mobiniti", JSON,
     MOBINITI_INBOUND.replace(b"This is an example message", b"A" * 30_000)),
    ("json_unknown_delivery_code", "mobiniti", JSON,
     MOBINITI_DELIVERY.replace(b'"code": "100"', b'"code": "999"')),
    ("json_recipients_not_list", "mobiniti", JSON,
     MOBINITI_DELIVERY.replace(b'["19999999999"]', b'"19999999999"')),
    ("json_messages_null", "mobiniti", JSON, b'{"total_messages": 1, "statuses": null}'),
    ("form_invalid_utf8", "optit", FORM, OPTIT_SUBSCRIBE.replace(b"Ana", b"\xff")),
    ("form_percent_invalid_utf8", "optit", FORM, OPTIT_SUBSCRIBE.replace(b"Ana", b"%ff%fe")),
    ("form_duplicated_phone", "optit", FORM, OPTIT_SUBSCRIBE + b"&phone=15550000000"),
    ("form_not_a_form", "optit", FORM, b"=&&==&"),
    ("form_unknown_event_type", "optit", FORM, OPTIT_SUBSCRIBE.replace(b"event_type=1",
                                                                        b"event_type=9")),
    ("form_bad_date", "optit", FORM, OPTIT_SUBSCRIBE.replace(b"20240315143022",
                                                             b"20241399999999")),
    ("form_unknown_response_code", "optit", FORM,
     b"event_type=3&request_id=r&phone=16501112222&response_code=9999"),
    ("form_escape_in_phone", "optit", FORM, OPTIT_SUBSCRIBE.replace(b"phone=16501112222",
                                                                    b"phone=%1B%5B2J1650")),
    ("form_too_many_fields", "optit", FORM, b"&".join(b"f%d=1" % i for i in range(500))),
]
