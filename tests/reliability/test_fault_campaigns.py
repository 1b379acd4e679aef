"""Exactly once under every fault, for campaigns and scheduled sends: the real campaign send
service and the Scheduled section's service against the sandbox on a real socket with every
chaos kind at 30 %, in both response shapes, checked recipient by recipient on the server.

Fast here (400 recipients, 20 scheduled + 3 single scheduled texts per shape, every fault kind
forced once first); ``SMSDESK_LONG=1`` runs 5,000 recipients and 500 + 50 scheduled texts.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.reliability.campaign_harness import CampaignFigures, run_campaign
from tui.sandbox.config import FAULT_KINDS

LONG = os.environ.get("SMSDESK_LONG") == "1"
RECIPIENTS = 5000 if LONG else 400
SCHEDULED, SINGLES = (500, 50) if LONG else (20, 3)


def _kept_every_promise(figures: CampaignFigures, expected: int) -> None:
    print(json.dumps(asdict(figures)))
    assert figures.recipients == expected
    assert set(figures.faults) == set(FAULT_KINDS)  # every kind was met
    assert figures.duplicates == 0
    assert figures.lost == 0
    assert figures.failed_but_sent == 0
    assert figures.stuck == 0
    # Each recipient is on the server exactly once, except those the person is told failed
    # (proven not sent) or is asked about ("maybe sent": never resent on its own).
    assert figures.texted_once == expected - figures.failed - figures.refused - figures.unclear
    assert figures.sent >= expected * 0.9


@pytest.mark.parametrize("shape", ["default", "php"])
async def test_a_campaign_texts_every_recipient_exactly_once_under_faults(
    shape: str, tmp_path: Path,
) -> None:
    figures = await run_campaign(RECIPIENTS, shape=shape, folder=tmp_path,
                                 every_kind_first=not LONG)
    _kept_every_promise(figures, RECIPIENTS)


@pytest.mark.parametrize("shape", ["default", "php"])
async def test_scheduled_texts_are_saved_exactly_once_under_faults(
    shape: str, tmp_path: Path,
) -> None:
    figures = await run_campaign(SCHEDULED, shape=shape, folder=tmp_path, schedule=True,
                                 singles=SINGLES, every_kind_first=not LONG)
    _kept_every_promise(figures, SCHEDULED + SINGLES)
