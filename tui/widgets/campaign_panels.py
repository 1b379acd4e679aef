"""What the composer shows beside the text: one recipient's preview, the cost, the problems."""

from __future__ import annotations

import re

from textual.content import Content

from tui.services.campaign_plan import CampaignPlan, describe_eta, local_time
from tui.sms.merge import preview
from tui.widgets.plain import plain

MISSING_STYLE = "bold reverse $error"


def preview_content(plan: CampaignPlan | None, index: int) -> Content:
    """Recipient ``index`` of the plan with the text they would get; gaps highlighted."""
    if plan is None or not plan.recipients:
        return Content.styled("Choose an audience to preview the message for real recipients.",
                              "dim")
    index %= len(plan.recipients)
    recipient = plan.recipients[index]
    rendered = preview(plan.template, recipient.merge_source()) if not plan.template_error \
        else None
    there = local_time(recipient.phone, plan.at)
    head = Content.assemble(
        (f"Preview {index + 1} of {len(plan.recipients)}", "bold"),
        ("   F8/F9 or [ ] for others", "dim"), "\n",
        plain(recipient.title, single_line=True, limit=40), f"  {recipient.phone}",
        (f"  their time {there}" if there else "", "dim"), "\n",
    )
    if rendered is None:
        return Content.assemble(head, "\n", Content.styled(plan.template_error or "", "$error"))
    body = _highlight(rendered.text, rendered.missing)
    parts: list[Content | str] = [head, "\n", body]
    if rendered.missing:
        names = ", ".join("{" + f + "}" for f in rendered.missing)
        parts += ["\n", Content.styled(f"No value for {names}", "$error")]
    if recipient.phone in plan.held_phones:
        held = next(h for h in plan.held if h.recipient.phone == recipient.phone)
        parts += ["\n", Content.styled(
            f"Quiet hours there: held until {held.until.astimezone():%a %H:%M} your time",
            "$warning")]
    return Content.assemble(*parts)


def _highlight(text: str, missing: tuple[str, ...]) -> Content:
    shown = plain(text)
    if not missing:
        return shown
    names = "|".join(re.escape(n) for n in missing)
    for match in re.finditer(r"\{(?:" + names + r")(?:\|[^{}]*)?\}", shown.plain):
        shown = shown.stylize(MISSING_STYLE, match.start(), match.end())
    return shown


def cost_content(plan: CampaignPlan | None) -> Content:
    if plan is None:
        return Content.styled("Cost appears once there is an audience and a text.", "dim")
    longest = plan.longest
    requests = plan.request_count("send_rest") if not plan.blocked else 0
    lines = [
        Content.assemble(("Recipients ", "dim"), str(plan.audience.count)),
        Content.assemble(("Segments   ", "dim"), f"{plan.total_segments} in all"),
        Content.assemble(("Longest    ", "dim"),
                         f"{longest.segments} segment{'s' if longest.segments != 1 else ''}"
                         f" ({longest.encoding}, {longest.characters} chars)" if longest else "-"),
        Content.assemble(("Cost       ", "dim"),
                         f"{plan.cost:.2f} at {plan.price_per_segment:g} per segment"),
        Content.assemble(("Requests   ", "dim"),
                         f"{requests}, {describe_eta(requests)} at 1/s" if requests else "-"),
    ]
    if plan.held:
        lines.append(Content.styled(f"Quiet hours: {len(plan.held)} held at send time",
                                    "$warning"))
    return Content("\n").join(lines)


def problems_content(plan: CampaignPlan | None) -> Content:
    """What stops or should worry the sender: blocks in red, warnings in yellow."""
    if plan is None:
        return Content("")
    lines: list[Content] = []
    blocked = plan.blocked
    if blocked:
        lines.append(Content.styled(blocked, "$error"))
        for item in plan.unresolved[:8]:
            lines.append(Content.assemble(
                "  ", plain(item.recipient.title, single_line=True, limit=30),
                f" {item.recipient.phone}: ",
                ", ".join("{" + f + "}" for f in item.fields)))
        if len(plan.unresolved) > 8:
            lines.append(Content(f"  … and {len(plan.unresolved) - 8} more"))
    if plan.template.strip() and not plan.has_opt_out:
        lines.append(Content.styled(
            "No opt-out wording: add \"Reply STOP to opt out.\" (ctrl+o adds it)", "$warning"))
    audience = plan.audience
    for invalid in audience.invalid[:5]:
        lines.append(Content.assemble(("Invalid: ", "$warning"),
                                      plain(invalid.text, single_line=True, limit=30),
                                      f" — {invalid.reason}"))
    if len(audience.invalid) > 5:
        lines.append(Content(f"… and {len(audience.invalid) - 5} more invalid numbers"))
    for recipient, why in plan.no_window[:3]:
        lines.append(Content.assemble(("Not sent: ", "$warning"), f"{recipient.phone} — ",
                                      plain(why)))
    return Content("\n").join(lines)
