"""The contacts and groups cache: mirroring pages from the server and instant local search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.store.db import Database
from tui.store.records import (
    StoredContact,
    StoredGroup,
    from_db_time,
    phone_digits,
    to_db_time,
)
from tui.store.search import Term, fts_phrase, like_contains, split_terms

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Contact, Group

# Below three characters the trigram index cannot help; a plain scan is still quick enough.
_TRIGRAM = 3


def contact_from_row(row: sqlite3.Row) -> StoredContact:
    groups = json.loads(row["groups"] or "[]")
    return StoredContact(
        id=row["id"],
        phone=row["phone"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        subscribed=bool(row["subscribed"]),
        unsubscribed_at=from_db_time(row["unsubscribed_at"]),
        groups=tuple(g["name"] for g in groups),
        group_ids=tuple(g["id"] for g in groups),
        fields=json.loads(row["fields"] or "{}"),
        created_at=from_db_time(row["created_at"]),
        updated_at=from_db_time(row["updated_at"]),
    )


def group_from_row(row: sqlite3.Row) -> StoredGroup:
    return StoredGroup(
        id=row["id"],
        name=row["name"],
        contacts_count=row["contacts_count"],
        keyword=row["keyword"],
        updated_at=from_db_time(row["updated_at"]),
    )


def _subscription(contact: Contact) -> tuple[bool, datetime | None]:
    if contact.status is not None:
        return contact.status.subscribed, contact.status.unsubscribed_at or contact.unsubscribed_at
    return contact.unsubscribed_at is None, contact.unsubscribed_at


def _term_clause(term: Term) -> tuple[str, list[object]]:
    """One search word as a condition on ``contacts c``: indexed when it is long enough."""
    if term.digits and len(term.digits) >= _TRIGRAM:
        return (
            "c.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)",
            [f"phone_digits : {fts_phrase(term.digits)}"],
        )
    if len(term.text) >= _TRIGRAM:
        return (
            "c.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)",
            [f"{{full_name email}} : {fts_phrase(term.text)}"],
        )
    pattern = like_contains(term.text)
    clause = "(c.full_name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\'"
    params: list[object] = [pattern, pattern]
    if term.digits:
        clause += " OR c.phone_digits LIKE ?"
        params.append(f"%{term.digits}%")
    return clause + ")", params


def _search_where(query: str) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for term in split_terms(query):
        clause, more = _term_clause(term)
        clauses.append(clause)
        params.extend(more)
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


class ContactQueries:
    """Mixed into ``Store``: the contacts and groups cache."""

    db: Database

    def upsert_contacts(self, contacts: Sequence[Contact], *, synced_at: datetime | None = None
                        ) -> int:
        """Insert or update contacts from the server; names flow into their conversations."""
        stamp = to_db_time(synced_at or datetime.now(UTC))
        with self.db.transaction() as conn:
            for contact in contacts:
                self._upsert_one(conn, contact, stamp)
        return len(contacts)

    @staticmethod
    def _upsert_one(conn: sqlite3.Connection, contact: Contact, stamp: str) -> None:
        first, last = contact.first_name or None, contact.last_name or None
        full_name = " ".join(p for p in (first, last) if p)
        subscribed, unsubscribed_at = _subscription(contact)
        groups = [{"id": g.id, "name": g.name} for g in contact.groups or []]
        conn.execute(
            "INSERT INTO contacts (id, phone, phone_digits, first_name, last_name, email, "
            "full_name, sort_name, subscribed, unsubscribed_at, groups, fields, created_at, "
            "updated_at, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET phone = excluded.phone, "
            "phone_digits = excluded.phone_digits, first_name = excluded.first_name, "
            "last_name = excluded.last_name, email = excluded.email, "
            "full_name = excluded.full_name, sort_name = excluded.sort_name, "
            "subscribed = excluded.subscribed, unsubscribed_at = excluded.unsubscribed_at, "
            # A page without include=groups/fields must not wipe what an earlier page said.
            "groups = CASE WHEN ? THEN excluded.groups ELSE contacts.groups END, "
            "fields = CASE WHEN ? THEN excluded.fields ELSE contacts.fields END, "
            "created_at = excluded.created_at, updated_at = excluded.updated_at, "
            "synced_at = excluded.synced_at",
            (
                contact.id, contact.phone_number, phone_digits(contact.phone_number), first,
                last, contact.email or None, full_name,
                ((last or "") + " " + (first or "")).strip().lower() or contact.phone_number,
                int(subscribed), to_db_time(unsubscribed_at) if unsubscribed_at else None,
                json.dumps(groups), json.dumps(contact.fields or {}),
                to_db_time(contact.created_at), to_db_time(contact.updated_at), stamp,
                contact.groups is not None, contact.fields is not None,
            ),
        )
        conn.execute(
            "UPDATE conversations SET contact_id = ?, display_name = ? WHERE phone = ?",
            (contact.id, full_name or None, contact.phone_number),
        )
        # The server's subscription wins unless we saw a STOP/START text after its last change.
        # Contacts never create conversations: 10k unsubscribed people are not 10k chats.
        conn.execute(
            "UPDATE conversations SET opted_out = ?, opted_out_changed_at = ? WHERE phone = ? "
            "AND opted_out != ? AND (opted_out_changed_at IS NULL OR opted_out_changed_at < ?)",
            (int(not subscribed), to_db_time(contact.updated_at), contact.phone_number,
             int(not subscribed), to_db_time(contact.updated_at)),
        )

    def delete_contacts_not_synced_since(self, since: datetime) -> int:
        """After a full pass: drop cached contacts the server no longer has."""
        with self.db.transaction() as conn:
            cursor = conn.execute(
                "DELETE FROM contacts WHERE synced_at IS NULL OR synced_at < ?",
                (to_db_time(since),),
            )
            return cursor.rowcount

    def search_contacts(self, query: str = "", limit: int = 100, offset: int = 0
                        ) -> list[StoredContact]:
        """Contacts whose name, email or phone digits contain every word; sorted by name."""
        where, params = _search_where(query)
        with self.db.reading() as conn:
            rows = conn.execute(
                f"SELECT c.* FROM contacts c {where} ORDER BY c.sort_name, c.id LIMIT ? OFFSET ?",
                (*params, max(0, limit), max(0, offset)),
            ).fetchall()
        return [contact_from_row(r) for r in rows]

    def count_contacts(self, query: str = "") -> int:
        where, params = _search_where(query)
        with self.db.reading() as conn:
            return int(conn.execute(f"SELECT count(*) FROM contacts c {where}", params)
                       .fetchone()[0])

    def contact_by_phone(self, phone: str) -> StoredContact | None:
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT * FROM contacts WHERE phone = ? ORDER BY updated_at DESC LIMIT 1",
                (phone,),
            ).fetchone()
        return contact_from_row(row) if row else None

    def contact(self, contact_id: str) -> StoredContact | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        return contact_from_row(row) if row else None

    # --- groups ---------------------------------------------------------------------------

    def upsert_groups(self, groups: Sequence[Group], *, synced_at: datetime | None = None
                      ) -> int:
        stamp = to_db_time(synced_at or datetime.now(UTC))
        with self.db.transaction() as conn:
            for group in groups:
                conn.execute(
                    "INSERT INTO groups (id, name, contacts_count, keyword, updated_at, "
                    "synced_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                    "name = excluded.name, contacts_count = excluded.contacts_count, "
                    "keyword = coalesce(excluded.keyword, groups.keyword), "
                    "updated_at = excluded.updated_at, synced_at = excluded.synced_at",
                    (group.id, group.name, group.contacts_count,
                     group.keyword.keyword if group.keyword else None,
                     to_db_time(group.updated_at), stamp),
                )
        return len(groups)

    def delete_groups_not_synced_since(self, since: datetime) -> int:
        with self.db.transaction() as conn:
            return conn.execute(
                "DELETE FROM groups WHERE synced_at IS NULL OR synced_at < ?",
                (to_db_time(since),),
            ).rowcount

    def list_groups(self, search: str = "") -> list[StoredGroup]:
        with self.db.reading() as conn:
            rows = conn.execute(
                "SELECT * FROM groups WHERE name LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE",
                (like_contains(search.strip()),),
            ).fetchall()
        return [group_from_row(r) for r in rows]
