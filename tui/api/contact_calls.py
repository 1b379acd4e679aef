"""Typed client methods for the audience: contacts, carriers, groups and opt-ins."""

from __future__ import annotations

from collections.abc import Sequence

from tui.api import models as m
from tui.api.calls import Filters, TypedCalls, check_count
from tui.api.limits import MAX_PAGE_LIMIT, MAX_UNSUBSCRIBE_BATCH
from tui.api.models import Page
from tui.api.rate import Priority

_I = Priority.INTERACTIVE


class ContactCalls(TypedCalls):
    # --- contacts ---------------------------------------------------------------------------

    async def list_contacts(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.Contact]:
        """``GET /contacts``; filters ``phone_number``, ``reward_points``."""
        return await self._page("list_contacts", m.Contact, limit=limit, page=page, sort=sort,
                                include=include, filters=filters, priority=priority)

    async def get_contact(
        self, contact_id: str, *, include: Sequence[str] = (), priority: Priority = _I
    ) -> m.Contact:
        return await self._one("get_contact", m.Contact, ids={"id": contact_id},
                               include=include, priority=priority)

    async def create_contact(self, body: m.ContactCreate, *, priority: Priority = _I) -> m.Contact:
        return await self._one("create_contact", m.Contact, body=body, priority=priority)

    async def update_contact(
        self, contact_id: str, body: m.ContactUpdate, *, priority: Priority = _I
    ) -> m.Contact:
        return await self._one("update_contact", m.Contact, ids={"id": contact_id}, body=body,
                               priority=priority)

    async def delete_contact(self, contact_id: str, *, priority: Priority = _I) -> None:
        await self._none("delete_contact", ids={"id": contact_id}, priority=priority)

    async def unsubscribe_contacts(
        self, body: m.UnsubscribeRequest, *, priority: Priority = _I
    ) -> m.UnsubscribeResult:
        """``PATCH /contacts/unsubscribe`` with at most 100 numbers (checked before sending)."""
        check_count("phone numbers to unsubscribe", len(body.phone_numbers),
                    MAX_UNSUBSCRIBE_BATCH)
        return await self._one("unsubscribe_contacts", m.UnsubscribeResult, body=body,
                               priority=priority)

    async def add_contact_group(
        self, contact_id: str, body: m.ContactGroupAdd, *, priority: Priority = _I
    ) -> m.Contact:
        return await self._one("add_contact_group", m.Contact, ids={"id": contact_id},
                               body=body, priority=priority)

    async def remove_contact_group(
        self, contact_id: str, group_id: str, *, priority: Priority = _I
    ) -> None:
        await self._none("remove_contact_group", ids={"id": contact_id, "group": group_id},
                         priority=priority)

    # --- carriers ---------------------------------------------------------------------------

    async def list_carriers(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.Carrier]:
        return await self._page("list_carriers", m.Carrier, limit=limit, page=page, sort=sort,
                                include=include, filters=filters, priority=priority)

    async def get_carrier(self, carrier_id: str, *, priority: Priority = _I) -> m.Carrier:
        return await self._one("get_carrier", m.Carrier, ids={"id": carrier_id},
                               priority=priority)

    # --- groups -----------------------------------------------------------------------------

    async def list_groups(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.Group]:
        return await self._page("list_groups", m.Group, limit=limit, page=page, sort=sort,
                                include=include, filters=filters, priority=priority)

    async def get_group(
        self, group_id: str, *, include: Sequence[str] = (), priority: Priority = _I
    ) -> m.Group:
        return await self._one("get_group", m.Group, ids={"id": group_id}, include=include,
                               priority=priority)

    async def create_group(self, body: m.GroupCreate, *, priority: Priority = _I) -> m.Group:
        return await self._one("create_group", m.Group, body=body, priority=priority)

    async def update_group(
        self, group_id: str, body: m.GroupUpdate, *, priority: Priority = _I
    ) -> m.Group:
        return await self._one("update_group", m.Group, ids={"id": group_id}, body=body,
                               priority=priority)

    async def delete_group(self, group_id: str, *, priority: Priority = _I) -> None:
        await self._none("delete_group", ids={"id": group_id}, priority=priority)

    async def list_group_contacts(
        self, group_id: str, *, limit: int = MAX_PAGE_LIMIT, page: int = 1,
        sort: str | None = None, include: Sequence[str] = (), filters: Filters | None = None,
        priority: Priority = _I,
    ) -> Page[m.Contact]:
        return await self._page("list_group_contacts", m.Contact, ids={"id": group_id},
                                limit=limit, page=page, sort=sort, include=include,
                                filters=filters, priority=priority)

    # --- opt-ins ----------------------------------------------------------------------------

    async def list_optins(
        self, *, limit: int = MAX_PAGE_LIMIT, page: int = 1, sort: str | None = None,
        include: Sequence[str] = (), filters: Filters | None = None, priority: Priority = _I,
    ) -> Page[m.OptIn]:
        return await self._page("list_optins", m.OptIn, limit=limit, page=page, sort=sort,
                                include=include, filters=filters, priority=priority)

    async def get_optin(self, optin_id: str, *, priority: Priority = _I) -> m.OptIn:
        return await self._one("get_optin", m.OptIn, ids={"id": optin_id}, priority=priority)
