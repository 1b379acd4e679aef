"""Limits and scopes that seed 002 (Mobiniti REST API v1) defines, under the seed's names."""

from __future__ import annotations

from typing import Final

DEFAULT_BASE_URL: Final = "https://api.mobiniti.com/v1"

# "the default and max number of results being 100"
MAX_PAGE_LIMIT: Final = 100
# "Unsubscribe a batch of up to 100 phone numbers per request."
MAX_UNSUBSCRIBE_BATCH: Final = 100
# Batch send: the seed gives no number; we use the same 100 as every other batch (contract).
MAX_MESSAGE_BATCH: Final = 100
# Longest text one send accepts (contract: the seed is silent; ten segments' worth).
MAX_MESSAGE_LENGTH: Final = 1600
# "Maximum 10 phone numbers per request."
MAX_PHONE_LOOKUP: Final = 10
# "rate limited to 1 request per second for each route"
REQUESTS_PER_SECOND_PER_ROUTE: Final = 1
# "X-RateLimit-Limit: 60" -- the per-minute budget the headers report.
RATE_LIMIT_HEADER_LIMIT: Final = 60

# Message type filter values ("type Exact unknown, INCOMING_ALL, OUTGOING_ALL").
MESSAGE_TYPE_FILTERS: Final = ("unknown", "INCOMING_ALL", "OUTGOING_ALL")

# Every scope the seed lists.
SCOPES: Final = (
    "campaigns.create", "campaigns.delete", "campaigns.update", "campaigns.view",
    "contacts.create", "contacts.delete", "contacts.update", "contacts.view",
    "coupons.create", "coupons.delete", "coupons.update", "coupons.view",
    "groups.create", "groups.delete", "groups.update", "groups.view",
    "messages.create", "messages.unread.view", "messages.update", "messages.view",
    "message.schedule.view", "message.schedule.create", "message.schedule.update",
    "message.schedule.delete", "optins.view", "phone-numbers.lookup", "carriers.view",
)
