"""Scheduled messages: CRUD (sending them when due is tui.sandbox.traffic's job)."""

from __future__ import annotations

from datetime import datetime

from tui.api import models as m
from tui.sandbox import views
from tui.sandbox.call import Call, Handler, Reply
from tui.sandbox.problems import invalid, invalid_many, not_found
from tui.sandbox.records import ScheduledRecord
from tui.sandbox.sending import text_errors, text_problems
from tui.sandbox.state import SandboxState

SORTABLE = ("send_at", "created_at", "updated_at", "status", "phone_number")


def find(state: SandboxState, scheduled_id: str) -> ScheduledRecord:
    record = state.scheduled.get(scheduled_id)
    if record is None:
        raise not_found("scheduled message")
    return record


def _future(errors: dict[str, list[str]], send_at: datetime, now: datetime) -> None:
    if send_at <= now:
        errors["send_at"] = ["The send at must be a date after now."]


def list_scheduled(call: Call) -> Reply:
    return call.page(list(call.state.scheduled.values()), call.list_query(SORTABLE),
                     views.scheduled)


def get_scheduled(call: Call) -> Reply:
    return call.one(views.scheduled(find(call.state, call.params["id"])))


def create_scheduled(call: Call) -> Reply:
    body: m.ScheduledMessageCreate = call.body
    state, now = call.state, call.state.now()
    e164, errors = text_errors(state, body.phone_number, body.message)
    _future(errors, body.send_at, now)
    if errors:
        raise invalid_many(errors)
    assert e164 is not None
    record = ScheduledRecord(id=state.ids.new(), phone_number=e164, message=body.message,
                             send_at=body.send_at, created_at=now, updated_at=now)
    state.scheduled[record.id] = record
    return call.one(views.scheduled(record), 201)


def update_scheduled(call: Call) -> Reply:
    body: m.ScheduledMessageUpdate = call.body
    state, now = call.state, call.state.now()
    record = find(state, call.params["id"])
    if record.status != "pending":
        raise invalid("status", f"The scheduled message is {record.status}; only a pending one "
                                f"can be changed.")
    errors: dict[str, list[str]] = {}
    if body.message is not None:
        problems = text_problems(body.message)
        if problems:
            errors["message"] = problems
    if body.send_at is not None:
        _future(errors, body.send_at, now)
    if errors:
        raise invalid_many(errors)
    if body.message is not None:
        record.message = body.message
    if body.send_at is not None:
        record.send_at = body.send_at
    record.updated_at = now
    return call.one(views.scheduled(record))


def delete_scheduled(call: Call) -> Reply:
    record = find(call.state, call.params["id"])
    del call.state.scheduled[record.id]
    return call.none()


HANDLERS: dict[str, Handler] = {
    "list_scheduled": list_scheduled, "get_scheduled": get_scheduled,
    "create_scheduled": create_scheduled, "update_scheduled": update_scheduled,
    "delete_scheduled": delete_scheduled,
}
