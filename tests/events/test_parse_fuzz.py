"""Fuzzing each parser: whatever the body, the answer is events or ``BadPayload``, nothing else."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.events.seed_bodies import (
    FORM,
    JSON,
    MOBINITI_DELIVERY,
    MOBINITI_INBOUND,
    OPTIT_SUBSCRIBE,
    SKYCORE_SUBSCRIBE,
    XML,
)
from tui.events import BadPayload, Event, parse
from tui.events.codes import MOBINITI_WEBHOOKS

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = {"mobiniti": (MOBINITI_INBOUND, JSON), "optit": (OPTIT_SUBSCRIBE, FORM),
         "skycore": (SKYCORE_SUBSCRIBE, XML)}


def answer(provider: str, body: bytes, content_type: str, webhook: str | None = None) -> None:
    try:
        events = parse(provider, body, content_type, webhook=webhook)
    except BadPayload as bad:
        assert 400 <= bad.status < 500 and bad.reason
        return
    assert events and all(isinstance(e, Event) for e in events)
    for event in events:
        assert event.phone is None or event.phone.startswith("+")
        assert event.occurred_at is None or event.occurred_at.tzinfo is not None
        for text in (event.text, event.meaning, *event.details.values(), *event.ids.values()):
            assert text is None or not any(c in text for c in "\x1b\x07\x00\u202e")


@FAST
@given(provider=st.sampled_from(sorted(SEEDS)), body=st.binary(max_size=600))
def test_random_bytes(provider: str, body: bytes) -> None:
    answer(provider, body, SEEDS[provider][1])


@FAST
@given(provider=st.sampled_from(sorted(SEEDS)), cut=st.integers(0, 2000),
       flip=st.integers(0, 2000), byte=st.integers(0, 255))
def test_seed_bodies_cut_and_corrupted(provider: str, cut: int, flip: int, byte: int) -> None:
    body = bytearray(SEEDS[provider][0])
    if body:
        body[flip % len(body)] = byte
    answer(provider, bytes(body[: max(1, cut % (len(body) + 1))]), SEEDS[provider][1])


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=20,
)
_MOBINITI_FIELDS = st.sampled_from(
    ["id", "phone_number", "message", "received_at", "to", "unsubscribed_at", "status",
     "bounces", "code", "description", "statuses", "messages", "total_messages", "recipients",
     "updated_at", "short_code", "previous_phone_number"])


@FAST
@given(base=st.sampled_from([MOBINITI_INBOUND, MOBINITI_DELIVERY]),
       changes=st.dictionaries(_MOBINITI_FIELDS, _JSON_VALUES, max_size=5),
       webhook=st.none() | st.sampled_from(sorted(MOBINITI_WEBHOOKS)))
def test_mobiniti_fields_of_any_type(base: bytes, changes: dict[str, object],
                                     webhook: str | None) -> None:
    data = json.loads(base)
    data.update(changes)
    answer("mobiniti", json.dumps(data).encode(), JSON, webhook)


@FAST
@given(fields=st.dictionaries(
    st.sampled_from(["event_type", "phone", "signup_date", "unsubscribe_date", "response_code",
                     "request_id", "keyword", "first_name", "interest_id"]),
    st.text(max_size=20), max_size=8))
def test_optit_forms_of_any_values(fields: dict[str, str]) -> None:
    answer("optit", urlencode(fields).encode(), FORM)


_XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


@FAST
@given(fields=st.dictionaries(
    st.sampled_from(["ORIGIN", "CODE", "MOBILE", "CAMPAIGNREF", "TIMESTAMP", "SOURCE",
                     "SHORTCODE", "X"]), _XML_TEXT, max_size=8))
def test_skycore_postbacks_of_any_values(fields: dict[str, str]) -> None:
    from xml.sax.saxutils import escape

    inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
    answer("skycore", f"<POSTBACK>{inner}</POSTBACK>".encode(), XML)
