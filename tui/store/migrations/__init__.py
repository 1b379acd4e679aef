"""The numbered schema migrations: ``MIGRATIONS[n - 1]`` brings a database to version ``n``.

Append only: a released migration is never edited, a change is a new number.
"""

from __future__ import annotations

from typing import Final

from tui.store.migrations import (
    m001_initial,
    m002_outbox_batches,
    m003_inbox_triage,
    m004_events,
    m005_campaign_sends,
    m006_contact_browser,
    m007_lookups_group_sort,
    m008_scheduled_intents,
)

MIGRATIONS: Final[tuple[str, ...]] = (
    m001_initial.SQL, m002_outbox_batches.SQL, m003_inbox_triage.SQL, m004_events.SQL,
    m005_campaign_sends.SQL, m006_contact_browser.SQL, m007_lookups_group_sort.SQL,
    m008_scheduled_intents.SQL,
)

SCHEMA_VERSION: Final = len(MIGRATIONS)
