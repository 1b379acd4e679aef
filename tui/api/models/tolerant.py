"""The tolerant reader: every shape a real (Laravel/Fractal) server may send, read in one place.

Requests we send stay strict; what we read is forgiving (docs/api-contract.md, "What we
accept"): ``[]`` where an object is expected (PHP's empty array), includes and single resources
bare or wrapped in ``{"data": …}``, numbers where text is expected, phone numbers in any common
form (normalised to E.164), ``updated_at`` missing (taken from ``created_at``).
"""

from __future__ import annotations

import functools
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

FieldKind = Literal["list", "mapping", "model", "scalar"]


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        if len(rest) == 1:
            return _strip_optional(rest[0])
    return annotation


def _kind(annotation: Any) -> FieldKind:
    bare = _strip_optional(annotation)
    origin = get_origin(bare)
    if origin is Annotated:
        return _kind(get_args(bare)[0])
    if origin in (list, tuple, set, frozenset):
        return "list"
    if origin in (dict, Mapping) or bare is dict:
        return "mapping"
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        return "model"
    return "scalar"


@functools.cache
def field_kinds(model: type[BaseModel]) -> dict[str, FieldKind]:
    """Each input name of a model (field names and aliases) and what shape its value has."""
    kinds: dict[str, FieldKind] = {}
    for name, info in model.model_fields.items():
        kind = _kind(info.annotation)
        kinds[name] = kind
        if info.alias:
            kinds[info.alias] = kind
    return kinds


def is_wrapped(value: Any) -> bool:
    """``{"data": …}`` and nothing else (Fractal's include / item wrapper)."""
    return isinstance(value, dict) and len(value) == 1 and "data" in value


def tolerate(model: type[BaseModel], data: Any) -> Any:
    """A server's object made readable by ``model``: the one home of every tolerance."""
    if not isinstance(data, dict):
        return data
    kinds = field_kinds(model)
    out: dict[str, Any] = {}
    for name, value in data.items():
        kind = kinds.get(name)
        if kind is None:
            out[name] = value  # unknown: kept as an extra, never fatal
            continue
        if kind in ("model", "list") and is_wrapped(value):
            value = value["data"]
            if kind == "model" and value == []:
                value = None  # Fractal's empty include
        if value == [] and kind in ("mapping", "model"):
            continue  # PHP writes an empty object as []: take the default
        out[name] = value
    if "updated_at" in kinds and out.get("updated_at") is None and out.get("created_at"):
        out["updated_at"] = out["created_at"]
    return out


def single_resource(payload: Any, model: type[BaseModel] | None = None) -> Any:
    """A single-resource answer, bare or wrapped in ``{"data": {...}}`` (next to other keys).

    It is wrapped when ``data`` holds an object and no other key is a field of ``model``.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        return payload
    kinds = field_kinds(model) if model is not None else {}
    if "data" in kinds or any(k in kinds for k in payload if k != "data"):
        return payload
    return payload["data"]


def resource_list(payload: Any) -> Any:
    """A list answer as ``{"data": [...], ...}``: a bare list is wrapped, ``[]`` meta dropped."""
    if isinstance(payload, list):
        return {"data": payload}
    return payload


def text_map(value: Any) -> Any:
    """A string map (metadata, custom fields): ``[]`` is empty, numbers become text, nulls go."""
    if value is None or value == []:
        return {}
    if isinstance(value, dict):
        return {str(k): v if isinstance(v, str) else _text(v) for k, v in value.items()
                if v is not None}
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def phone_in(value: Any) -> Any:
    """A phone number as the server wrote it (10 or 11 digits, with or without +) → E.164.

    A number ``phonenumbers`` cannot read is kept as written (never fatal).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return value
    from tui.sms.phones import InvalidPhoneNumber, normalize

    try:
        return normalize(value, strict=False)
    except InvalidPhoneNumber:
        return value.strip()
