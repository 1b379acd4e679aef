"""List queries as the seed describes them: limit/page, sort with ``-``, include, filter[...]."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.datastructures import URL, QueryParams

from tui.api.limits import MAX_PAGE_LIMIT
from tui.sandbox.problems import Problem, bad_request, invalid

T = TypeVar("T")

# A real server keeps the page in a 32-bit integer; past it a number is refused, not wrapped.
MAX_PAGE = 2**31 - 1
_PAGING = {"limit", "page", "sort", "include", "include[]"}


@dataclass
class ListQuery:
    limit: int = MAX_PAGE_LIMIT
    page: int = 1
    sort: list[tuple[str, bool]] = field(default_factory=list)   # (field, descending)
    filters: dict[str, str] = field(default_factory=dict)


def parse_includes(params: QueryParams, allowed: Sequence[str]) -> frozenset[str]:
    """``include=a,b`` and ``include[]=a&include[]=b`` (the seed shows both)."""
    names: list[str] = []
    for raw in [*params.getlist("include"), *params.getlist("include[]")]:
        names.extend(part.strip() for part in raw.split(",") if part.strip())
    unknown = [n for n in names if n not in allowed]
    if unknown:
        hint = f"Allowed: {', '.join(allowed)}." if allowed else "This endpoint has no includes."
        raise bad_request("include", f"Unknown include {', '.join(unknown)}. {hint}")
    return frozenset(names)


def parse_list_query(params: QueryParams, *, filters: Sequence[str],
                     sortable: Iterable[str]) -> ListQuery:
    query = ListQuery(limit=_int_param(params, "limit", MAX_PAGE_LIMIT),
                      page=_int_param(params, "page", 1))
    if not 1 <= query.limit <= MAX_PAGE_LIMIT:
        raise invalid("limit", f"The limit must be between 1 and {MAX_PAGE_LIMIT}.")
    if query.page < 1:
        raise invalid("page", "The page must be at least 1.")
    if query.page > MAX_PAGE:
        raise invalid("page", f"The page may not be greater than {MAX_PAGE}.")
    allowed_sort = set(sortable)
    for part in params.get("sort", "").split(","):
        name = part.strip()
        if not name:
            continue
        descending = name.startswith("-")
        name = name.lstrip("-")
        if name not in allowed_sort:
            raise bad_request("sort", f"Cannot sort by {name!r}. Sortable: "
                                      f"{', '.join(sorted(allowed_sort))}.")
        query.sort.append((name, descending))
    for key, value in params.multi_items():
        if key in _PAGING:
            continue
        wanted = key[7:-1] if key.startswith("filter[") and key.endswith("]") else None
        # created_at_min/max are also accepted bare, as the issue text writes them
        if wanted is None and key in ("created_at_min", "created_at_max") and key in filters:
            wanted = key
        if wanted is None:
            continue  # an unknown parameter is ignored, as most servers do
        if wanted not in filters:
            hint = f"Allowed: {', '.join(filters)}." if filters else "This list has no filters."
            raise bad_request(f"filter[{wanted}]", f"Cannot filter by {wanted!r}. {hint}")
        query.filters[wanted] = value
    return query


def _int_param(params: QueryParams, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid(name, f"The {name} must be a whole number.") from None


def sort_items(items: list[T], sort: list[tuple[str, bool]], key_of: Callable[[T, str], Any]
               ) -> list[T]:
    """Stable multi-key sort; None sorts first going up and last going down."""
    result = list(items)
    for name, descending in reversed(sort):
        result.sort(key=lambda item: _none_safe(key_of(item, name)), reverse=descending)
    return result


def _none_safe(value: Any) -> tuple[bool, Any]:
    if isinstance(value, str):
        value = value.casefold()
    return (value is not None, value if value is not None else 0)


def paginate(items: Sequence[T], total: int, query: ListQuery, url: URL
             ) -> tuple[list[T], dict[str, Any]]:
    """Cut one page and build the seed's ``meta.pagination`` (with full-URL links)."""
    start = (query.page - 1) * query.limit
    page_items = list(items[start:start + query.limit])
    total_pages = max(1, math.ceil(total / query.limit))
    links: dict[str, str] = {}
    if query.page < total_pages:
        links["next"] = _page_url(url, query.page + 1)
    if query.page > 1:
        links["previous"] = _page_url(url, min(query.page - 1, total_pages))
    return page_items, {
        "total": total, "count": len(page_items), "per_page": query.limit,
        "current_page": query.page, "total_pages": total_pages, "links": links,
    }


def _page_url(url: URL, page: int) -> str:
    params = [(k, v) for k, v in QueryParams(url.query).multi_items() if k != "page"]
    params.append(("page", str(page)))
    return str(url.replace(query=urlencode(params)))


def parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise Problem(422, "A validation error occurred",
                  {f"filter[{name}]": [f"The {name} filter must be true or false."]})
