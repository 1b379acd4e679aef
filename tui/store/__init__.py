"""The local database of one profile: cache, outbox, drafts, saved replies (stdlib sqlite3).

``open_store(path, recover=...)`` gives a sync ``Store``; the UI wraps it in ``AsyncStore``.
"""

from tui.store.async_store import AsyncStore
from tui.store.db import StoreError
from tui.store.outbox import KEEP
from tui.store.records import (
    Conversation,
    OutboxItem,
    ReceivedEvent,
    Recipient,
    SavedReply,
    SaveResult,
    StoredContact,
    StoredGroup,
    StoredLookup,
    StoredMessage,
)
from tui.store.store import Store, open_store

__all__ = [
    "KEEP",
    "AsyncStore",
    "Conversation",
    "OutboxItem",
    "ReceivedEvent",
    "Recipient",
    "SaveResult",
    "SavedReply",
    "Store",
    "StoreError",
    "StoredContact",
    "StoredGroup",
    "StoredLookup",
    "StoredMessage",
    "open_store",
]
