"""The send report: who was texted, scheduled, held, refused (with reasons) or not sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.store import OutboxItem
from tui.store.campaign_sends import CampaignRequest, CampaignSend


@dataclass(frozen=True)
class SendReport:
    """What happened to every recipient of one send; stored, so it can be shown again later."""

    send_id: str
    name: str
    state: str  # sending | cancelled | done
    recipients: int
    created_at: datetime
    finished_at: datetime | None
    sent: int = 0
    requests: int = 0  # requests that went out (a batch of up to 100 numbers counts once)
    scheduled: tuple[tuple[str, datetime], ...] = ()
    held: tuple[tuple[str, str], ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    unclear: tuple[tuple[str, str], ...] = ()  # maybe sent: the person decides in the outbox
    not_sent: tuple[str, ...] = ()  # cancelled before their request left
    template: str = ""
    audience: str = ""
    attempts: int = 0  # POSTs that may have reached the server, retries included
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Everyone who could be texted was texted or scheduled."""
        return (self.state == "done" and not self.failed and not self.not_sent
                and not self.unclear)

    def lines(self) -> list[str]:
        """The report as plain lines (foreign text inside: show it through plain())."""
        head = f"{self.name}: {self.state}"
        out = [
            head,
            f"Sent: {self.sent} of {self.recipients} recipients in {self.requests} "
            f"request{'s' if self.requests != 1 else ''}",
        ]
        if self.scheduled:
            first = min(at for _, at in self.scheduled)
            out.append(f"Held for quiet hours and scheduled: {len(self.scheduled)} "
                       f"(first at {first:%Y-%m-%d %H:%M %Z})")
        if self.held:
            out.append(f"Held for quiet hours, not sent: {len(self.held)}")
        if self.refused:
            out.append(f"Refused: {len(self.refused)}")
            out += [f"  · {phone}: {why}" for phone, why in self.refused[:50]]
            if len(self.refused) > 50:
                out.append(f"  … and {len(self.refused) - 50} more")
        if self.failed:
            out.append(f"Failed: {len(self.failed)}")
            out += [f"  · {phone}: {why}" for phone, why in self.failed[:20]]
        if self.unclear:
            out.append(f"Unclear (maybe sent; check, then decide in the outbox): "
                       f"{len(self.unclear)}")
            out += [f"  · {phone}: {why}" for phone, why in self.unclear[:10]]
        if self.not_sent:
            out.append(f"Cancelled before sending: {len(self.not_sent)}")
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "send_id": self.send_id, "name": self.name, "state": self.state,
            "recipients": self.recipients, "sent": self.sent, "requests": self.requests,
            "attempts": self.attempts,
            "scheduled": [{"phone_number": p, "send_at": at.isoformat()}
                          for p, at in self.scheduled],
            "held": [{"phone_number": p, "reason": r} for p, r in self.held],
            "refused": [{"phone_number": p, "reason": r} for p, r in self.refused],
            "failed": [{"phone_number": p, "reason": r} for p, r in self.failed],
            "unclear": [{"phone_number": p, "reason": r} for p, r in self.unclear],
            "cancelled": list(self.not_sent),
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


def build_report(send: CampaignSend, requests: Sequence[CampaignRequest],
                 items: Mapping[str, OutboxItem]) -> SendReport:
    """The report from the send's requests and their outbox items (what became of each number)."""
    sent = used = 0
    scheduled: list[tuple[str, datetime]] = []
    refused: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    unclear: list[tuple[str, str]] = []
    not_sent: list[str] = []
    for request in requests:
        item = items.get(request.key)
        if request.kind == "batch" and item is not None:
            used += 1 if item.attempts else 0
            for phone in request.phones:
                outcome = item.recipients.get(phone)
                if outcome is not None and outcome.state == "sent":
                    sent += 1
                elif outcome is not None:
                    target = refused if outcome.state == "refused" else failed
                    target.append((phone, outcome.reason or outcome.state))
                elif item.state == "unclear":
                    unclear.append((phone, item.last_error or "maybe sent"))
                elif item.state in ("failed", "cancelled"):
                    failed.append((phone, item.last_error or "not sent"))
                else:
                    not_sent.append(phone)
            continue
        if request.state == "sent" and request.kind == "schedule" and request.send_at:
            used += 1
            scheduled += [(p, request.send_at) for p in request.phones]
        elif request.state == "failed":
            failed += [(p, request.last_error or "not sent") for p in request.phones]
        else:
            not_sent += list(request.phones)
    held = [(p, why) for p, kind, why in send.skipped if kind == "held"]
    refused += [(p, why) for p, kind, why in send.skipped if kind != "held"]
    return SendReport(
        send_id=send.id, name=send.name, state=send.state, recipients=send.recipients,
        created_at=send.created_at, finished_at=send.finished_at, sent=sent, requests=used,
        scheduled=tuple(scheduled), held=tuple(held), refused=tuple(refused),
        failed=tuple(failed), unclear=tuple(unclear), not_sent=tuple(not_sent),
        template=send.template, audience=send.audience,
        attempts=sum(items[r.key].attempts if r.key in items else r.attempts for r in requests),
    )
