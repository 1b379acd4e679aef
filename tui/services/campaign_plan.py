"""What a campaign will do before it does it: each recipient's text, cost, quiet hours, requests.

Pure and synchronous (it runs on a worker thread for big lists): the rules themselves live in
``tui.sms`` (merge fields, segments, quiet hours, opt-out wording); this module applies them to
an audience and turns the result into the requests the send will post.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any, Final, Literal

from tui.api.limits import MAX_MESSAGE_BATCH
from tui.services.audience import Audience, Recipient
from tui.sms.compliance import NoSendWindow, has_opt_out_language, next_allowed_send
from tui.sms.merge import MergeTemplateError, check_template, preview
from tui.sms.phones import timezone_names
from tui.sms.segments import SegmentInfo, analyze
from tui.sms.tcpa import CALLING_HOURS
from tui.store.campaign_sends import PlannedRequest

# The account allows one request per second on each route (seed: rate limiting).
SECONDS_PER_REQUEST: Final = 1.0

QuietChoice = Literal["send_rest", "hold", "schedule_all", "ignore"]
QUIET_CHOICES: Final[tuple[str, ...]] = ("send_rest", "hold", "schedule_all", "ignore")


@dataclass(frozen=True, slots=True)
class Held:
    """A recipient for whom it is outside the quiet-hours window when the send goes out."""

    recipient: Recipient
    until: datetime  # the next moment a text is allowed in every zone the number could be in


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A recipient whose text cannot be rendered: the merge fields they have no value for."""

    recipient: Recipient
    fields: tuple[str, ...]


@dataclass(frozen=True)
class CampaignPlan:
    """The campaign rendered for every recipient, with everything the composer shows."""

    template: str
    audience: Audience
    at: datetime
    texts: tuple[str | None, ...]  # per recipient; None when a merge field is missing
    unresolved: tuple[Unresolved, ...] = ()
    held: tuple[Held, ...] = ()
    no_window: tuple[tuple[Recipient, str], ...] = ()  # quiet hours cannot be checked: why
    total_segments: int = 0
    longest: SegmentInfo | None = None
    longest_index: int | None = None
    price_per_segment: float = 0.0
    has_opt_out: bool = False
    template_error: str | None = None
    held_phones: frozenset[str] = field(default_factory=frozenset)
    window: tuple[time, time] = CALLING_HOURS
    # len(requests(choice)) for each choice, counted where the plan is made (on a thread):
    # grouping 10k rendered texts on the UI loop cost a frame each time the cost was drawn.
    request_counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def recipients(self) -> tuple[Recipient, ...]:
        return self.audience.recipients

    @property
    def cost(self) -> float:
        return self.total_segments * self.price_per_segment

    @property
    def blocked(self) -> str | None:
        """Why nothing may be sent yet (None: it may), in one sentence."""
        if self.template_error:
            return self.template_error
        if not self.template.strip():
            return "The message is empty; write the text first."
        if not self.recipients:
            return "No recipients: choose groups, search contacts or paste numbers."
        if self.unresolved:
            n = len(self.unresolved)
            names = ", ".join("{" + f + "}" for f in self.missing_fields())
            return (f"{n} recipient{'s have' if n != 1 else ' has'} no value for {names}: "
                    "fill the field in, give a fallback like {first_name|there}, or leave "
                    "them out.")
        return None

    def missing_fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for u in self.unresolved for f in u.fields))

    def sendable(self) -> list[tuple[Recipient, str]]:
        """Recipients with a rendered text, in order."""
        return [(r, t) for r, t in zip(self.recipients, self.texts, strict=True) if t is not None]

    def requests(self, choice: QuietChoice = "send_rest") -> list[PlannedRequest]:
        """What the send posts. ``choice`` decides what happens to held recipients:
        ``send_rest`` schedules them for their next allowed time, ``hold`` leaves them out,
        ``schedule_all`` schedules everyone (at their next allowed time from ``at``), and
        ``ignore`` texts them now anyway (the person said so).
        """
        pairs = [(r, t) for r, t in self.sendable() if r.phone not in self._unreachable()]
        held = {h.recipient.phone: h.until for h in self.held}
        if choice == "schedule_all":
            return [PlannedRequest("schedule", t, (r.phone,), held.get(r.phone, self.at))
                    for r, t in pairs]
        now = [(r.phone, t) for r, t in pairs if choice == "ignore" or r.phone not in held]
        planned = batches(now)
        if choice == "send_rest":
            planned += [PlannedRequest("schedule", t, (r.phone,), held[r.phone])
                        for r, t in pairs if r.phone in held]
        return planned

    def skipped(self, choice: QuietChoice = "send_rest") -> list[tuple[str, str, str]]:
        """(phone, kind, why) for everyone the send leaves out; stored with the report."""
        out = [(u.recipient.phone, "refused",
                "no value for " + ", ".join("{" + f + "}" for f in u.fields))
               for u in self.unresolved]
        out += [(r.phone, "refused", why) for r, why in self.no_window]
        if choice == "hold":
            out += [(h.recipient.phone, "held", f"quiet hours until {h.until.isoformat()}")
                    for h in self.held]
        return out

    def _unreachable(self) -> set[str]:
        return {r.phone for r, _ in self.no_window}

    def request_count(self, choice: QuietChoice = "send_rest") -> int:
        """How many requests the send needs (counted once, when the plan was made)."""
        known = self.request_counts.get(choice)
        return known if known is not None else len(self.requests(choice))

    def eta_seconds(self, choice: QuietChoice = "send_rest") -> float:
        return self.request_count(choice) * SECONDS_PER_REQUEST


def batches(pairs: Sequence[tuple[str, str]]) -> list[PlannedRequest]:
    """Group (phone, text) by text, in order of first appearance; at most 100 numbers each."""
    by_text: dict[str, list[str]] = {}
    for phone, text in pairs:
        by_text.setdefault(text, []).append(phone)
    out: list[PlannedRequest] = []
    for text, phones in by_text.items():
        for start in range(0, len(phones), MAX_MESSAGE_BATCH):
            chunk = tuple(phones[start : start + MAX_MESSAGE_BATCH])
            out.append(PlannedRequest("batch", text, chunk))
    return out


def plan_campaign(
    template: str,
    audience: Audience,
    *,
    at: datetime,
    window: tuple[time, time] = CALLING_HOURS,
    price_per_segment: float = 0.0,
    extra: Mapping[str, Any] | None = None,
) -> CampaignPlan:
    """Render ``template`` for every recipient of ``audience`` as if sent at ``at``."""
    try:
        check_template(template)
    except MergeTemplateError as exc:
        return CampaignPlan(template, audience, at, (None,) * audience.count,
                            template_error=str(exc), price_per_segment=price_per_segment,
                            window=window)
    texts: list[str | None] = []
    unresolved: list[Unresolved] = []
    infos: dict[str, SegmentInfo] = {}
    total = 0
    longest: SegmentInfo | None = None
    longest_index: int | None = None
    for index, recipient in enumerate(audience.recipients):
        rendered = preview(template, recipient.merge_source(), extra=extra)
        if rendered.missing:
            unresolved.append(Unresolved(recipient, rendered.missing))
            texts.append(None)
            continue
        texts.append(rendered.text)
        info = infos.get(rendered.text)
        if info is None:
            info = infos[rendered.text] = analyze(rendered.text)
        total += info.segments
        if longest is None or (info.segments, info.units) > (longest.segments, longest.units):
            longest, longest_index = info, index
    held, no_window = quiet_hours(audience.recipients, at, window)
    plan = CampaignPlan(
        template, audience, at, tuple(texts), tuple(unresolved), tuple(held), tuple(no_window),
        total, longest, longest_index, price_per_segment, has_opt_out_language(template),
        held_phones=frozenset(h.recipient.phone for h in held), window=window,
    )
    if plan.blocked:
        return plan
    counts = {choice: len(plan.requests(choice)) for choice in QUIET_CHOICES}  # type: ignore[arg-type]
    return replace(plan, request_counts=counts)


def quiet_hours(
    recipients: Sequence[Recipient], at: datetime, window: tuple[time, time]
) -> tuple[list[Held], list[tuple[Recipient, str]]]:
    """Who is outside the window at ``at`` (with their next allowed time), and who cannot be
    checked at all. Numbers sharing their possible zones share the answer (computed once)."""
    answers: dict[tuple[str, ...], datetime | str] = {}
    held: list[Held] = []
    no_window: list[tuple[Recipient, str]] = []
    for recipient in recipients:
        zones = timezone_names(recipient.phone)
        answer = answers.get(zones)
        if answer is None:
            try:
                answer = next_allowed_send(recipient.phone, at, window)
            except NoSendWindow as exc:
                answer = str(exc)
            answers[zones] = answer
        if isinstance(answer, str):
            no_window.append((recipient, answer))
        elif answer > at:
            held.append(Held(recipient, answer))
    return held, no_window


def local_time(phone: str, at: datetime) -> str:
    """The recipient's clock at ``at`` ("23:00 America/Chicago"); for a number that could be in
    zones with different clocks, the earliest and latest ("06:30–09:00 (5 zones)"), which the
    quiet-hours check considers too; "" when nothing is known."""
    from tui.sms.phones import timezone_of, timezones_of

    zone = timezone_of(phone)
    if zone is not None:
        return f"{at.astimezone(zone):%H:%M} {zone.key}"
    zones = sorted(timezones_of(phone), key=lambda z: at.astimezone(z).utcoffset() or timedelta())
    if not zones:
        return ""
    first, last = (f"{at.astimezone(z):%H:%M}" for z in (zones[0], zones[-1]))
    return first if first == last else f"{first}–{last} ({len(zones)} zones)"


def describe_eta(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(1, round(seconds))} s"
    return f"about {round(seconds / 60)} min" if seconds < 5400 else \
        f"about {timedelta(seconds=round(seconds))}"
