"""Pydantic models for every Mobiniti v1 resource and request body (shared by client and sandbox).

Split by resource; ``from tui.api.models import X`` keeps working for every name. Resources are
read tolerantly (``tolerant.py``: the list is in docs/api-contract.md, "What we accept"); request
bodies are strict. Where seed 002 is silent the choice is written in docs/api-contract.md.
"""

from __future__ import annotations

from tui.api.models.base import (
    PhoneNumber,
    PhoneText,
    RequestBody,
    Resource,
    TextMap,
    Timestamp,
    format_timestamp,
    parse_timestamp,
)
from tui.api.models.campaigns import Campaign, CampaignTemplate, Coupon, CouponTemplate
from tui.api.models.contacts import (
    Carrier,
    Contact,
    ContactStatus,
    Group,
    GroupRef,
    Keyword,
    OptIn,
    PhoneLookup,
    UnsubscribeResult,
)
from tui.api.models.envelopes import ApiErrorBody, Envelope, Meta, Page, PageLinks, Pagination
from tui.api.models.messages import (
    Message,
    MessageDirection,
    MessageType,
    Receipt,
    ScheduledMessage,
)
from tui.api.models.requests import (
    CampaignCreate,
    CampaignTemplateCreate,
    CampaignTemplateUpdate,
    CampaignUpdate,
    ContactCreate,
    ContactGroupAdd,
    ContactMessageCreate,
    ContactUpdate,
    CouponCreate,
    CouponUpdate,
    GroupCreate,
    GroupUpdate,
    MessageBatchCreate,
    MessageCreate,
    MessageUpdate,
    PhoneLookupRequest,
    ScheduledMessageCreate,
    ScheduledMessageUpdate,
    UnsubscribeRequest,
)

__all__ = [
    "ApiErrorBody",
    "Campaign",
    "CampaignCreate",
    "CampaignTemplate",
    "CampaignTemplateCreate",
    "CampaignTemplateUpdate",
    "CampaignUpdate",
    "Carrier",
    "Contact",
    "ContactCreate",
    "ContactGroupAdd",
    "ContactMessageCreate",
    "ContactStatus",
    "ContactUpdate",
    "Coupon",
    "CouponCreate",
    "CouponTemplate",
    "CouponUpdate",
    "Envelope",
    "Group",
    "GroupCreate",
    "GroupRef",
    "GroupUpdate",
    "Keyword",
    "Message",
    "MessageBatchCreate",
    "MessageCreate",
    "MessageDirection",
    "MessageType",
    "MessageUpdate",
    "Meta",
    "OptIn",
    "Page",
    "PageLinks",
    "Pagination",
    "PhoneLookup",
    "PhoneLookupRequest",
    "PhoneNumber",
    "PhoneText",
    "Receipt",
    "RequestBody",
    "Resource",
    "ScheduledMessage",
    "ScheduledMessageCreate",
    "ScheduledMessageUpdate",
    "TextMap",
    "Timestamp",
    "UnsubscribeRequest",
    "UnsubscribeResult",
    "format_timestamp",
    "parse_timestamp",
]
