"""kill -9 at random moments during replies, a campaign send, a contacts sync, a CSV import and
texts scheduled one by one.

The fast variant (6 kills over all five jobs, about a minute) runs in CI; ``SMSDESK_LONG=1``
runs 60 kills on a bigger account. The same campaign prints its figures with
``python -m tests.reliability.crash_kit --kills 60``. See tests/reliability/crash_kit.py.
"""

from __future__ import annotations

import os

from tests.reliability.crash_kit import run_campaign

LONG = os.environ.get("SMSDESK_LONG") == "1"


def test_kill_9_at_random_moments_never_sends_twice_loses_nothing_and_resumes() -> None:
    if LONG:
        figures = run_campaign(60, seed=2, contacts=1000, group_size=250, texts_per_round=5,
                               jobs=("replies", "campaign", "sync", "import", "schedule"))
    else:
        figures = run_campaign(6, seed=1, contacts=150, group_size=150, texts_per_round=3,
                               jobs=("replies", "campaign", "sync", "import", "schedule"))
    print("\n".join(figures.lines()))
    assert figures.problems == []
    assert figures.kills >= (60 if LONG else 6)
    assert figures.duplicates == 0 and figures.lost == 0 and figures.failed_but_sent == 0
    assert figures.integrity_ok == figures.integrity_checks == figures.rounds
    assert figures.drafts_ok == figures.drafts_checks == figures.rounds
    assert figures.syncs_resumed == figures.syncs_cut
    assert figures.rows_rejected_on_rerun == 0
