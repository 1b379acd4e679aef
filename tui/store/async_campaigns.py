"""``AsyncStore``'s campaign-send queries (mixed in): awaitable, run on the store's thread."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from tui.store.campaign_sends import (
    CampaignRequest,
    CampaignSend,
    PlannedRequest,
    RequestCounts,
    RequestState,
    SendState,
)
from tui.store.records import StoredContact

if TYPE_CHECKING:
    from tui.store.store import Store

P = ParamSpec("P")
T = TypeVar("T")


class AsyncCampaignSends:
    """Mixed into ``AsyncStore`` (which provides ``sync`` and ``_run``)."""

    sync: Store

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        raise NotImplementedError

    # --- campaign sends ---------------------------------------------------------------------

    async def contacts_in_groups(self, group_ids: Sequence[str]) -> list[StoredContact]:
        return await self._run(self.sync.contacts_in_groups, list(group_ids))

    async def count_group_audience(self, group_ids: Sequence[str]) -> int:
        return await self._run(self.sync.count_group_audience, list(group_ids))

    async def contacts_by_phones(self, phones: Sequence[str]) -> dict[str, StoredContact]:
        return await self._run(self.sync.contacts_by_phones, list(phones))

    async def opted_out_phones(self, phones: Sequence[str]) -> set[str]:
        return await self._run(self.sync.opted_out_phones, list(phones))

    async def add_campaign_send(
        self, *, send_id: str, name: str, template: str, audience: str, recipients: int,
        requests: Sequence[tuple[str, PlannedRequest]],
        skipped: Sequence[tuple[str, str, str]] = (),
        campaign_id: str | None = None, now: datetime | None = None,
    ) -> CampaignSend:
        return await self._run(
            self.sync.add_campaign_send, send_id=send_id, name=name, template=template,
            audience=audience, recipients=recipients, requests=list(requests),
            skipped=list(skipped), campaign_id=campaign_id, now=now,
        )

    async def campaign_send(self, send_id: str) -> CampaignSend | None:
        return await self._run(self.sync.campaign_send, send_id)

    async def list_campaign_sends(
        self, *, states: Collection[str] | None = None, limit: int = 200
    ) -> list[CampaignSend]:
        return await self._run(self.sync.list_campaign_sends, states=states, limit=limit)

    async def finish_campaign_send(
        self, send_id: str, state: SendState, *, now: datetime | None = None
    ) -> CampaignSend | None:
        return await self._run(self.sync.finish_campaign_send, send_id, state, now=now)

    async def campaign_requests(
        self, send_id: str, *, states: Collection[str] | None = None
    ) -> list[CampaignRequest]:
        return await self._run(self.sync.campaign_requests, send_id, states=states)

    async def next_campaign_request(
        self, send_id: str, *, include_queued: bool = True
    ) -> CampaignRequest | None:
        return await self._run(self.sync.next_campaign_request, send_id,
                               include_queued=include_queued)

    async def campaign_request_counts(self, send_id: str) -> RequestCounts:
        return await self._run(self.sync.campaign_request_counts, send_id)

    async def update_campaign_request(
        self, key: str, *, state: RequestState, expect: Collection[str] | None = None,
        attempts: int | None = None, last_error: str | None = None,
        refused: Mapping[str, str] | None = None, phones: Sequence[str] | None = None,
        result_ids: Sequence[str] | None = None, next_attempt_at: datetime | None = None,
        now: datetime | None = None,
    ) -> CampaignRequest | None:
        return await self._run(
            self.sync.update_campaign_request, key, state=state, expect=expect,
            attempts=attempts, last_error=last_error, refused=refused, phones=phones,
            result_ids=result_ids, next_attempt_at=next_attempt_at, now=now,
        )
