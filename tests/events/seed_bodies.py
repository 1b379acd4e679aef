"""Every example body of seeds 000, 001 and 002 (webhooks), verbatim, trailing commas and all."""

from __future__ import annotations

from typing import Final

MOBINITI_INBOUND: Final = b"""{
  "id": "f82e541a-a4b1-11e8-a85f-127fd0971098",
  "first_name": null,
  "last_name": null,
  "email": null,
  "short_code": "64600",
  "phone_number": "+19999999999",
  "message": "This is an example message",
  "unsubscribed_at": null,
  "created_at": "2016-07-01T15:11:09.553Z",
  "updated_at": "2016-07-01T15:11:09.553Z",
  "received_at": "2016-07-01T15:11:09.553Z"
}"""

MOBINITI_UNSUBSCRIBE: Final = b"""{
  "id": "f82e541a-a4b1-11e8-a85f-127fd0971098",
  "first_name": null,
  "last_name": null,
  "email": null,
  "phone_number": "+19999999999",
  "to": "64600",
  "unsubscribed_at": "2016-07-01T15:11:09.553Z",
  "created_at": "2016-07-01T15:11:09.553Z",
  "updated_at": "2016-07-01T15:11:09.553Z",
}"""

MOBINITI_DELIVERY: Final = b"""{
  "total_messages": 1,
  "statuses": [
    {
      "code": "100",
      "status": "The message delivered successfully.",
      "count": 1,
      "recipients": ["19999999999"],
      "success": true,
      "bounce": false
    }
  ],
  "messages": [
    {
      "id": "a8a2b40a-86ae-4a91-a61d-7b7ccfc4b148",
      "from": "+15555555555",
      "message": "This is an example message",
      "phone_number": "9999999999",
      "metadata": []
    }
  ]
}"""

MOBINITI_CONTACT_STATUS: Final = b"""{
  "id": "f82e541a-a4b1-11e8-a85f-127fd0971098",
  "first_name": null,
  "last_name": null,
  "email": null,
  "phone_number": "+19999999999",
  "status": "deactivated",
  "created_at": "2016-07-01T15:11:09.553Z",
  "updated_at": "2016-07-01T15:11:09.553Z",
}"""

MOBINITI_BOUNCED: Final = b"""{
  "id": "f82e541a-a4b1-11e8-a85f-127fd0971098",
  "first_name": null,
  "last_name": null,
  "email": null,
  "phone_number": "+19999999999",
  "unsubscribed_at": "2016-07-01T15:11:09.553Z",
  "bounces": 2,
  "created_at": "2016-07-01T15:11:09.553Z",
  "updated_at": "2016-07-01T15:11:09.553Z",
}"""

MOBINITI_REJECTION: Final = b"""{
    "code": "",
    "message": "",
    "description": "Unsubscribed"
}"""

SKYCORE_SUBSCRIBE: Final = b"""<?xml version='1.0'?>
<POSTBACK>
<ORIGIN>SUB</ORIGIN>
<CODE>N301</CODE>
<MOBILE>16501112222</MOBILE>
<CAMPAIGNREF>1478</CAMPAIGNREF>
<TIMESTAMP>2014-07-02T14:32:23-04</TIMESTAMP>
<SHORTCODE>123456</SHORTCODE>
<CAMPAIGNTITLE>My Campaign Name</CAMPAIGNTITLE>
<BRANDNAME>My Brand Name</BRANDNAME>
<SOURCE>API</SOURCE>
</POSTBACK>"""

SKYCORE_UNSUBSCRIBE: Final = b"""<?xml version='1.0'?>
<POSTBACK>
<ORIGIN>SUB</ORIGIN>
<CODE>N302</CODE>
<MOBILE>16502424956</MOBILE>
<CAMPAIGNREF>1478</CAMPAIGNREF>
<TIMESTAMP>2014-07-02T14:32:23-04</TIMESTAMP>
<SHORTCODE>123456</SHORTCODE>
<CAMPAIGNTITLE>My Campaign Name</CAMPAIGNTITLE>
<BRANDNAME>My Brand Name</BRANDNAME>
<SOURCE>API</SOURCE>
</POSTBACK>"""

# Seed 000 lists parameters but prints no example body: these use every documented field.
OPTIT_SUBSCRIBE: Final = (
    b"event_type=1&phone=16501112222&member_id=5521&keyword_id=77&keyword=PIZZA"
    b"&short_code=87654&signup_date=20240315143022&first_name=Ana&last_name=Lopez"
    b"&email_address=ana%40example.com&zip=30301&gender=female&request_id=req-1001"
)
OPTIT_UNSUBSCRIBE: Final = (
    b"event_type=2&phone=16501112222&member_id=5521&keyword_id=77&keyword=PIZZA"
    b"&short_code=87654&unsubscribe_date=20240316090000&request_id=req-1002"
)


def optit_send_result(code: str, desc: str) -> bytes:
    from urllib.parse import urlencode

    return urlencode({"event_type": "3", "request_id": f"send-{code}", "phone": "16501112222",
                      "keyword_id": "77", "response_code": code,
                      "response_desc": desc}).encode()


JSON: Final = "application/json"
FORM: Final = "application/x-www-form-urlencoded"
XML: Final = "application/xml"
