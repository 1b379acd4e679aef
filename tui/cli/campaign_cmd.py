"""``smsdesk campaign send|resume``: a campaign from the shell, with the composer's checks."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.headless import emit_json, fail, headless

if TYPE_CHECKING:
    from tui.desk import Desk, Services
    from tui.services.audience import Audience
    from tui.services.campaign_plan import CampaignPlan
    from tui.services.campaign_report import SendReport
    from tui.services.campaign_send import SendProgress
    from tui.services.campaigns import Campaigns

QUIET = {"hold": "hold", "schedule": "send_rest", "ignore": "ignore"}
SYNC_ATTEMPTS = 8


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    campaign = subparsers.add_parser("campaign", help="send a campaign, resume one cut off",
                                     description="Campaigns from the shell.")
    verbs = campaign.add_subparsers(title="commands", metavar="COMMAND",
                                    parser_class=type(campaign))
    send = verbs.add_parser(
        "send", help="send one message to groups or a list of numbers",
        description="Checks the audience (unsubscribed and duplicate numbers left out), merge "
                    "fields, opt-out wording and quiet hours, shows the cost, then sends in "
                    "batches of up to 100 numbers, each posted exactly once. Without --yes it "
                    "asks first. The report goes to stdout.")
    who = send.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", action="append", metavar="NAME",
                     help="a group by name (repeat for more)")
    who.add_argument("--numbers", type=Path, metavar="FILE",
                     help="a file of numbers, one per line (a CSV works: numbers are found)")
    send.add_argument("--message", required=True, metavar="TEXT",
                      help="the text; {first_name} and other merge fields are filled per "
                           "recipient")
    send.add_argument("--name", default="", help="a name for the report (default: the date)")
    send.add_argument("--at", metavar="TIME",
                      help="schedule for TIME (ISO 8601) instead of sending now")
    send.add_argument("--quiet-hours", choices=tuple(QUIET),
                      help="recipients in quiet hours: hold (leave out), schedule (for their "
                           "next allowed time) or ignore (send anyway). Needed when any are.")
    send.add_argument("--allow-no-opt-out", action="store_true",
                      help="send even though the text has no opt-out wording (Reply STOP...)")
    send.add_argument("--no-sync", action="store_true",
                      help="use the local copy of contacts and groups as it is")
    send.add_argument("--yes", action="store_true", help="send without asking")
    send.add_argument("--json", action="store_true", help="print the report as JSON")
    send.set_defaults(func=lambda a: asyncio.run(_send(a)))
    resume = verbs.add_parser("resume", help="finish sends that were cut off",
                              description="Finish every send a Ctrl+C, kill or lost network "
                                          "left unfinished; nobody is texted twice.")
    resume.add_argument("--json", action="store_true", help="print the reports as JSON")
    resume.set_defaults(func=lambda a: asyncio.run(_resume(a)))
    campaign.set_defaults(func=lambda _a: _usage(campaign))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _campaigns(desk: Desk, services: Services, *, quiet: bool) -> Campaigns:
    from tui.services.campaigns import Campaigns

    return Campaigns(services.client, desk.store, desk.profile, services.outbox,
                     on_progress=None if quiet else _progress_line)


def _progress_line(progress: SendProgress) -> None:
    """One line rewritten in place on a terminal; a line per 10 requests into a file."""
    line = (f"{progress.done}/{progress.total} requests, {progress.sent} sent, "
            f"~{progress.eta_seconds:.0f} s left")
    if sys.stderr.isatty():
        note = f" ({progress.note[:60]})" if progress.note else ""
        end = "\n" if progress.finished else ""
        print(f"\r{line}{note}\x1b[K", end=end, file=sys.stderr, flush=True)
    elif progress.finished or progress.done % 10 == 0:
        print(line, file=sys.stderr, flush=True)


async def _audience(args: argparse.Namespace, desk: Desk, campaigns: Campaigns
                    ) -> Audience | str:
    if args.numbers is not None:
        try:
            text = args.numbers.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            return f"cannot read {args.numbers}: {exc}"
        return await campaigns.from_numbers(text)
    groups = await desk.store.list_groups()
    by_name = {g.name.casefold(): g for g in groups}
    wanted = [by_name.get(name.casefold()) for name in args.group]
    missing = [n for n, g in zip(args.group, wanted, strict=True) if g is None]
    if missing:
        known = ", ".join(g.name for g in groups[:20]) or "none synced"
        return f"no group named {', '.join(map(repr, missing))} (known: {known})"
    chosen = [g for g in wanted if g is not None]
    return await campaigns.from_groups([g.id for g in chosen], [g.name for g in chosen])


def _check(plan: CampaignPlan, args: argparse.Namespace) -> str | None:
    """The one-line reason the send is blocked, or None."""
    blocked = plan.blocked
    if blocked:
        who = ", ".join(u.recipient.title for u in plan.unresolved[:10])
        return f"{blocked} Affected: {who}" if plan.unresolved else blocked
    if not plan.has_opt_out and not args.allow_no_opt_out:
        return ("the text has no opt-out wording; add 'Reply STOP to opt out.' or pass "
                "--allow-no-opt-out")
    if plan.held and args.quiet_hours is None and args.at is None:
        first = min(h.until for h in plan.held)
        return (f"{len(plan.held)} recipients are in quiet hours now (first allowed at "
                f"{first:%Y-%m-%d %H:%M %Z}); choose --quiet-hours hold|schedule|ignore")
    return None


def _summary(plan: CampaignPlan, choice: str) -> list[str]:
    from tui.safe_text import shown
    from tui.services.campaign_plan import describe_eta

    requests = plan.request_count(choice)  # type: ignore[arg-type]
    lines = [f"Audience: {plan.audience.summary()}"]
    for recipient, text in plan.sendable()[:3]:
        lines.append(f"  {shown(recipient.title, single_line=True)}: "
                     f"{shown(text, single_line=True, limit=100)[:100]}")
    longest = plan.longest
    lines.append(f"Segments: {plan.total_segments} in all; longest message "
                 f"{longest.segments if longest else 0} segment(s) "
                 f"({longest.encoding if longest else '-'})")
    lines.append(f"Cost: {plan.cost:.2f} at {plan.price_per_segment:g} per segment")
    lines.append(f"Requests: {requests}, {describe_eta(requests)} at the rate limit")
    if plan.held:
        lines.append(f"Quiet hours: {len(plan.held)} held")
    for invalid in plan.audience.invalid[:10]:
        lines.append(f"  invalid: {shown(invalid.text, single_line=True)}: {invalid.reason}")
    return lines


def _print_report(report: SendReport, as_json: bool) -> None:
    from tui.safe_text import shown

    if as_json:
        emit_json(report.as_json())
    else:
        for line in report.lines():
            print(shown(line, single_line=True))


async def _send(args: argparse.Namespace) -> int:
    from tui.api.errors import ApiError
    from tui.services.outbox import SendRefused
    from tui.services.scheduled import ScheduleRefused, campaign_time
    from tui.services.sync import ContactSync

    async with headless(args) as (desk, services):
        campaigns = _campaigns(desk, services, quiet=args.json)
        if not args.no_sync:
            print("Updating contacts and groups…", file=sys.stderr, flush=True)
            sync = ContactSync(services.client, desk.store)
            for attempt in range(SYNC_ATTEMPTS):
                try:
                    await sync.sync_all()  # a pass cut off resumes at the page it reached
                    break
                except ApiError as exc:
                    if attempt == SYNC_ATTEMPTS - 1:
                        return fail("campaign send", f"could not update contacts: {exc}")
                    await asyncio.sleep(min(8.0, 0.5 * 2**attempt))
        audience = await _audience(args, desk, campaigns)
        if isinstance(audience, str):
            return fail("campaign send", audience)
        at = None
        if args.at is not None:
            try:
                at = campaign_time(args.at, desk.now())
            except ScheduleRefused as exc:
                return fail("campaign send", str(exc))
        plan = await campaigns.plan(args.message, audience, at=at)
        reason = _check(plan, args)
        if reason:
            return fail("campaign send", reason)
        choice = "schedule_all" if at is not None else QUIET.get(args.quiet_hours or "", "hold")
        for line in _summary(plan, choice):
            print(line, file=sys.stderr)
        if not args.yes:
            if not sys.stdin.isatty():
                return fail("campaign send", "not confirmed; pass --yes to send without asking")
            if input("Send now? [y/N] ").strip().lower() not in ("y", "yes"):
                return fail("campaign send", "cancelled, nothing was sent")
        name = args.name or f"Campaign {desk.now():%Y-%m-%d %H:%M}"
        try:
            send = await campaigns.start_send(plan, name=name, choice=choice)  # type: ignore[arg-type]
        except SendRefused as exc:
            return fail("campaign send", str(exc))
        try:
            report = await campaigns.run_send(send.id)
        except asyncio.CancelledError:
            print("\nStopped. Run 'smsdesk campaign resume' to finish; nobody is texted twice.",
                  file=sys.stderr)
            raise
        _print_report(report, args.json)
        return 0 if report.ok else 1


async def _resume(args: argparse.Namespace) -> int:
    async with headless(args) as (desk, services):
        campaigns = _campaigns(desk, services, quiet=args.json)
        reports = await campaigns.resume()
    if not reports:
        print("Nothing to resume.", file=sys.stderr)
    if args.json:
        emit_json([r.as_json() for r in reports])
    else:
        for report in reports:
            _print_report(report, False)
    return 0 if all(r.ok for r in reports) else 1
