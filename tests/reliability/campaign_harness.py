"""The fault suite's campaign and scheduled-send bench: the real campaign send service and the
Scheduled section's service against the sandbox on a loopback socket with every chaos kind, and
the server's own record compared with what the person was told, recipient by recipient.

Run by tests/reliability/test_fault_campaigns.py (fast in CI; 5,000 recipients with
``SMSDESK_LONG=1``) and by hand: ``python -m tests.reliability.campaign_harness --recipients 5000``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from tests.reliability.harness import chaos_sandbox, fast_client
from tui.config import Profile, QuietHours
from tui.sandbox import Sandbox, serve_in_thread
from tui.sandbox.config import FAULT_KINDS
from tui.services.campaigns import Campaigns
from tui.services.outbox import Outbox
from tui.services.scheduled import ScheduledTexts, ScheduleMaybeSaved, ScheduleRefused
from tui.store import AsyncStore, open_store

TEXT = "Fault suite {kind} {shape}: doors open at 9. Reply STOP to opt out."
ALL_DAY = QuietHours(start=clock_time(0, 0), end=clock_time(23, 59))
SETTLED = {"sent", "failed", "unclear", "cancelled"}


@dataclass
class CampaignFigures:
    """One run, recipient by recipient; the suite asserts the zeros."""

    kind: str  # "campaign" (texts now) or "scheduled" (a scheduled campaign + single texts)
    shape: str
    chaos_rate: float
    recipients: int = 0
    requests_planned: int = 0
    sent: int = 0  # the person sees it went out (or was scheduled)
    refused: int = 0  # the person sees the server refused it
    failed: int = 0  # the person sees it failed
    unclear: int = 0  # left to the person ("maybe sent")
    texted_once: int = 0  # recipients with exactly one copy on the server
    duplicates: int = 0
    lost: int = 0  # shown as sent, not on the server
    failed_but_sent: int = 0  # shown as failed or refused, yet on the server
    stuck: int = 0  # still "sending"/"queued" when the run ended
    server_requests: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _numbers(sandbox: Sandbox, count: int) -> list[str]:
    taken = {c.phone_number for c in sandbox.state.contacts.values()}
    numbers = (f"+1650253{index:04d}" for index in range(10_000))
    return [n for n in numbers if n not in taken][:count]


def _copies(sandbox: Sandbox, text: str) -> Counter[str]:
    return Counter(m.phone_number for m in list(sandbox.state.messages)
                   if m.direction == "outgoing" and m.message == text)


def _scheduled(sandbox: Sandbox, text: str) -> Counter[str]:
    return Counter(r.phone_number for r in list(sandbox.state.scheduled.values())
                   if r.message == text)


async def run_campaign(recipients: int, *, shape: str = "default", chaos_rate: float = 0.3,
                       schedule: bool = False, singles: int = 0, folder: Path | None = None,
                       budget: float = 600.0, every_kind_first: bool = False) -> CampaignFigures:
    """Send (or with ``schedule`` schedule) one campaign to ``recipients`` numbers under faults,
    plus ``singles`` texts scheduled one by one the way the Scheduled screen does.

    ``every_kind_first``: the first requests get one fault of each kind, in order (a short run
    is then sure to meet every kind; the random ones at ``chaos_rate`` follow)."""
    folder = folder or Path(tempfile.mkdtemp(prefix="smsdesk-campaign-faults-"))
    kind = "scheduled" if schedule else "campaign"
    figures = CampaignFigures(kind=kind, shape=shape, chaos_rate=chaos_rate)
    text = TEXT.format(kind=kind, shape=shape)
    sandbox = chaos_sandbox(shape, chaos_rate, inbound_per_minute=0.0)
    if every_kind_first:
        sandbox.chaos.force(*FAULT_KINDS)
    started = time.monotonic()
    with serve_in_thread(sandbox, background=True) as url:
        client = fast_client(sandbox, url)
        store = AsyncStore(open_store(folder / "campaign.db"))
        outbox = Outbox(client, store)
        profile = Profile(base_url=f"{url}/v1", quiet_hours=ALL_DAY)
        campaigns = Campaigns(client, store, profile, outbox)
        numbers = _numbers(sandbox, recipients + singles)
        mass, one_by_one = numbers[:recipients], numbers[recipients:]
        figures.recipients = len(numbers)
        at = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
        plan = await campaigns.plan(text, await campaigns.from_numbers("\n".join(mass)),
                                    at=at if schedule else None)
        send = await campaigns.start_send(plan, name=f"faults {kind}",
                                          choice="schedule_all" if schedule else "send_rest")
        requests = await store.campaign_requests(send.id)
        figures.requests_planned = len(requests)
        sender = asyncio.create_task(outbox.run())
        with contextlib.suppress(TimeoutError):  # what is unfinished counts as stuck below
            await asyncio.wait_for(campaigns.run_send(send.id), budget)
        single_outcomes = [await _schedule_one(store, client_texts(client, store), phone, text,
                                               at) for phone in one_by_one]
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
        # Outcomes first, then the server's record (the server applies before it answers).
        items = {i.key: i for i in await store.list_outbox(campaign_ref=send.id,
                                                           limit=1_000_000)}
        requests = await store.campaign_requests(send.id)
        copies = _scheduled(sandbox, text) if schedule else _copies(sandbox, text)
        figures.server_requests = sandbox.chaos.requests
        figures.faults = dict(sandbox.chaos.counts)
        shown: dict[str, str] = {}
        if schedule:
            for request in requests:
                state = request.state if request.state in SETTLED else "stuck"
                shown[request.phones[0]] = state
        else:
            for request in requests:
                item = items.get(request.key)
                for phone in request.phones:
                    shown[phone] = _seen_in_batch(item, phone)
        _count(figures, shown, copies)
        _count(figures, dict(zip(one_by_one, single_outcomes, strict=True)),
               _scheduled(sandbox, text))
        await client.aclose()
        await store.close()
    figures.seconds = round(time.monotonic() - started, 1)
    return figures


def client_texts(client: object, store: AsyncStore) -> ScheduledTexts:
    return ScheduledTexts(client, store, window=ALL_DAY.window)  # type: ignore[arg-type]


async def _schedule_one(store: AsyncStore, texts: ScheduledTexts, phone: str, text: str,
                        at: datetime) -> str:
    """One text through the Scheduled dialog's call; what the dialog would tell the person."""
    try:
        await texts.create(phone, text, at)
    except ScheduleMaybeSaved:
        return "unclear"
    except ScheduleRefused:
        return "failed"
    except Exception:  # an ApiError the dialog shows as its problem: "not scheduled"
        return "failed"
    return "sent"


def _seen_in_batch(item: object, phone: str) -> str:
    """What the campaign report says about one recipient of a batch."""
    from tui.store import OutboxItem

    if not isinstance(item, OutboxItem):
        return "stuck"  # never handed to the outbox
    if item.state not in SETTLED:
        return "stuck"
    recipient = item.recipients.get(phone)
    if item.state == "sent" and recipient is not None:
        return {"sent": "sent", "refused": "refused"}.get(recipient.state, "failed")
    if item.is_unclear:
        return "unclear" if recipient is None or recipient.state != "sent" else "sent"
    return "failed"


def _count(figures: CampaignFigures, shown: dict[str, str], copies: Counter[str]) -> None:
    for phone, state in shown.items():
        on_server = copies.get(phone, 0)
        figures.duplicates += max(0, on_server - 1)
        figures.texted_once += on_server == 1
        if state == "sent":
            figures.sent += 1
            figures.lost += on_server == 0
        elif state in ("failed", "refused", "cancelled"):
            figures.failed += state != "refused"
            figures.refused += state == "refused"
            figures.failed_but_sent += on_server > 0
        elif state == "unclear":
            figures.unclear += 1
        else:
            figures.stuck += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=500)
    parser.add_argument("--singles", type=int, default=0)
    parser.add_argument("--shape", default="default")
    parser.add_argument("--chaos", type=float, default=0.3)
    parser.add_argument("--schedule", action="store_true")
    args = parser.parse_args()
    figures = asyncio.run(run_campaign(args.recipients, shape=args.shape, chaos_rate=args.chaos,
                                       schedule=args.schedule, singles=args.singles))
    print(json.dumps(asdict(figures), indent=2))


if __name__ == "__main__":
    main()
