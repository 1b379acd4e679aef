"""The contacts and groups cache: mirroring pages from the server and instant local search."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tui.store.contact_query import ContactFinder, ContactQuery
from tui.store.db import Database
from tui.store.quick_read import QuickReader
from tui.store.records import (
    GROUP_FLAGS,
    StoredContact,
    StoredGroup,
    StoredLookup,
    from_db_time,
    phone_digits,
    to_db_time,
)
from tui.store.search import like_contains
from tui.store.words import contact_words

if TYPE_CHECKING:
    # Types only: the API models (pydantic) stay off the path to the first screen.
    from tui.api.models import Contact, Group


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
    detail = json.loads(row["detail"] or "{}")
    return StoredGroup(
        id=row["id"],
        name=row["name"],
        contacts_count=row["contacts_count"],
        keyword=row["keyword"],
        updated_at=from_db_time(row["updated_at"]),
        join_message=detail.get("join_message"),
        flags={k: bool(detail.get(k)) for k in GROUP_FLAGS},
        optin=detail.get("optin"),
    )


def _group_detail(group: Group) -> dict[str, object]:
    """What the group form shows beyond the list columns."""
    detail: dict[str, object] = {k: getattr(group, k) for k in GROUP_FLAGS}
    detail["join_message"] = group.join_message
    if group.optin is not None:
        detail["optin"] = group.optin.name + ("" if group.optin.enabled else " (paused)")
    return detail


def _subscription(contact: Contact) -> tuple[bool, datetime | None]:
    if contact.status is not None:
        return contact.status.subscribed, contact.status.unsubscribed_at or contact.unsubscribed_at
    return contact.unsubscribed_at is None, contact.unsubscribed_at


def _by_rowids(conn: sqlite3.Connection, rowids: list[int]) -> list[StoredContact]:
    if not rowids:
        return []
    marks = ", ".join("?" * len(rowids))
    rows = {r["rowid"]: r for r in conn.execute(
        f"SELECT rowid, * FROM contacts WHERE rowid IN ({marks})", rowids)}
    return [contact_from_row(rows[r]) for r in rowids if r in rows]


def _index_words(conn: sqlite3.Connection, row: sqlite3.Row) -> None:
    """Replace the contact's search words with those of its current fields."""
    rowid = row["rowid"]
    words = contact_words(
        first_name=row["first_name"], last_name=row["last_name"], email=row["email"],
        phone=row["phone"], fields=json.loads(row["fields"] or "{}"),
    )
    conn.execute("DELETE FROM contact_words WHERE contact = ?", (rowid,))
    conn.executemany(
        "INSERT OR IGNORE INTO contact_words (word, sort_name, contact, subscribed) "
        "VALUES (?, ?, ?, ?)",
        [(w, row["sort_name"], rowid, row["subscribed"]) for w in words])


def _set_memberships(conn: sqlite3.Connection, rowid: int, group_ids: Sequence[str]) -> None:
    conn.execute("DELETE FROM contact_groups WHERE contact = ?", (rowid,))
    conn.executemany("INSERT OR IGNORE INTO contact_groups (group_id, contact) VALUES (?, ?)",
                     [(g, rowid) for g in group_ids])


def _set_group(conn: sqlite3.Connection, rowid: int, group_id: str, name: str, *,
               member: bool) -> int:
    """One contact joins or leaves a group in the cache (its groups column and the index)."""
    row = conn.execute("SELECT groups FROM contacts WHERE rowid = ?", (rowid,)).fetchone()
    groups = [g for g in json.loads(row[0] or "[]") if g["id"] != group_id] if row else []
    if member:
        groups.append({"id": group_id, "name": name})
        conn.execute("INSERT OR IGNORE INTO contact_groups (group_id, contact) VALUES (?, ?)",
                     (group_id, rowid))
    else:
        conn.execute("DELETE FROM contact_groups WHERE contact = ? AND group_id = ?",
                     (rowid, group_id))
    conn.execute("UPDATE contacts SET groups = ? WHERE rowid = ?", (json.dumps(groups), rowid))
    return 1


class ContactQueries:
    """Mixed into ``Store``: the contacts and groups cache."""

    db: Database
    quick: QuickReader

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
        row = conn.execute(
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
            "synced_at = excluded.synced_at "
            "RETURNING rowid, first_name, last_name, email, phone, fields, sort_name, subscribed",
            (
                contact.id, contact.phone_number, phone_digits(contact.phone_number), first,
                last, contact.email or None, full_name,
                ((last or "") + " " + (first or "")).strip().lower() or contact.phone_number,
                int(subscribed), to_db_time(unsubscribed_at) if unsubscribed_at else None,
                json.dumps(groups), json.dumps(contact.fields or {}),
                to_db_time(contact.created_at), to_db_time(contact.updated_at), stamp,
                contact.groups is not None, contact.fields is not None,
            ),
        ).fetchone()
        _index_words(conn, row)
        if contact.groups is not None:
            _set_memberships(conn, row["rowid"], [g.id for g in contact.groups])
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

    def contact_window(self, query: ContactQuery, offset: int = 0, limit: int = 100
                       ) -> list[StoredContact]:
        """One window of the contact browser: best matches first, in the chosen order."""
        with self.db.reading() as conn:
            return _by_rowids(conn, ContactFinder(conn, query).window(offset, limit))

    def contact_window_now(self, query: ContactQuery, offset: int, limit: int,
                           budget: float) -> list[StoredContact]:
        """The same window on the quick reader, for the event loop: ``TooSlow`` when it
        takes longer than ``budget`` seconds (then ask ``contact_window`` on the thread)."""
        return self.quick.run(budget, lambda conn: _by_rowids(
            conn, ContactFinder(conn, query).window(offset, limit)))

    def count_matching(self, query: ContactQuery) -> int:
        with self.db.reading() as conn:
            return ContactFinder(conn, query).count()

    def matching_ids(self, query: ContactQuery) -> list[str]:
        """Every contact id of the view, in its order (select all, export, bulk actions)."""
        with self.db.reading() as conn:
            rowids = ContactFinder(conn, query).rowids()
            ids: dict[int, str] = {}
            for start in range(0, len(rowids), 900):
                chunk = rowids[start:start + 900]
                marks = ", ".join("?" * len(chunk))
                ids.update(conn.execute(
                    f"SELECT rowid, id FROM contacts WHERE rowid IN ({marks})", chunk))
        return [ids[r] for r in rowids if r in ids]

    def contacts_by_ids(self, ids: Sequence[str]) -> list[StoredContact]:
        """These contacts (those still cached), in the order asked."""
        found: dict[str, StoredContact] = {}
        with self.db.reading() as conn:
            for start in range(0, len(ids), 900):
                chunk = list(ids[start:start + 900])
                marks = ", ".join("?" * len(chunk))
                for row in conn.execute(f"SELECT * FROM contacts WHERE id IN ({marks})", chunk):
                    found[row["id"]] = contact_from_row(row)
        return [found[i] for i in ids if i in found]

    def mark_unsubscribed(self, phones: Sequence[str], at: datetime) -> int:
        """The server unsubscribed these numbers: the cache and their conversations follow."""
        stamp = to_db_time(at)
        changed = 0
        with self.db.transaction() as conn:
            for phone in phones:
                rows = conn.execute(
                    "UPDATE contacts SET subscribed = 0, unsubscribed_at = ? WHERE phone = ? "
                    "RETURNING rowid", (stamp, phone)).fetchall()
                for row in rows:
                    conn.execute("UPDATE contact_words SET subscribed = 0 WHERE contact = ?",
                                 (row[0],))
                changed += len(rows)
                # Only an existing conversation: 10k unsubscribed people are not 10k chats.
                conn.execute("UPDATE conversations SET opted_out = 1, opted_out_changed_at = ? "
                             "WHERE phone = ?", (stamp, phone))
        return changed

    def leave_group(self, contact_id: str, group_id: str) -> None:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT rowid, groups FROM contacts WHERE id = ?",
                               (contact_id,)).fetchone()
            if row is None:
                return
            groups = [g for g in json.loads(row["groups"] or "[]") if g["id"] != group_id]
            conn.execute("UPDATE contacts SET groups = ? WHERE rowid = ?",
                         (json.dumps(groups), row["rowid"]))
            conn.execute("DELETE FROM contact_groups WHERE contact = ? AND group_id = ?",
                         (row["rowid"], group_id))

    def set_group_members(self, group_id: str, contact_ids: Sequence[str]) -> int:
        """The server listed exactly these members (``GET /groups/{id}/contacts``): cached
        contacts gain or lose the group to match. Returns how many memberships changed."""
        with self.db.transaction() as conn:
            listed: dict[int, str] = {}
            for start in range(0, len(contact_ids), 900):
                chunk = list(contact_ids[start:start + 900])
                marks = ", ".join("?" * len(chunk))
                listed.update(conn.execute(
                    f"SELECT rowid, id FROM contacts WHERE id IN ({marks})", chunk))
            before = {r[0] for r in conn.execute(
                "SELECT contact FROM contact_groups WHERE group_id = ?", (group_id,))}
            named = conn.execute("SELECT name FROM groups WHERE id = ?", (group_id,)).fetchone()
            name = named[0] if named else group_id
            changed = 0
            for rowid in before - listed.keys():
                changed += _set_group(conn, rowid, group_id, name, member=False)
            for rowid in listed.keys() - before:
                changed += _set_group(conn, rowid, group_id, name, member=True)
            conn.execute("UPDATE groups SET contacts_count = ? WHERE id = ?",
                         (len(contact_ids), group_id))
        return changed

    def known_versions(self, kind: str, ids: Sequence[str]) -> dict[str, str]:
        """``updated_at`` of these cached contacts (or groups), for the incremental refresh."""
        table = "contacts" if kind == "contacts" else "groups"
        with self.db.reading() as conn:
            marks = ", ".join("?" * len(ids))
            return {r[0]: r[1] for r in conn.execute(
                f"SELECT id, updated_at FROM {table} WHERE id IN ({marks})", list(ids))}

    def forget_contacts(self, ids: Sequence[str]) -> int:
        """Drop contacts from the cache (deleted on the server)."""
        with self.db.transaction() as conn:
            return sum(conn.execute("DELETE FROM contacts WHERE id = ?", (i,)).rowcount
                       for i in ids)

    def search_contacts(self, query: str = "", limit: int = 100, offset: int = 0
                        ) -> list[StoredContact]:
        """Contacts matching every word (best matches first), sorted by name."""
        return self.contact_window(ContactQuery(text=query), offset, limit)

    def count_contacts(self, query: str = "") -> int:
        return self.count_matching(ContactQuery(text=query))

    def save_lookups(self, lookups: Sequence[StoredLookup]) -> None:
        """Keep the latest carrier lookup of each number."""
        with self.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO phone_lookups (phone, valid, line_type, carrier, looked_up_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (phone) DO UPDATE SET valid = excluded.valid, "
                "line_type = excluded.line_type, carrier = excluded.carrier, "
                "looked_up_at = excluded.looked_up_at",
                [(x.phone, int(x.valid), x.line_type, x.carrier, to_db_time(x.looked_up_at))
                 for x in lookups])

    def lookup_of(self, phone: str) -> StoredLookup | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT * FROM phone_lookups WHERE phone = ?", (phone,)).fetchone()
        if row is None:
            return None
        return StoredLookup(row["phone"], bool(row["valid"]), row["line_type"], row["carrier"],
                            from_db_time(row["looked_up_at"]) or datetime.now(UTC))

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
                    "synced_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                    "SET name = excluded.name, contacts_count = excluded.contacts_count, "
                    "keyword = coalesce(excluded.keyword, groups.keyword), "
                    "updated_at = excluded.updated_at, synced_at = excluded.synced_at, "
                    "detail = excluded.detail",
                    (group.id, group.name, group.contacts_count,
                     group.keyword.keyword if group.keyword else None,
                     to_db_time(group.updated_at), stamp, json.dumps(_group_detail(group))),
                )
        return len(groups)

    def group(self, group_id: str) -> StoredGroup | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT * FROM groups WHERE id = ?", (group_id,)).fetchone()
        return group_from_row(row) if row else None

    def forget_group(self, group_id: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM groups WHERE id = ?", (group_id,))
            conn.execute("DELETE FROM contact_groups WHERE group_id = ?", (group_id,))

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
