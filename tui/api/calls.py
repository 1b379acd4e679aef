"""Shared machinery of the typed client methods: paths, query strings, bodies and parsing.

Every typed method names its row of ``tui.api.routes.ENDPOINTS``; this module turns the row plus
the arguments into a request (checking limits first) and the response into the row's shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from tui.api import wire_json
from tui.api.errors import InvalidArgument, LimitExceeded, UnreadableResponse
from tui.api.limits import MAX_PAGE_LIMIT
from tui.api.models import Envelope, Page, format_timestamp
from tui.api.rate import Priority
from tui.api.reasons import unreadable_reason
from tui.api.routes import BY_NAME, Endpoint
from tui.api.transport import Transport

M = TypeVar("M", bound=BaseModel)
FilterValue = str | int | bool | datetime
Filters = Mapping[str, FilterValue]


def check_id(value: object, what: str = "id") -> str:
    """An id that is safe to put in a path segment (never empty, never containing ``/``)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"The {what} is empty; pick an item first.")
    if "/" in value or value in {".", ".."}:
        raise InvalidArgument(f"The {what} {value!r} is not a valid id.")
    return value


def build_path(endpoint: Endpoint, ids: Mapping[str, str] | None = None) -> str:
    """``/contacts/{id}`` with each placeholder replaced by its URL-quoted id."""
    values = {k: quote(check_id(v, f"{k} of {endpoint.name}"), safe="") for k, v in
              (ids or {}).items()}
    try:
        return endpoint.path.format(**values)
    except KeyError as exc:  # a programming error: a method forgot an id
        raise InvalidArgument(f"{endpoint.name} needs an id for {exc.args[0]!r}.") from None


def filter_text(value: FilterValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        # A naive time is read as UTC, like every timestamp the models parse.
        return format_timestamp(value if value.tzinfo else value.replace(tzinfo=UTC))
    return str(value)


def check_count(what: str, count: int, maximum: int) -> None:
    if count > maximum:
        raise LimitExceeded(
            f"{count} {what} is more than the {maximum} the API accepts in one request; "
            f"split it into chunks of {maximum}."
        )


def build_query(
    endpoint: Endpoint,
    *,
    limit: int | None = None,
    page: int | None = None,
    sort: str | None = None,
    include: Sequence[str] = (),
    filters: Filters | None = None,
) -> list[tuple[str, str]]:
    """The query string of a row, refusing what the row does not support before any request."""
    params: list[tuple[str, str]] = []
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidArgument(f"limit must be a whole number from 1 to {MAX_PAGE_LIMIT}.")
        if limit > MAX_PAGE_LIMIT:
            raise LimitExceeded(
                f"limit={limit} is more than the {MAX_PAGE_LIMIT} results per page the API "
                f"allows; use limit={MAX_PAGE_LIMIT} and paginate()."
            )
        params.append(("limit", str(limit)))
    if page is not None:
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise InvalidArgument("page must be a whole number from 1.")
        params.append(("page", str(page)))
    if sort is not None:
        if not sort.strip() or any(not part.strip(" -") for part in sort.split(",")):
            raise InvalidArgument(f"sort={sort!r} is not a list of fields like 'name,-created_at'.")
        params.append(("sort", sort.replace(" ", "")))
    if isinstance(include, str):
        include = [p for p in include.split(",") if p]
    if include:
        unknown = [i for i in include if i not in endpoint.includes]
        if unknown:
            raise InvalidArgument(
                f"{endpoint.name} cannot include {', '.join(unknown)}; it knows "
                f"{', '.join(endpoint.includes) or 'no includes'}."
            )
        params.append(("include", ",".join(dict.fromkeys(include))))
    for name, value in (filters or {}).items():
        if name not in endpoint.filters:
            raise InvalidArgument(
                f"{endpoint.name} has no filter {name!r}; it knows "
                f"{', '.join(endpoint.filters) or 'no filters'}."
            )
        params.append((f"filter[{name}]", filter_text(value)))
    return params


def body_json(body: BaseModel, expected: type[BaseModel] | None) -> Any:
    if expected is not None and not isinstance(body, expected):
        raise InvalidArgument(
            f"Expected a {expected.__name__} body, got {type(body).__name__}."
        )
    return body.model_dump(mode="json", exclude_none=True)


_PARAMETRIZED: dict[tuple[str, type[BaseModel]], type[BaseModel]] = {}


def _wrapper(kind: str, model: type[BaseModel]) -> type[BaseModel]:
    key = (kind, model)
    if key not in _PARAMETRIZED:
        generic: Any = Page if kind == "page" else Envelope
        _PARAMETRIZED[key] = cast(type[BaseModel], generic[model])
    return _PARAMETRIZED[key]


class TypedCalls:
    """Base of the client: ``_page``, ``_one``, ``_list`` and ``_none`` do one row each."""

    _transport: Transport

    async def _request(
        self,
        name: str,
        ids: Mapping[str, str] | None,
        params: list[tuple[str, str]],
        body: BaseModel | None,
        priority: Priority,
    ) -> tuple[Endpoint, Any, httpx.Response]:
        endpoint = BY_NAME[name]
        path = build_path(endpoint, ids)
        json_body = body_json(body, endpoint.body) if body is not None else None
        response = await self._transport.send(
            endpoint, path, params=params, json_body=json_body, priority=Priority(priority)
        )
        if endpoint.shape == "none":
            return endpoint, None, response
        try:
            payload = wire_json.loads(response.content)
        except ValueError:
            raise self._unreadable(endpoint, response, "the body is not JSON") from None
        return endpoint, payload, response

    def _unreadable(
        self, endpoint: Endpoint, response: httpx.Response, why: str
    ) -> UnreadableResponse:
        applied = endpoint.method != "GET"
        error = UnreadableResponse(
            f"The server sent a reply smsdesk cannot read ({endpoint.route}: {why})",
            status=response.status_code,
            request_id=response.headers.get("X-Request-Id"),
            route=endpoint.route,
            maybe_sent=applied,
            hint=None if applied else (
                "Try again; if it keeps happening, the API may have changed: report it with "
                "the request id."
            ),
        )
        error.reason = unreadable_reason(response.status_code,
                                         response.headers.get("Content-Type"), response.content)
        return error

    def _validate(
        self, endpoint: Endpoint, wrapper: type[M], payload: Any, response: httpx.Response
    ) -> M:
        try:
            return wrapper.model_validate(payload)
        except ValidationError as exc:
            problems = exc.errors()
            where = ".".join(str(p) for p in problems[0]["loc"]) if problems else ""
            what = problems[0]["msg"] if problems else "unexpected shape"
            raise self._unreadable(endpoint, response, f"{where or 'body'}: {what}") from None

    async def _page(
        self,
        name: str,
        model: type[M],
        *,
        ids: Mapping[str, str] | None = None,
        limit: int = MAX_PAGE_LIMIT,
        page: int = 1,
        sort: str | None = None,
        include: Sequence[str] = (),
        filters: Filters | None = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> Page[M]:
        endpoint = BY_NAME[name]
        params = build_query(endpoint, limit=limit, page=page, sort=sort, include=include,
                             filters=filters)
        _, payload, response = await self._request(name, ids, params, None, priority)
        wrapper = _wrapper("page", model)
        return cast("Page[M]", self._validate(endpoint, wrapper, payload, response))

    async def _one(
        self,
        name: str,
        model: type[M],
        *,
        ids: Mapping[str, str] | None = None,
        body: BaseModel | None = None,
        include: Sequence[str] = (),
        priority: Priority = Priority.INTERACTIVE,
    ) -> M:
        endpoint = BY_NAME[name]
        params = build_query(endpoint, include=include)
        _, payload, response = await self._request(name, ids, params, body, priority)
        envelope = self._validate(endpoint, _wrapper("one", model), payload, response)
        return cast(M, envelope.data)  # type: ignore[attr-defined]

    async def _list(
        self,
        name: str,
        model: type[M],
        *,
        body: BaseModel | None = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> list[M]:
        endpoint = BY_NAME[name]
        _, payload, response = await self._request(name, None, [], body, priority)
        # A "list" answer is {"data": [...]}; the Page model reads it (meta is optional).
        page = self._validate(endpoint, _wrapper("page", model), payload, response)
        return list(cast("Page[M]", page).data)

    async def _none(
        self,
        name: str,
        *,
        ids: Mapping[str, str] | None = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> None:
        await self._request(name, ids, [], None, priority)
