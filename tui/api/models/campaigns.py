"""Campaigns, campaign templates, coupons and coupon templates."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from tui.api.models.base import Resource, Timestamp


class Campaign(Resource):
    id: str
    name: str
    message: str
    status: Literal["draft", "scheduled", "sending", "sent"] = "draft"
    group_ids: list[str] = Field(default_factory=list)
    coupon_id: str | None = None
    send_at: Timestamp | None = None
    sent_at: Timestamp | None = None
    created_at: Timestamp
    updated_at: Timestamp


class CampaignTemplate(Resource):
    id: str
    name: str
    message: str
    created_at: Timestamp
    updated_at: Timestamp


class CouponTemplate(Resource):
    id: str
    name: str
    background_color: str | None = None
    text_color: str | None = None
    created_at: Timestamp
    updated_at: Timestamp


class Coupon(Resource):
    id: str
    name: str
    title: str | None = None
    description: str | None = None
    code: str | None = None
    coupon_template_id: str | None = None
    expires_at: Timestamp | None = None
    redemptions: int = 0
    created_at: Timestamp
    updated_at: Timestamp
