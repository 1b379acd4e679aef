"""Auth, scopes, unknown ids, validation errors and request ids look like seed 002 says."""

from __future__ import annotations

import httpx

from tui.sandbox import Sandbox


async def test_request_without_token_is_401_with_the_error_shape(sandbox: Sandbox) -> None:
    async with sandbox.http(token=None) as client:
        response = await client.get("/contacts")
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == 401 and body["errors"] == {}
    assert "Authorization: Bearer" in body["message"]
    assert response.headers["X-Request-Id"]


async def test_unknown_token_is_401(sandbox: Sandbox) -> None:
    async with sandbox.http(token="mbn_not_a_token") as client:
        response = await client.get("/groups")
    assert response.status_code == 401
    assert "invalid" in response.json()["message"]


async def test_token_without_scope_gets_403_naming_the_scope(sandbox: Sandbox) -> None:
    token = sandbox.make_token(["contacts.view"])
    async with sandbox.http(token=token) as client:
        allowed = await client.get("/contacts")
        refused = await client.post("/contacts", json={"phone_number": "+12025550143"})
    assert allowed.status_code == 200
    assert refused.status_code == 403
    assert "contacts.create" in refused.json()["message"]


async def test_unread_filter_needs_the_unread_scope(sandbox: Sandbox) -> None:
    token = sandbox.make_token(["messages.view"])
    async with sandbox.http(token=token) as client:
        response = await client.get("/messages", params={"filter[read]": "false"})
        plain = await client.get("/messages")
    assert response.status_code == 403
    assert "messages.unread.view" in response.json()["message"]
    assert plain.status_code == 200


async def test_unknown_ids_are_404_on_every_kind(http: httpx.AsyncClient) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    for path in ("/contacts", "/groups", "/carriers", "/opt-ins", "/campaigns",
                 "/campaigns/templates", "/coupons", "/coupon_templates", "/messages",
                 "/message/schedule", "/messages/schedule"):
        response = await http.get(f"{path}/{missing}")
        assert response.status_code == 404, path
        assert response.json()["status"] == 404


async def test_every_answer_has_a_distinct_request_id(http: httpx.AsyncClient) -> None:
    first = await http.get("/groups")
    second = await http.get("/nowhere")
    assert second.status_code == 404
    ids = {first.headers["X-Request-Id"], second.headers["X-Request-Id"]}
    assert len(ids) == 2


async def test_invalid_phone_and_missing_message_are_422_per_field(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post("/message", json={"phone_number": "12345"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "A validation error occurred"
    assert body["errors"]["message"] == ["The message field is required."]
    response = await http.post("/message", json={"phone_number": "12345", "message": "hi"})
    assert response.json()["errors"] == {
        "phone_number": ["The phone number is not a valid phone number."]}


async def test_existing_contact_is_refused_like_the_seed_example(
    sandbox: Sandbox, http: httpx.AsyncClient,
) -> None:
    phone = next(iter(sandbox.state.contacts.values())).phone_number
    response = await http.post("/contacts", json={"phone_number": phone})
    assert response.status_code == 422
    assert response.json()["errors"] == {"phone_number": ["The contact already exists."]}


async def test_unknown_body_field_and_bad_json_are_refused(http: httpx.AsyncClient) -> None:
    extra = await http.post("/groups", json={"name": "x", "colour": "red"})
    assert extra.status_code == 422
    assert "colour" in extra.json()["errors"]
    broken = await http.post("/groups", content=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    assert broken.json()["errors"]["body"]


async def test_batch_limits_are_enforced(http: httpx.AsyncClient) -> None:
    numbers = [f"+1212{n:07d}" for n in range(101)]
    unsubscribe = await http.patch("/contacts/unsubscribe", json={"phone_numbers": numbers})
    assert unsubscribe.status_code == 422
    assert "100" in unsubscribe.json()["errors"]["phone_numbers"][0]
    batch = await http.post("/message/batch", json={"message": "hi",
                                                    "phone_numbers": ["+12025550143"] * 101})
    assert batch.status_code == 422
    assert "100" in batch.json()["errors"]["phone_numbers"][0]
    lookup = await http.post("/phone-numbers/lookup", json={"phone_numbers": numbers[:11]})
    assert lookup.status_code == 422
    assert "10" in lookup.json()["errors"]["phone_numbers"][0]


async def test_wrong_method_is_405_with_allow(http: httpx.AsyncClient) -> None:
    response = await http.patch("/groups")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


async def test_limit_over_100_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/contacts", params={"limit": 101})
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


async def test_a_body_that_is_not_json_is_415_and_no_json_accepted_is_406(
    http: httpx.AsyncClient,
) -> None:
    form = await http.post("/message", content=b"phone_number=1&message=hi",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415 and "JSON" in form.json()["message"]
    html = await http.get("/groups", headers={"Accept": "text/html"})
    assert html.status_code == 406
    fine = await http.get("/groups", headers={"Accept": "text/html, application/json;q=0.9"})
    assert fine.status_code == 200
