"""Builders of API models for store and service tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tui.api import models as m

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def message(
    id: str, phone: str = "+16502530000", body: str = "hello", *, direction: str = "incoming",
    minutes: float = 0, read: bool = False, code: str | None = None, **extra: Any,
) -> m.Message:
    created = T0 + timedelta(minutes=minutes)
    data: dict[str, Any] = {
        "id": id, "phone_number": phone, "message": body, "direction": direction, "read": read,
        "created_at": created, "updated_at": created, **extra,
    }
    if code is not None:
        data["receipt"] = {"code": code, "status": "x", "success": code == "100",
                           "updated_at": created}
    return m.Message.model_validate(data)


def contact(
    id: str, phone: str, first: str | None = None, last: str | None = None, *,
    email: str | None = None, unsubscribed: bool = False,
    groups: list[tuple[str, str]] | None = None,
    updated_minutes: float = 0,
) -> m.Contact:
    when = T0 + timedelta(minutes=updated_minutes)
    return m.Contact.model_validate({
        "id": id, "phone_number": phone, "first_name": first, "last_name": last, "email": email,
        "unsubscribed_at": when if unsubscribed else None, "created_at": T0, "updated_at": when,
        "groups": [{"id": g, "name": n} for g, n in groups] if groups is not None else None,
    })
