"""The kill -9 campaign's scheduled-texts job: texts scheduled one by one (the Scheduled dialog's
path, ``ScheduledTexts.create``), the process killed, run again; each text must be scheduled on
the server exactly once, or shown as not settled and absent. Used by ``crash_kit``.
"""

from __future__ import annotations

import collections
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.reliability.crash_kit import Bench


def schedule_round(bench: Bench, number: int, texts: int) -> None:
    """Texts scheduled one by one (the Scheduled dialog's path), killed, run again."""
    local = datetime.now(ZoneInfo("America/Los_Angeles"))  # the 650 numbers' time
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=1)
    plan = [(bench.numbers[(number * texts + i) % len(bench.numbers)],
             f"crash schedule {number}.{i}: see you",
             (noon + timedelta(minutes=number)).astimezone(UTC).isoformat())
            for i in range(texts)]
    bench.driver_round("schedule", number, plan, 0.5 + texts * 1.1)
    check_scheduled(bench, [(p, t) for p, t, _ in plan])


def check_scheduled(bench: Bench, intended: list[tuple[str, str]]) -> None:
        """Each (phone, text) scheduled exactly once on the server, or shown as not settled
        (maybe / not scheduled) and absent."""
        on_server = collections.Counter(
            (p, t) for p, t in bench.http.get("/_crash/scheduled").json())
        with bench.reading() as conn:
            noted = {(p, t): s for p, t, s in conn.execute(
                "SELECT phone, message, state FROM scheduled_intents")}
        told = bench.steps.read_text(encoding="utf-8")
        bench.figures.texts_intended += len(intended)
        bench.figures.scheduled_intended += len(intended)
        for number, wanted in enumerate(intended):
            count = on_server[wanted]
            shown = noted.get(wanted)
            if count > 1:
                bench.figures.duplicates += 1
                bench.problem(f"scheduled {count} times: {wanted}")
            elif count == 0 and (shown in ("unclear", "failed")
                                 or f"schedule: refused {number}" in told):
                bench.figures.visibly_not_sent += 1
            elif count == 0:
                bench.figures.lost += 1
                bench.problem(f"lost (not scheduled on the server, store says {shown}): {wanted}")
            elif shown == "failed":
                bench.figures.failed_but_sent += 1
                bench.problem(f"shown as not scheduled but on the server: {wanted}")




def schedule_phase(bench: Bench, number: int) -> str:
    """Where a kill during text ``number`` landed: before it was written down, written down
    and not on the server yet, or on the server with its answer not yet read."""
    plan = json.loads(max(bench.home.glob("schedule-*.json"),
                          key=lambda p: p.stat().st_mtime).read_text(encoding="utf-8"))
    phone, text, _ = plan[number]
    with bench.reading() as conn:
        row = conn.execute("SELECT state FROM scheduled_intents WHERE phone = ? AND message = ?",
                           (phone, text)).fetchone()
    on_server = [phone, text] in bench.http.get("/_crash/scheduled").json()
    if row is None:
        return "schedule: before it was written down"
    if row[0] == "saving":
        return ("schedule: on the server, answer not read" if on_server
                else "schedule: written down, not on the server yet")
    return f"schedule: {row[0]}, not yet shown"
