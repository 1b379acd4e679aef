"""Whatever the server sends or the caller passes, the client answers with a clear error."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st

from tui.api.calls import build_path
from tui.api.errors import ApiError, InvalidArgument, error_from_response
from tui.api.rate import MAX_RETRY_AFTER, parse_retry_after
from tui.api.routes import BY_NAME

SECRET = "tok-SECRET-123456"

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=4),
    max_leaves=12,
)


@given(status=st.integers(min_value=300, max_value=599), body=st.binary(max_size=300),
       retry=st.none() | st.text(max_size=30), request_id=st.none() | st.text(max_size=20))
def test_any_error_body_gives_an_api_error_sentence(
    status: int, body: bytes, retry: str | None, request_id: str | None
) -> None:
    headers = {}
    if retry is not None:
        headers["Retry-After"] = retry
    if request_id is not None:
        headers["X-Request-Id"] = request_id
    err = error_from_response(status, body + SECRET.encode(), headers, secret=SECRET)
    assert isinstance(err, ApiError)
    text = str(err)
    assert text.strip() and SECRET not in text and SECRET not in repr(err)


@given(status=st.sampled_from([400, 401, 403, 404, 422, 429, 500]), payload=json_values)
def test_any_json_error_shape_is_read_without_crashing(status: int, payload: object) -> None:
    import json

    err = error_from_response(status, json.dumps(payload).encode(), {})
    assert err.status == status
    assert all(isinstance(v, list) for v in err.errors.values())
    assert str(err).endswith((".", "]"))


@given(st.text(max_size=60))
def test_retry_after_is_never_negative_nor_huge(value: str) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or 0.0 <= seconds <= MAX_RETRY_AFTER


@given(st.text(min_size=1, max_size=40))
def test_any_id_is_refused_or_quoted_into_one_path_segment(raw_id: str) -> None:
    endpoint = BY_NAME["get_contact"]
    try:
        path = build_path(endpoint, {"id": raw_id})
    except InvalidArgument as exc:
        assert "id" in str(exc)
        return
    segment = path.removeprefix("/contacts/")
    assert "/" not in segment and "?" not in segment and "#" not in segment
    assert unquote(segment) == raw_id
