"""Request bodies: strict (unknown keys refused) so a typo fails before anything is sent.

Where seed 002 is silent the field names are our choice, written in docs/api-contract.md.
"""

from __future__ import annotations

from pydantic import Field

from tui.api.models.base import PhoneText, RequestBody, Timestamp


class ContactCreate(RequestBody):
    phone_number: PhoneText
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    zip: str | None = None
    groups: list[str] | None = None
    fields: dict[str, str] | None = None


class ContactUpdate(RequestBody):
    """The phone number of a contact cannot be changed (seed). ``groups=[]`` removes all."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    zip: str | None = None
    reward_points: int | None = None
    groups: list[str] | None = None
    fields: dict[str, str] | None = None


class UnsubscribeRequest(RequestBody):
    phone_numbers: list[str]


class ContactGroupAdd(RequestBody):
    group_id: str


class GroupCreate(RequestBody):
    name: str
    join_message: str | None = None
    one_time_message: bool | None = None
    always_send_join: bool | None = None
    social_profiling: bool | None = None
    email_new_contact: bool | None = None
    optin_id: str | None = None
    keyword: str | None = None


class GroupUpdate(RequestBody):
    name: str | None = None
    join_message: str | None = None
    one_time_message: bool | None = None
    always_send_join: bool | None = None
    social_profiling: bool | None = None
    email_new_contact: bool | None = None
    optin_id: str | None = None
    keyword: str | None = None


class CampaignCreate(RequestBody):
    name: str
    message: str
    group_ids: list[str] = Field(default_factory=list)
    coupon_id: str | None = None
    send_at: Timestamp | None = None


class CampaignUpdate(RequestBody):
    name: str | None = None
    message: str | None = None
    group_ids: list[str] | None = None
    coupon_id: str | None = None
    send_at: Timestamp | None = None


class CampaignTemplateCreate(RequestBody):
    name: str
    message: str


class CampaignTemplateUpdate(RequestBody):
    name: str | None = None
    message: str | None = None


class CouponCreate(RequestBody):
    name: str
    title: str | None = None
    description: str | None = None
    code: str | None = None
    coupon_template_id: str | None = None
    expires_at: Timestamp | None = None


class CouponUpdate(RequestBody):
    name: str | None = None
    title: str | None = None
    description: str | None = None
    code: str | None = None
    coupon_template_id: str | None = None
    expires_at: Timestamp | None = None


class MessageUpdate(RequestBody):
    """``PUT /messages/{id}``: how a message is marked read or unread (our choice)."""

    read: bool


class ContactMessageCreate(RequestBody):
    """``POST /messages``: one text to one existing contact."""

    contact_id: str
    message: str
    metadata: dict[str, str] | None = None


class MessageCreate(RequestBody):
    """``POST /message``: one text to one phone number.

    ``from`` (a sender some real clients name) is accepted and ignored; smsdesk never sends it.
    """

    phone_number: PhoneText
    message: str
    metadata: dict[str, str] | None = None
    sender: str | None = Field(default=None, alias="from")


class MessageBatchCreate(RequestBody):
    """``POST /message/batch`` (seed: "Send a message to multiple phone numbers"): one text to
    up to 100 numbers. Personalised sends group recipients by their rendered text."""

    message: str
    phone_numbers: list[PhoneText]
    metadata: dict[str, str] | None = None


class ScheduledMessageCreate(RequestBody):
    phone_number: PhoneText
    message: str
    send_at: Timestamp


class ScheduledMessageUpdate(RequestBody):
    message: str | None = None
    send_at: Timestamp | None = None


class PhoneLookupRequest(RequestBody):
    phone_numbers: list[str]
