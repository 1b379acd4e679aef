"""Campaigns, campaign templates, coupons and coupon templates."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from tui.api import models as m
from tui.sandbox.call import Call, Handler, Reply
from tui.sandbox.problems import invalid, invalid_many, not_found
from tui.sandbox.sending import text_problems
from tui.sandbox.state import SandboxState

M = TypeVar("M", bound=BaseModel)
SORTABLE = ("name", "created_at", "updated_at")
CAMPAIGN_SORTABLE = (*SORTABLE, "send_at", "sent_at", "status")
COUPON_SORTABLE = (*SORTABLE, "expires_at", "redemptions", "code")


def _find(table: dict[str, M], item_id: str, what: str) -> M:
    found = table.get(item_id)
    if found is None:
        raise not_found(what)
    return found


def _changes(body: BaseModel) -> dict[str, Any]:
    return {k: getattr(body, k) for k in body.model_fields_set}


def _require_text(errors: dict[str, list[str]], field: str, value: str | None) -> None:
    if value is not None and not value.strip():
        errors[field] = [f"The {field} field is required."]


# --- campaigns ---------------------------------------------------------------------------


def _campaign_errors(state: SandboxState, changes: dict[str, Any], now: datetime
                     ) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _require_text(errors, "name", changes.get("name"))
    if changes.get("message") is not None:
        problems = text_problems(changes["message"])
        if problems:
            errors["message"] = problems
    for index, group_id in enumerate(changes.get("group_ids") or []):
        if group_id not in state.groups:
            errors[f"group_ids.{index}"] = ["The selected group is invalid."]
    coupon_id = changes.get("coupon_id")
    if coupon_id is not None and coupon_id not in state.coupons:
        errors["coupon_id"] = ["The selected coupon id is invalid."]
    send_at = changes.get("send_at")
    if send_at is not None and send_at <= now:
        errors["send_at"] = ["The send at must be a date after now."]
    return errors


def list_campaigns(call: Call) -> Reply:
    return call.page(list(call.state.campaigns.values()), call.list_query(CAMPAIGN_SORTABLE),
                     lambda c: c)


def get_campaign(call: Call) -> Reply:
    return call.one(_find(call.state.campaigns, call.params["id"], "campaign"))


def create_campaign(call: Call) -> Reply:
    body: m.CampaignCreate = call.body
    state, now = call.state, call.state.now()
    errors = _campaign_errors(state, body.model_dump(), now)
    if errors:
        raise invalid_many(errors)
    campaign = m.Campaign(
        id=state.ids.new(), name=body.name, message=body.message, group_ids=body.group_ids,
        coupon_id=body.coupon_id, send_at=body.send_at,
        status="scheduled" if body.send_at else "draft", created_at=now, updated_at=now,
    )
    state.campaigns[campaign.id] = campaign
    return call.one(campaign, 201)


def update_campaign(call: Call) -> Reply:
    state, now = call.state, call.state.now()
    current = _find(state.campaigns, call.params["id"], "campaign")
    if current.status in ("sending", "sent"):
        raise invalid("status", f"The campaign is {current.status} and can no longer be changed.")
    changes = _changes(call.body)
    errors = _campaign_errors(state, changes, now)
    if errors:
        raise invalid_many(errors)
    if "send_at" in changes:
        changes["status"] = "scheduled" if changes["send_at"] else "draft"
    updated = current.model_copy(update={**changes, "updated_at": now})
    state.campaigns[updated.id] = updated
    return call.one(updated)


def delete_campaign(call: Call) -> Reply:
    current = _find(call.state.campaigns, call.params["id"], "campaign")
    if current.status == "sent":
        raise invalid("id", "A campaign that has been sent cannot be deleted.")
    del call.state.campaigns[current.id]
    return call.none()


# --- campaign templates ------------------------------------------------------------------


def list_campaign_templates(call: Call) -> Reply:
    return call.page(list(call.state.campaign_templates.values()), call.list_query(SORTABLE),
                     lambda t: t)


def get_campaign_template(call: Call) -> Reply:
    return call.one(_find(call.state.campaign_templates, call.params["id"], "campaign template"))


def _template_errors(changes: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _require_text(errors, "name", changes.get("name"))
    if changes.get("message") is not None:
        problems = text_problems(changes["message"])
        if problems:
            errors["message"] = problems
    return errors


def create_campaign_template(call: Call) -> Reply:
    body: m.CampaignTemplateCreate = call.body
    errors = _template_errors(body.model_dump())
    if errors:
        raise invalid_many(errors)
    now = call.state.now()
    template = m.CampaignTemplate(id=call.state.ids.new(), name=body.name, message=body.message,
                                  created_at=now, updated_at=now)
    call.state.campaign_templates[template.id] = template
    return call.one(template, 201)


def update_campaign_template(call: Call) -> Reply:
    table = call.state.campaign_templates
    current = _find(table, call.params["id"], "campaign template")
    changes = {k: v for k, v in _changes(call.body).items() if v is not None}
    errors = _template_errors(changes)
    if errors:
        raise invalid_many(errors)
    table[current.id] = current.model_copy(update={**changes, "updated_at": call.state.now()})
    return call.one(table[current.id])


def delete_campaign_template(call: Call) -> Reply:
    current = _find(call.state.campaign_templates, call.params["id"], "campaign template")
    del call.state.campaign_templates[current.id]
    return call.none()


# --- coupons -----------------------------------------------------------------------------


def _coupon_errors(state: SandboxState, changes: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _require_text(errors, "name", changes.get("name"))
    template_id = changes.get("coupon_template_id")
    if template_id is not None and template_id not in state.coupon_templates:
        errors["coupon_template_id"] = ["The selected coupon template id is invalid."]
    code = changes.get("code")
    if code is not None and len(code) > 32:
        errors["code"] = ["The code may not be greater than 32 characters."]
    return errors


def list_coupons(call: Call) -> Reply:
    return call.page(list(call.state.coupons.values()), call.list_query(COUPON_SORTABLE),
                     lambda c: c)


def get_coupon(call: Call) -> Reply:
    return call.one(_find(call.state.coupons, call.params["id"], "coupon"))


def create_coupon(call: Call) -> Reply:
    body: m.CouponCreate = call.body
    errors = _coupon_errors(call.state, body.model_dump())
    if errors:
        raise invalid_many(errors)
    now = call.state.now()
    coupon = m.Coupon(id=call.state.ids.new(), created_at=now, updated_at=now,
                      **body.model_dump())
    call.state.coupons[coupon.id] = coupon
    return call.one(coupon, 201)


def update_coupon(call: Call) -> Reply:
    table = call.state.coupons
    current = _find(table, call.params["id"], "coupon")
    changes = _changes(call.body)
    errors = _coupon_errors(call.state, changes)
    if errors:
        raise invalid_many(errors)
    if changes.get("name") is None:
        changes.pop("name", None)
    table[current.id] = current.model_copy(update={**changes, "updated_at": call.state.now()})
    return call.one(table[current.id])


def delete_coupon(call: Call) -> Reply:
    current = _find(call.state.coupons, call.params["id"], "coupon")
    del call.state.coupons[current.id]
    return call.none()


def list_coupon_templates(call: Call) -> Reply:
    return call.page(list(call.state.coupon_templates.values()), call.list_query(SORTABLE),
                     lambda t: t)


def get_coupon_template(call: Call) -> Reply:
    return call.one(_find(call.state.coupon_templates, call.params["id"], "coupon template"))


HANDLERS: dict[str, Handler] = {
    "list_campaigns": list_campaigns, "get_campaign": get_campaign,
    "create_campaign": create_campaign, "update_campaign": update_campaign,
    "delete_campaign": delete_campaign,
    "list_campaign_templates": list_campaign_templates,
    "get_campaign_template": get_campaign_template,
    "create_campaign_template": create_campaign_template,
    "update_campaign_template": update_campaign_template,
    "delete_campaign_template": delete_campaign_template,
    "list_coupons": list_coupons, "get_coupon": get_coupon, "create_coupon": create_coupon,
    "update_coupon": update_coupon, "delete_coupon": delete_coupon,
    "list_coupon_templates": list_coupon_templates, "get_coupon_template": get_coupon_template,
}
