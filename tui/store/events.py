"""Received provider events: insert-or-ignore by dedupe key, the Activity screen's reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import field
from datetime import UTC, datetime, timedelta

from tui.frozen_record import frozen_record
from tui.store.db import Database
from tui.store.records import ReceivedEvent, from_db_time, phone_digits, to_db_time

_COLUMNS = ("provider, kind, phone, occurred_at, text, status_code, raw, dedupe_key, "
            "received_at, meaning, ids, details")


@frozen_record
class NewEvent:
    """One event to store (the receiver builds these from ``tui.events.Event``)."""

    provider: str
    kind: str
    dedupe_key: str | None = None
    phone: str | None = None
    occurred_at: datetime | None = None
    text: str | None = None
    status_code: str | None = None
    meaning: str | None = None
    raw: str = ""
    ids: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, str] = field(default_factory=dict)


@frozen_record
class EventFilter:
    """What the Activity screen asks for: kinds, providers, and digits of a number."""

    kinds: frozenset[str] = frozenset()
    providers: frozenset[str] = frozenset()
    number: str = ""

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.kinds:
            clauses.append(f"kind IN ({','.join('?' * len(self.kinds))})")
            params.extend(sorted(self.kinds))
        if self.providers:
            clauses.append(f"provider IN ({','.join('?' * len(self.providers))})")
            params.extend(sorted(self.providers))
        digits = phone_digits(self.number)
        if digits:
            clauses.append("replace(phone, '+', '') LIKE ?")
            params.append(f"%{digits}%")
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def event_from_row(row: sqlite3.Row) -> ReceivedEvent:
    received = from_db_time(row["received_at"])
    assert received is not None
    return ReceivedEvent(
        id=row["id"], provider=row["provider"], kind=row["kind"], received_at=received,
        phone=row["phone"], occurred_at=from_db_time(row["occurred_at"]), text=row["text"],
        status_code=row["status_code"], raw=row["raw"], meaning=row["meaning"],
        ids=json.loads(row["ids"] or "{}"), details=json.loads(row["details"] or "{}"),
        applied=bool(row["applied"]),
    )


def _values(event: NewEvent, received_at: str) -> tuple[object, ...]:
    return (event.provider, event.kind, event.phone,
            to_db_time(event.occurred_at) if event.occurred_at else None, event.text,
            event.status_code, event.raw, event.dedupe_key, received_at, event.meaning,
            json.dumps(dict(event.ids), ensure_ascii=False),
            json.dumps(dict(event.details), ensure_ascii=False))


class EventQueries:
    """Mixed into ``Store``."""

    db: Database

    def add_events(self, events: Sequence[NewEvent], *, now: datetime | None = None
                   ) -> list[ReceivedEvent | None]:
        """Store the events of one body in one transaction; ``None`` for one seen before."""
        stamp = to_db_time(now or datetime.now(UTC))
        stored: list[ReceivedEvent | None] = []
        with self.db.transaction() as conn:
            for event in events:
                cursor = conn.execute(
                    f"INSERT INTO received_events ({_COLUMNS}) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
                    _values(event, stamp),
                )
                if cursor.rowcount == 0:
                    stored.append(None)
                    continue
                row = conn.execute("SELECT * FROM received_events WHERE id = ?",
                                   (cursor.lastrowid,)).fetchone()
                stored.append(event_from_row(row))
        return stored

    def add_received_event(
        self, *, provider: str, kind: str, phone: str | None = None,
        occurred_at: datetime | None = None, text: str | None = None,
        status_code: str | None = None, raw: str = "", dedupe_key: str | None = None,
        meaning: str | None = None,
    ) -> ReceivedEvent | None:
        """Store one event; returns None when ``dedupe_key`` was seen before."""
        return self.add_events([NewEvent(
            provider=provider, kind=kind, phone=phone, occurred_at=occurred_at, text=text,
            status_code=status_code, raw=raw, dedupe_key=dedupe_key, meaning=meaning)])[0]

    def list_received_events(
        self, *, phone: str | None = None, limit: int = 100,
        where: EventFilter | None = None, before_id: int | None = None,
    ) -> list[ReceivedEvent]:
        """Newest first."""
        sql, params = (where or EventFilter()).where()
        if phone is not None:
            sql += (" AND" if sql else " WHERE") + " phone = ?"
            params.append(phone)
        if before_id is not None:
            sql += (" AND" if sql else " WHERE") + " id < ?"
            params.append(before_id)
        with self.db.reading() as conn:
            rows = conn.execute(f"SELECT * FROM received_events{sql} ORDER BY id DESC LIMIT ?",
                                (*params, max(0, limit))).fetchall()
        return [event_from_row(r) for r in rows]

    def events_after(self, last_id: int, limit: int = 500) -> list[ReceivedEvent]:
        """Events stored after ``last_id``, oldest first (follow a stream)."""
        with self.db.reading() as conn:
            rows = conn.execute("SELECT * FROM received_events WHERE id > ? ORDER BY id LIMIT ?",
                                (last_id, limit)).fetchall()
        return [event_from_row(r) for r in rows]

    def latest_event_id(self) -> int:
        with self.db.reading() as conn:
            return int(conn.execute("SELECT coalesce(max(id), 0) FROM received_events")
                       .fetchone()[0])

    def unapplied_events(self, limit: int = 200) -> list[ReceivedEvent]:
        with self.db.reading() as conn:
            rows = conn.execute("SELECT * FROM received_events WHERE applied = 0 ORDER BY id "
                                "LIMIT ?", (limit,)).fetchall()
        return [event_from_row(r) for r in rows]

    def mark_events_applied(self, event_ids: Collection[int]) -> None:
        ids = list(event_ids)
        with self.db.transaction() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                conn.execute(f"UPDATE received_events SET applied = 1 WHERE id IN "
                             f"({','.join('?' * len(chunk))})", chunk)

    def count_events_by_kind(self, since: datetime) -> dict[str, int]:
        with self.db.reading() as conn:
            rows = conn.execute("SELECT kind, count(*) FROM received_events WHERE received_at >= ?"
                                " GROUP BY kind", (to_db_time(since),)).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def events_per_hour(self, kinds: Collection[str], *, until: datetime, hours: int = 24
                        ) -> dict[str, list[int]]:
        """For each kind, how many events arrived in each of the last ``hours`` hours."""
        start = until - timedelta(hours=hours)
        counts = {kind: [0] * hours for kind in kinds}
        with self.db.reading() as conn:
            rows = conn.execute(
                f"SELECT kind, received_at FROM received_events WHERE received_at >= ? AND "
                f"received_at <= ? AND kind IN ({','.join('?' * len(counts))})",
                (to_db_time(start), to_db_time(until), *counts),
            ).fetchall()
        for kind, received in rows:
            when = from_db_time(received)
            assert when is not None
            slot = min(hours - 1, int((when - start).total_seconds() // 3600))
            counts[kind][slot] += 1
        return counts

    def data_version(self) -> int:
        """Changes whenever another connection (a receiver process) commits: a cheap watch."""
        with self.db.reading() as conn:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])
