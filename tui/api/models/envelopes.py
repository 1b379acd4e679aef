"""List and single-resource envelopes, pagination and the seed's error body."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tui.api.models.base import Resource
from tui.api.models.tolerant import resource_list, single_resource, tolerate


class PageLinks(Resource):
    next: str | None = None
    previous: str | None = None


class Pagination(Resource):
    total: int
    count: int
    per_page: int
    current_page: int
    total_pages: int
    links: PageLinks = Field(default_factory=PageLinks)


class Meta(Resource):
    pagination: Pagination | None = None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list response: ``{"data": [...], "meta": {"pagination": {...}}}``.

    Also read: a bare list (no envelope), and ``"meta": []``.
    """

    model_config = ConfigDict(extra="allow")
    data: list[T]
    meta: Meta = Field(default_factory=Meta)

    @model_validator(mode="before")
    @classmethod
    def _tolerate(cls, data: Any) -> Any:
        return tolerate(cls, resource_list(data))


class Envelope(BaseModel, Generic[T]):
    """A single-resource response: ``{"data": {...}}``, or the resource bare."""

    model_config = ConfigDict(extra="allow")
    data: T

    @model_validator(mode="before")
    @classmethod
    def _bare_or_wrapped(cls, data: Any) -> Any:
        inner = cls.model_fields["data"].annotation
        model = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
        return {"data": single_resource(data, model)}


class ApiErrorBody(BaseModel):
    """The seed's error shape: ``{"status": 422, "message": "...", "errors": {field: [..]}}``."""

    model_config = ConfigDict(extra="allow")
    status: int
    message: str
    errors: dict[str, list[str]] | list[Any] = Field(default_factory=dict)
