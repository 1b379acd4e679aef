"""``Store``: the synchronous local database of one profile (worker thread, scripts, tests)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tui.store.campaign_sends import CampaignSendQueries
from tui.store.contacts import ContactQueries
from tui.store.conversations import ConversationQueries
from tui.store.db import Database, open_database
from tui.store.event_effects import EventEffectQueries
from tui.store.events import EventQueries
from tui.store.local import LocalQueries
from tui.store.marks import MarkQueries
from tui.store.outbox import OutboxQueries
from tui.store.quick_read import QuickReader


class Store(
    ConversationQueries, MarkQueries, ContactQueries, OutboxQueries, LocalQueries,
    EventQueries, EventEffectQueries, CampaignSendQueries,
):
    """All queries of the local database. Not for the UI loop: wrap it in ``AsyncStore``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.quick = QuickReader(db.path)  # same-frame reads for the screen (search)

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def notice(self) -> str | None:
        """Set when opening had to start a fresh database (show it to the person once)."""
        return self.db.notice

    @property
    def schema_version(self) -> int:
        return self.db.schema_version

    def close(self) -> None:
        self.quick.close()
        self.db.close()


def open_store(
    path: Path | str, *, recover: bool = False, now: datetime | None = None,
    lock: bool = False, profile: str | None = None,
) -> Store:
    """Open (creating and migrating as needed) the database at ``path``.

    Raises ``StoreError`` with a sentence for the person when the file is damaged (unless
    ``recover``: then it is moved aside and ``Store.notice`` says so) or from a newer smsdesk.
    ``lock=True`` refuses a second smsdesk on the same profile (``tui.store.profile_lock``).
    """
    return Store(open_database(Path(path), recover=recover, now=now, lock=lock,
                               profile=profile))
