"""The endpoint table: one row per Mobiniti v1 endpoint, shared by the client, the sandbox and docs.

docs/api-contract.md is this table written for people; tests/test_contract.py keeps the two equal.
``name`` is the client method; ``path`` is relative to the base URL (``.../v1``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from pydantic import BaseModel

from tui.api import models as m

Shape = Literal["page", "one", "list", "none"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str
    scope: str
    response: type[BaseModel] | None
    shape: Shape
    body: type[BaseModel] | None = None
    filters: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    sends_text: bool = False
    source: str = "seed"
    aliases: tuple[str, ...] = field(default=())

    @property
    def route(self) -> str:
        """The rate-limit key: the seed limits "1 request per second for each route"."""
        return f"{self.method} {self.path}"


_CONTACT_FILTERS = ("phone_number", "reward_points")
_MESSAGE_FILTERS = ("type", "phone_number", "created_at_min", "created_at_max", "read")
_MESSAGE_INCLUDES = ("receipt", "contact.carrier", "type")

ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    # contacts
    Endpoint("list_contacts", "GET", "/contacts", "contacts.view", m.Contact, "page",
             filters=_CONTACT_FILTERS, includes=("carrier", "status", "groups", "fields")),
    Endpoint("create_contact", "POST", "/contacts", "contacts.create", m.Contact, "one",
             body=m.ContactCreate),
    Endpoint("get_contact", "GET", "/contacts/{id}", "contacts.view", m.Contact, "one",
             includes=("carrier", "status", "groups", "fields")),
    Endpoint("update_contact", "PUT", "/contacts/{id}", "contacts.update", m.Contact, "one",
             body=m.ContactUpdate),
    Endpoint("delete_contact", "DELETE", "/contacts/{id}", "contacts.delete", None, "none"),
    Endpoint("unsubscribe_contacts", "PATCH", "/contacts/unsubscribe", "contacts.update",
             m.UnsubscribeResult, "one", body=m.UnsubscribeRequest,
             source="our choice: body and result shape"),
    Endpoint("add_contact_group", "POST", "/contacts/{id}/groups", "contacts.update", m.Contact,
             "one", body=m.ContactGroupAdd, source="our choice: body {group_id}"),
    Endpoint("remove_contact_group", "DELETE", "/contacts/{id}/groups/{group}",
             "contacts.update", None, "none"),
    # carriers
    Endpoint("list_carriers", "GET", "/carriers", "carriers.view", m.Carrier, "page"),
    Endpoint("get_carrier", "GET", "/carriers/{id}", "carriers.view", m.Carrier, "one"),
    # groups
    Endpoint("list_groups", "GET", "/groups", "groups.view", m.Group, "page",
             includes=("keyword",)),
    Endpoint("create_group", "POST", "/groups", "groups.create", m.Group, "one",
             body=m.GroupCreate),
    Endpoint("get_group", "GET", "/groups/{id}", "groups.view", m.Group, "one",
             includes=("keyword",)),
    Endpoint("update_group", "PUT", "/groups/{id}", "groups.update", m.Group, "one",
             body=m.GroupUpdate),
    Endpoint("delete_group", "DELETE", "/groups/{id}", "groups.delete", None, "none",
             source="our choice: the seed lists the groups.delete scope"),
    Endpoint("list_group_contacts", "GET", "/groups/{id}/contacts", "groups.view", m.Contact,
             "page", filters=_CONTACT_FILTERS, includes=("status", "groups", "fields")),
    # opt-ins
    Endpoint("list_optins", "GET", "/opt-ins", "optins.view", m.OptIn, "page"),
    Endpoint("get_optin", "GET", "/opt-ins/{id}", "optins.view", m.OptIn, "one"),
    # campaigns
    Endpoint("list_campaigns", "GET", "/campaigns", "campaigns.view", m.Campaign, "page"),
    Endpoint("create_campaign", "POST", "/campaigns", "campaigns.create", m.Campaign, "one",
             body=m.CampaignCreate),
    Endpoint("get_campaign", "GET", "/campaigns/{id}", "campaigns.view", m.Campaign, "one"),
    Endpoint("update_campaign", "PUT", "/campaigns/{id}", "campaigns.update", m.Campaign, "one",
             body=m.CampaignUpdate),
    Endpoint("delete_campaign", "DELETE", "/campaigns/{id}", "campaigns.delete", None, "none"),
    # campaign templates
    Endpoint("list_campaign_templates", "GET", "/campaigns/templates", "campaigns.view",
             m.CampaignTemplate, "page"),
    Endpoint("create_campaign_template", "POST", "/campaigns/templates", "campaigns.create",
             m.CampaignTemplate, "one", body=m.CampaignTemplateCreate),
    Endpoint("get_campaign_template", "GET", "/campaigns/templates/{id}", "campaigns.view",
             m.CampaignTemplate, "one"),
    Endpoint("update_campaign_template", "PUT", "/campaigns/templates/{id}", "campaigns.update",
             m.CampaignTemplate, "one", body=m.CampaignTemplateUpdate),
    Endpoint("delete_campaign_template", "DELETE", "/campaigns/templates/{id}",
             "campaigns.delete", None, "none"),
    # coupons
    Endpoint("list_coupons", "GET", "/coupons", "coupons.view", m.Coupon, "page"),
    Endpoint("create_coupon", "POST", "/coupons", "coupons.create", m.Coupon, "one",
             body=m.CouponCreate),
    Endpoint("get_coupon", "GET", "/coupons/{id}", "coupons.view", m.Coupon, "one"),
    Endpoint("update_coupon", "PUT", "/coupons/{id}", "coupons.update", m.Coupon, "one",
             body=m.CouponUpdate),
    Endpoint("delete_coupon", "DELETE", "/coupons/{id}", "coupons.delete", None, "none"),
    # coupon templates
    Endpoint("list_coupon_templates", "GET", "/coupon_templates", "coupons.view",
             m.CouponTemplate, "page"),
    Endpoint("get_coupon_template", "GET", "/coupon_templates/{id}", "coupons.view",
             m.CouponTemplate, "one"),
    # messages
    Endpoint("list_messages", "GET", "/messages", "messages.view", m.Message, "page",
             filters=_MESSAGE_FILTERS, includes=_MESSAGE_INCLUDES,
             source="seed; filter[read] is our choice (needs messages.unread.view)"),
    Endpoint("get_message", "GET", "/messages/{id}", "messages.view", m.Message, "one",
             includes=_MESSAGE_INCLUDES),
    Endpoint("update_message", "PUT", "/messages/{id}", "messages.update", m.Message, "one",
             body=m.MessageUpdate, source="our choice: body {read} marks read/unread"),
    Endpoint("send_to_contact", "POST", "/messages", "messages.create", m.Message, "one",
             body=m.ContactMessageCreate, sends_text=True,
             source="our choice: body {contact_id, message, metadata}"),
    Endpoint("send_message", "POST", "/message", "messages.create", m.Message, "one",
             body=m.MessageCreate, sends_text=True,
             source="our choice: body {phone_number, message, metadata}"),
    Endpoint("send_batch", "POST", "/message/batch", "messages.create", m.Message, "list",
             body=m.MessageBatchCreate, sends_text=True,
             source="seed: one text to many numbers; body {message, phone_numbers <= 100} "
                    "is our choice"),
    # scheduled messages (the PHP client uses /messages/schedule; the sandbox accepts both)
    Endpoint("list_scheduled", "GET", "/message/schedule", "message.schedule.view",
             m.ScheduledMessage, "page", aliases=("/messages/schedule",)),
    Endpoint("create_scheduled", "POST", "/message/schedule", "message.schedule.create",
             m.ScheduledMessage, "one", body=m.ScheduledMessageCreate,
             source="our choice: body {phone_number, message, send_at}",
             aliases=("/messages/schedule",)),
    Endpoint("get_scheduled", "GET", "/message/schedule/{id}", "message.schedule.view",
             m.ScheduledMessage, "one", aliases=("/messages/schedule/{id}",)),
    Endpoint("update_scheduled", "PUT", "/message/schedule/{id}", "message.schedule.update",
             m.ScheduledMessage, "one", body=m.ScheduledMessageUpdate,
             aliases=("/messages/schedule/{id}",)),
    Endpoint("delete_scheduled", "DELETE", "/message/schedule/{id}", "message.schedule.delete",
             None, "none", aliases=("/messages/schedule/{id}",)),
    # phone numbers
    Endpoint("lookup_phone_numbers", "POST", "/phone-numbers/lookup", "phone-numbers.lookup",
             m.PhoneLookup, "list", body=m.PhoneLookupRequest,
             source="our choice: body {phone_numbers} <= 10, result {data: [...]}"),
)

BY_NAME: Final[dict[str, Endpoint]] = {e.name: e for e in ENDPOINTS}

# Reading unread messages (filter[read]=false) needs this scope on top of messages.view.
UNREAD_SCOPE: Final = "messages.unread.view"
