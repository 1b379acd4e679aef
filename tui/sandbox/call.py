"""What a handler gets (state, ids, query, body) and the answers it can give (one, page, list)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.datastructures import URL, QueryParams

from tui.api.routes import Endpoint
from tui.sandbox import query as q
from tui.sandbox.problems import Problem
from tui.sandbox.shapes import Shape, listing, single
from tui.sandbox.state import SandboxState
from tui.sandbox.views import dump

R = TypeVar("R")


@dataclass
class Reply:
    status: int
    body: Any = None


@dataclass
class Call:
    state: SandboxState
    endpoint: Endpoint
    params: dict[str, str]
    query: QueryParams
    url: URL
    raw_body: BaseModel | None
    scopes: frozenset[str]
    includes: frozenset[str]
    shape: Shape = "default"

    @property
    def body(self) -> Any:
        if self.raw_body is None:  # the router validated it: only a bodiless endpoint gets here
            raise Problem(400, "This request needs a JSON body.")
        return self.raw_body

    def list_query(self, sortable: Iterable[str]) -> q.ListQuery:
        return q.parse_list_query(self.query, filters=self.endpoint.filters, sortable=sortable)

    def one(self, model: BaseModel, status: int = 200,
            includes: Iterable[str] | None = None) -> Reply:
        shown = self.includes if includes is None else includes
        return Reply(status, single(dump(model, shown), self.shape))

    def many(self, models: Sequence[BaseModel], status: int = 200) -> Reply:
        return Reply(status, listing({"data": [dump(x, self.includes) for x in models]},
                                     self.shape))

    def page(self, records: Sequence[R], query: q.ListQuery,
             convert: Callable[[R], BaseModel]) -> Reply:
        items: Sequence[R] = records
        if query.sort:
            items = q.sort_items(list(records), query.sort, _attribute)
        chunk, pagination = q.paginate(items, len(items), query, self.url)
        return Reply(200, listing({"data": [dump(convert(x), self.includes) for x in chunk],
                                   "meta": {"pagination": pagination}}, self.shape))

    @staticmethod
    def none() -> Reply:
        return Reply(204)


def _attribute(record: Any, name: str) -> Any:
    return getattr(record, name, None)


Handler = Callable[[Call], Reply]
