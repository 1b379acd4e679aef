"""Typed client methods for what goes out: campaigns, coupons, messages, schedules, lookups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tui.api import models as m
from tui.api.calls import Filters, FilterValue, TypedCalls, check_count
from tui.api.errors import InvalidArgument
from tui.api.limits import (
    MAX_MESSAGE_BATCH,
    MAX_PAGE_LIMIT,
    MAX_PHONE_LOOKUP,
    MESSAGE_TYPE_FILTERS,
)
from tui.api.models import Page
from tui.api.rate import Priority

_I = Priority.INTERACTIVE


class MessageCalls(TypedCalls):
    # --- campaigns --------------------------------------------------------------------------

    async def list_campaigns(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.Campaign]:
        return await self._page("list_campaigns", m.Campaign, limit=limit, page=page, sort=sort,
                                include=include, filters=filters, priority=priority)

    async def get_campaign(self, campaign_id: str, *, priority: Priority = _I) -> m.Campaign:
        return await self._one("get_campaign", m.Campaign, ids={"id": campaign_id},
                               priority=priority)

    async def create_campaign(
        self, body: m.CampaignCreate, *, priority: Priority = _I
    ) -> m.Campaign:
        return await self._one("create_campaign", m.Campaign, body=body, priority=priority)

    async def update_campaign(
        self, campaign_id: str, body: m.CampaignUpdate, *, priority: Priority = _I
    ) -> m.Campaign:
        return await self._one("update_campaign", m.Campaign, ids={"id": campaign_id},
                               body=body, priority=priority)

    async def delete_campaign(self, campaign_id: str, *, priority: Priority = _I) -> None:
        await self._none("delete_campaign", ids={"id": campaign_id}, priority=priority)

    # --- campaign templates -----------------------------------------------------------------

    async def list_campaign_templates(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.CampaignTemplate]:
        return await self._page("list_campaign_templates", m.CampaignTemplate, limit=limit,
                                page=page, sort=sort, include=include, filters=filters,
                                priority=priority)

    async def get_campaign_template(
        self, template_id: str, *, priority: Priority = _I
    ) -> m.CampaignTemplate:
        return await self._one("get_campaign_template", m.CampaignTemplate,
                               ids={"id": template_id}, priority=priority)

    async def create_campaign_template(
        self, body: m.CampaignTemplateCreate, *, priority: Priority = _I
    ) -> m.CampaignTemplate:
        return await self._one("create_campaign_template", m.CampaignTemplate, body=body,
                               priority=priority)

    async def update_campaign_template(
        self, template_id: str, body: m.CampaignTemplateUpdate, *, priority: Priority = _I
    ) -> m.CampaignTemplate:
        return await self._one("update_campaign_template", m.CampaignTemplate,
                               ids={"id": template_id}, body=body, priority=priority)

    async def delete_campaign_template(self, template_id: str, *, priority: Priority = _I) -> None:
        await self._none("delete_campaign_template", ids={"id": template_id}, priority=priority)

    # --- coupons and coupon templates -------------------------------------------------------

    async def list_coupons(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.Coupon]:
        return await self._page("list_coupons", m.Coupon, limit=limit, page=page, sort=sort,
                                include=include, filters=filters, priority=priority)

    async def get_coupon(self, coupon_id: str, *, priority: Priority = _I) -> m.Coupon:
        return await self._one("get_coupon", m.Coupon, ids={"id": coupon_id}, priority=priority)

    async def create_coupon(self, body: m.CouponCreate, *, priority: Priority = _I) -> m.Coupon:
        return await self._one("create_coupon", m.Coupon, body=body, priority=priority)

    async def update_coupon(
        self, coupon_id: str, body: m.CouponUpdate, *, priority: Priority = _I
    ) -> m.Coupon:
        return await self._one("update_coupon", m.Coupon, ids={"id": coupon_id}, body=body,
                               priority=priority)

    async def delete_coupon(self, coupon_id: str, *, priority: Priority = _I) -> None:
        await self._none("delete_coupon", ids={"id": coupon_id}, priority=priority)

    async def list_coupon_templates(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.CouponTemplate]:
        return await self._page("list_coupon_templates", m.CouponTemplate, limit=limit,
                                page=page, sort=sort, include=include, filters=filters,
                                priority=priority)

    async def get_coupon_template(
        self, template_id: str, *, priority: Priority = _I
    ) -> m.CouponTemplate:
        return await self._one("get_coupon_template", m.CouponTemplate, ids={"id": template_id},
                               priority=priority)

    # --- messages ---------------------------------------------------------------------------

    async def list_messages(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
        message_type: str | None = None, phone_number: str | None = None,
        created_at_min: datetime | None = None, created_at_max: datetime | None = None,
        read: bool | None = None,
    ) -> Page[m.Message]:
        """``GET /messages``. The keyword filters are shorthands for ``filters={...}``.

        ``message_type`` is ``INCOMING_ALL``, ``OUTGOING_ALL`` or ``unknown``; ``read`` needs
        the ``messages.unread.view`` scope; times are sent as ISO 8601 UTC.
        """
        merged: dict[str, FilterValue] = dict(filters or {})
        shorthands: dict[str, FilterValue | None] = {
            "type": message_type, "phone_number": phone_number,
            "created_at_min": created_at_min, "created_at_max": created_at_max, "read": read,
        }
        merged.update({k: v for k, v in shorthands.items() if v is not None})
        kind = merged.get("type")
        if kind is not None and kind not in MESSAGE_TYPE_FILTERS:
            raise InvalidArgument(
                f"filter[type]={kind!r} is not one of {', '.join(MESSAGE_TYPE_FILTERS)}."
            )
        found = await self._page("list_messages", m.Message, limit=limit, page=page, sort=sort,
                                 include=include, filters=merged, priority=priority)
        if kind in ("INCOMING_ALL", "OUTGOING_ALL"):
            # A server that writes no direction, type or sender: the filter says which way.
            direction: m.MessageDirection = "incoming" if kind == "INCOMING_ALL" else "outgoing"
            for message in found.data:
                if message.direction_guessed:
                    message.direction = direction
        return found

    async def get_message(
        self, message_id: str, *, include: Sequence[str] = (), priority: Priority = _I
    ) -> m.Message:
        return await self._one("get_message", m.Message, ids={"id": message_id},
                               include=include, priority=priority)

    async def update_message(
        self, message_id: str, body: m.MessageUpdate, *, priority: Priority = _I
    ) -> m.Message:
        """``PUT /messages/{id}`` with ``{read}``: mark a message read or unread."""
        return await self._one("update_message", m.Message, ids={"id": message_id}, body=body,
                               priority=priority)

    async def send_to_contact(
        self, body: m.ContactMessageCreate, *, priority: Priority = _I
    ) -> m.Message:
        """``POST /messages``: texts a contact. Never retried once it may have left."""
        return await self._one("send_to_contact", m.Message, body=body, priority=priority)

    async def send_message(self, body: m.MessageCreate, *, priority: Priority = _I) -> m.Message:
        """``POST /message``: texts a number. Never retried once it may have left."""
        return await self._one("send_message", m.Message, body=body, priority=priority)

    async def send_batch(
        self, body: m.MessageBatchCreate, *, priority: Priority = _I
    ) -> list[m.Message]:
        """``POST /message/batch``: one text to 1..100 numbers (checked before sending).

        Answers one message per number the server accepted. Never retried once it may have left.
        """
        if not body.phone_numbers:
            raise InvalidArgument("The batch has no phone numbers; add at least one.")
        check_count("phone numbers in one batch", len(body.phone_numbers), MAX_MESSAGE_BATCH)
        if not body.message.strip():
            raise InvalidArgument("The batch text is empty; type something to send.")
        return await self._list("send_batch", m.Message, body=body, priority=priority)

    # --- scheduled messages -----------------------------------------------------------------

    async def list_scheduled(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.ScheduledMessage]:
        return await self._page("list_scheduled", m.ScheduledMessage, limit=limit, page=page,
                                sort=sort, include=include, filters=filters, priority=priority)

    async def get_scheduled(
        self, scheduled_id: str, *, priority: Priority = _I
    ) -> m.ScheduledMessage:
        return await self._one("get_scheduled", m.ScheduledMessage, ids={"id": scheduled_id},
                               priority=priority)

    async def create_scheduled(
        self, body: m.ScheduledMessageCreate, *, priority: Priority = _I
    ) -> m.ScheduledMessage:
        return await self._one("create_scheduled", m.ScheduledMessage, body=body,
                               priority=priority)

    async def update_scheduled(
        self, scheduled_id: str, body: m.ScheduledMessageUpdate, *, priority: Priority = _I
    ) -> m.ScheduledMessage:
        return await self._one("update_scheduled", m.ScheduledMessage, ids={"id": scheduled_id},
                               body=body, priority=priority)

    async def delete_scheduled(self, scheduled_id: str, *, priority: Priority = _I) -> None:
        await self._none("delete_scheduled", ids={"id": scheduled_id}, priority=priority)

    # --- phone numbers ----------------------------------------------------------------------

    async def lookup_phone_numbers(
        self, body: m.PhoneLookupRequest, *, priority: Priority = _I
    ) -> list[m.PhoneLookup]:
        """``POST /phone-numbers/lookup`` with 1..10 numbers (checked before sending)."""
        if not body.phone_numbers:
            raise InvalidArgument("No phone numbers to look up.")
        check_count("phone numbers to look up", len(body.phone_numbers), MAX_PHONE_LOOKUP)
        return await self._list("lookup_phone_numbers", m.PhoneLookup, body=body,
                                priority=priority)
