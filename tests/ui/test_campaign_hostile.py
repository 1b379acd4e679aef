"""Hostile names and texts in the composer's panels, the quiet-hours rows and the report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.safety.hostile import HOSTILE, readable_core, terminal_leaks
from tui.safe_text import shown
from tui.services.audience import Audience, Recipient
from tui.services.campaign_plan import plan_campaign
from tui.services.campaign_report import SendReport
from tui.store import StoredContact
from tui.widgets.campaign_panels import cost_content, preview_content, problems_content

NIGHT = datetime(2026, 3, 15, 4, 0, tzinfo=UTC)  # 23:00 in Chicago


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_name_and_text_are_shown_literally_and_never_parsed(name: str) -> None:
    value = HOSTILE[name]
    person = Recipient("+13125550178", StoredContact(id="c1", phone="+13125550178",
                                                     first_name=value, last_name="Raman"))
    template = "Hi {first_name}! " + value.replace("{", "{{").replace("}", "}}") + \
        " Reply STOP to opt out."
    plan = plan_campaign(template, Audience((person,), source=value), at=NIGHT)
    preview = preview_content(plan, 0).plain
    core = readable_core(value)
    if core:
        assert core in preview
    cost_content(plan)
    problems_content(plan)
    assert plan.held and plan.blocked is None
    report = SendReport(send_id="s", name=value, state="done", recipients=1, created_at=NIGHT,
                        finished_at=NIGHT, refused=(("+13125550178", value),))
    printed = "\n".join(shown(line, single_line=True) for line in report.lines())
    assert terminal_leaks(printed, {name: value}) == []
