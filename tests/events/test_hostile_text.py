"""The shared hostile strings as provider fields: every event field comes out safe to show."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from tests.events.seed_bodies import FORM, JSON, MOBINITI_INBOUND
from tests.safety.hostile import HOSTILE, readable_core, terminal_leaks
from tui.events import BadPayload, parse


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_and_names_in_a_mobiniti_inbound(name: str) -> None:
    value = HOSTILE[name]
    data = json.loads(MOBINITI_INBOUND)
    data.update(message=value[:2000], first_name=value[:200], short_code=value[:40])
    try:
        [event] = parse("mobiniti", json.dumps(data).encode(), JSON)
    except BadPayload as bad:  # too long for a field is a fair refusal
        assert bad.status == 422
        return
    for text in (event.text, event.ids.get("first_name"), event.details.get("short_code")):
        assert text is not None
        assert terminal_leaks(text, {name: value}) == []
    core = readable_core(value)
    assert not core or core in (event.text or "")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_in_an_optit_form(name: str) -> None:
    value = HOSTILE[name]
    fields = {"event_type": "1", "phone": "16501112222", "first_name": value[:200],
              "keyword": value[:100], "request_id": "r1"}
    # A lone surrogate cannot be UTF-8 encoded by a sender; its bytes arrive as-is instead.
    body = urlencode(fields, encoding="utf-8", errors="surrogatepass").encode()
    try:
        [event] = parse("optit", body, FORM)
    except BadPayload as bad:
        assert bad.status in (400, 422)
        return
    for text in event.details.values():
        assert terminal_leaks(text, {name: value}) == []
