"""Groups (with keywords and opt-ins), carriers and opt-ins."""

from __future__ import annotations

import re

from tui.api import models as m
from tui.sandbox import views
from tui.sandbox.call import Call, Handler, Reply
from tui.sandbox.problems import invalid_many, not_found
from tui.sandbox.records import GroupRecord, KeywordRecord
from tui.sandbox.state import SandboxState

SORTABLE = ("name", "created_at", "updated_at")
_KEYWORD = re.compile(r"^[A-Z0-9]{2,20}$")
# Words a carrier reserves: a group keyword can never be one of them.
RESERVED_KEYWORDS = frozenset({"STOP", "START", "HELP", "END", "QUIT", "CANCEL", "UNSUBSCRIBE",
                               "STOPALL", "INFO", "YES", "UNSTOP"})


def find(state: SandboxState, group_id: str) -> GroupRecord:
    record = state.groups.get(group_id)
    if record is None:
        raise not_found("group")
    return record


def list_groups(call: Call) -> Reply:
    query = call.list_query(SORTABLE)
    return call.page(list(call.state.groups.values()), query,
                     lambda r: views.group(call.state, r, call.includes))


def get_group(call: Call) -> Reply:
    return call.one(views.group(call.state, find(call.state, call.params["id"]), call.includes))


def _check(state: SandboxState, body: m.GroupCreate | m.GroupUpdate,
           current: GroupRecord | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if body.name is not None and not body.name.strip():
        errors["name"] = ["The name field is required."]
    elif body.name is not None and len(body.name) > 100:
        errors["name"] = ["The name may not be greater than 100 characters."]
    if body.optin_id is not None and body.optin_id not in state.optins:
        errors["optin_id"] = ["The selected optin id is invalid."]
    if body.keyword:
        word = body.keyword.strip().upper()
        owner = state.group_by_keyword(word)
        if not _KEYWORD.match(word):
            errors["keyword"] = ["The keyword must be 2 to 20 letters or digits."]
        elif word in RESERVED_KEYWORDS:
            errors["keyword"] = [f"The keyword {word} is reserved by the carriers."]
        elif owner is not None and owner is not current:
            errors["keyword"] = ["The keyword has already been taken."]
    return errors


def _apply(state: SandboxState, record: GroupRecord, body: m.GroupCreate | m.GroupUpdate) -> None:
    for name in ("name", "join_message", "one_time_message", "always_send_join",
                 "social_profiling", "email_new_contact", "optin_id"):
        if name in body.model_fields_set and (getattr(body, name) is not None
                                              or name in ("join_message", "optin_id")):
            setattr(record, name, getattr(body, name))
    if "keyword" in body.model_fields_set:
        if body.keyword:
            word = body.keyword.strip().upper()
            if record.keyword is None or record.keyword.keyword != word:
                record.keyword = KeywordRecord(state.ids.new(), word)
        else:
            record.keyword = None


def create_group(call: Call) -> Reply:
    body: m.GroupCreate = call.body
    state = call.state
    errors = _check(state, body, None)
    if errors:
        raise invalid_many(errors)
    now = state.now()
    record = GroupRecord(id=state.ids.new(), name=body.name.strip(), created_at=now,
                         updated_at=now)
    _apply(state, record, body)
    state.groups[record.id] = record
    return call.one(views.group(state, record, {"keyword"}), 201, includes={"keyword"})


def update_group(call: Call) -> Reply:
    body: m.GroupUpdate = call.body
    state = call.state
    record = find(state, call.params["id"])
    errors = _check(state, body, record)
    if errors:
        raise invalid_many(errors)
    _apply(state, record, body)
    record.updated_at = state.now()
    return call.one(views.group(state, record, {"keyword"}), includes={"keyword"})


def delete_group(call: Call) -> Reply:
    call.state.delete_group(find(call.state, call.params["id"]))
    return call.none()


def list_carriers(call: Call) -> Reply:
    query = call.list_query(("name", "country"))
    return call.page(list(call.state.carriers.values()), query, lambda c: c)


def get_carrier(call: Call) -> Reply:
    carrier = call.state.carriers.get(call.params["id"])
    if carrier is None:
        raise not_found("carrier")
    return call.one(carrier)


def list_optins(call: Call) -> Reply:
    query = call.list_query(("name",))
    return call.page(list(call.state.optins.values()), query, lambda o: o)


def get_optin(call: Call) -> Reply:
    optin = call.state.optins.get(call.params["id"])
    if optin is None:
        raise not_found("opt-in")
    return call.one(optin)


HANDLERS: dict[str, Handler] = {
    "list_groups": list_groups, "get_group": get_group, "create_group": create_group,
    "update_group": update_group, "delete_group": delete_group,
    "list_carriers": list_carriers, "get_carrier": get_carrier,
    "list_optins": list_optins, "get_optin": get_optin,
}
