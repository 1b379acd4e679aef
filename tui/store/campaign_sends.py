"""Campaign sends in the store: the send, its requests (each posted exactly once), the audience
lookups a campaign needs in bulk (members of groups, opted-out numbers)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import field
from datetime import UTC, datetime
from typing import Final, Literal

from tui.frozen_record import frozen_record
from tui.store.contacts import contact_from_row
from tui.store.db import Database
from tui.store.records import StoredContact, from_db_time, to_db_time

SendState = Literal["sending", "cancelled", "done"]
RequestKind = Literal["batch", "schedule"]
RequestState = Literal["queued", "sending", "sent", "failed", "unclear", "cancelled"]
OPEN_REQUEST_STATES: Final = ("queued", "sending")
# sqlite's default limit on bound parameters is 999 (older builds): stay well below it.
_CHUNK: Final = 500


@frozen_record
class PlannedRequest:
    """One request of a send before it is stored: a batch now, or one scheduled text."""

    kind: RequestKind
    message: str
    phones: tuple[str, ...]
    send_at: datetime | None = None


@frozen_record
class CampaignRequest:
    key: str
    send_id: str
    seq: int
    kind: RequestKind
    message: str
    phones: tuple[str, ...]
    state: RequestState
    created_at: datetime
    updated_at: datetime
    send_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    refused: Mapping[str, str] = field(default_factory=dict)  # phone -> the server's reason
    result_ids: tuple[str, ...] = ()
    next_attempt_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES


@frozen_record
class RequestCounts:
    """Where a send stands, counted in the database (cheap for thousands of requests)."""

    total: int
    done: int
    sent: int  # recipients in requests that went out
    failed: int  # recipients in requests that failed
    refused: int  # recipients the server refused
    note: str = ""  # why a request is being looked up, when one is


@frozen_record
class CampaignSend:
    id: str
    name: str
    template: str
    audience: str
    state: SendState
    recipients: int
    created_at: datetime
    updated_at: datetime
    campaign_id: str | None = None
    # (phone, kind, why) left out before anything was posted: kind "held" (quiet hours, not
    # scheduled) or "refused" (a merge field missing, no time zone, ...).
    skipped: tuple[tuple[str, str, str], ...] = ()
    finished_at: datetime | None = None


def _request(row: sqlite3.Row) -> CampaignRequest:
    return CampaignRequest(
        key=row["key"], send_id=row["send_id"], seq=row["seq"], kind=row["kind"],
        message=row["message"], phones=tuple(json.loads(row["phones"])), state=row["state"],
        created_at=_time(row["created_at"]), updated_at=_time(row["updated_at"]),
        send_at=from_db_time(row["send_at"]), attempts=row["attempts"],
        last_error=row["last_error"], refused=json.loads(row["refused"]),
        result_ids=tuple(json.loads(row["result_ids"])),
        next_attempt_at=from_db_time(row["next_attempt_at"]),
    )


def _send(row: sqlite3.Row) -> CampaignSend:
    return CampaignSend(
        id=row["id"], name=row["name"], template=row["template"], audience=row["audience"],
        state=row["state"], recipients=row["recipients"], created_at=_time(row["created_at"]),
        updated_at=_time(row["updated_at"]), campaign_id=row["campaign_id"],
        skipped=tuple((str(p), str(k), str(w)) for p, k, w in json.loads(row["skipped"])),
        finished_at=from_db_time(row["finished_at"]),
    )


def _time(text: str) -> datetime:
    value = from_db_time(text)
    assert value is not None
    return value


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


class CampaignSendQueries:
    """Mixed into ``Store``."""

    db: Database

    # --- audience lookups ------------------------------------------------------------------

    def contacts_in_groups(self, group_ids: Sequence[str]) -> list[StoredContact]:
        """Contacts of the mirror in any of these groups, sorted by name, each once."""
        if not group_ids:
            return []
        marks = ", ".join("?" for _ in group_ids)
        with self.db.reading() as conn:
            rows = conn.execute(
                "SELECT c.* FROM contacts c WHERE EXISTS (SELECT 1 FROM json_each(c.groups) g "
                f"WHERE json_extract(g.value, '$.id') IN ({marks})) ORDER BY c.sort_name, c.id",
                tuple(group_ids),
            ).fetchall()
        return [contact_from_row(r) for r in rows]

    def count_group_audience(self, group_ids: Sequence[str]) -> int:
        """How many numbers a send to these groups would text: a contact in several of them
        counts once; unsubscribed and opted-out (STOP) numbers are left out, as in an audience."""
        if not group_ids:
            return 0
        marks = ", ".join("?" for _ in group_ids)
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT COUNT(DISTINCT c.phone) FROM contacts c WHERE c.subscribed = 1 AND "
                "EXISTS (SELECT 1 FROM json_each(c.groups) g "
                f"WHERE json_extract(g.value, '$.id') IN ({marks})) AND c.phone NOT IN "
                "(SELECT phone FROM conversations WHERE opted_out = 1)",
                tuple(group_ids),
            ).fetchone()
        return int(row[0])

    def contacts_by_phones(self, phones: Sequence[str]) -> dict[str, StoredContact]:
        found: dict[str, StoredContact] = {}
        with self.db.reading() as conn:
            for part in _chunks(list(dict.fromkeys(phones))):
                marks = ", ".join("?" for _ in part)
                rows = conn.execute(
                    f"SELECT * FROM contacts WHERE phone IN ({marks}) ORDER BY updated_at",
                    tuple(part),
                ).fetchall()
                found.update((r["phone"], contact_from_row(r)) for r in rows)
        return found

    def opted_out_phones(self, phones: Sequence[str]) -> set[str]:
        """Which of these numbers must not be texted (unsubscribed contact, or a STOP seen)."""
        out: set[str] = set()
        with self.db.reading() as conn:
            for part in _chunks(list(dict.fromkeys(phones))):
                marks = ", ".join("?" for _ in part)
                out.update(r[0] for r in conn.execute(
                    f"SELECT phone FROM conversations WHERE opted_out = 1 AND phone IN ({marks}) "
                    f"UNION SELECT phone FROM contacts WHERE subscribed = 0 AND phone IN ({marks})",
                    (*part, *part),
                ))
        return out

    # --- sends ------------------------------------------------------------------------------

    def add_campaign_send(
        self, *, send_id: str, name: str, template: str, audience: str, recipients: int,
        requests: Sequence[tuple[str, PlannedRequest]],
        skipped: Sequence[tuple[str, str, str]] = (),
        campaign_id: str | None = None, now: datetime | None = None,
    ) -> CampaignSend:
        """The whole send in one transaction: after this it survives any crash."""
        when = to_db_time(now or datetime.now(UTC))
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO campaign_sends (id, name, template, audience, campaign_id, state, "
                "recipients, skipped, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?)",
                (send_id, name, template, audience, campaign_id, recipients,
                 json.dumps([list(s) for s in skipped]), when, when),
            )
            conn.executemany(
                "INSERT INTO campaign_requests (key, send_id, seq, kind, message, phones, "
                "send_at, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', "
                "?, ?)",
                [(key, send_id, seq, r.kind, r.message, json.dumps(list(r.phones)),
                  to_db_time(r.send_at) if r.send_at else None, when, when)
                 for seq, (key, r) in enumerate(requests)],
            )
            row = conn.execute("SELECT * FROM campaign_sends WHERE id = ?", (send_id,)).fetchone()
        return _send(row)

    def campaign_send(self, send_id: str) -> CampaignSend | None:
        with self.db.reading() as conn:
            row = conn.execute("SELECT * FROM campaign_sends WHERE id = ?", (send_id,)).fetchone()
        return _send(row) if row else None

    def list_campaign_sends(
        self, *, states: Collection[str] | None = None, limit: int = 200
    ) -> list[CampaignSend]:
        sql, params = "SELECT * FROM campaign_sends", list[object]()
        if states:
            sql += f" WHERE state IN ({', '.join('?' for _ in states)})"
            params.extend(states)
        with self.db.reading() as conn:
            rows = conn.execute(sql + " ORDER BY created_at DESC LIMIT ?",
                                (*params, limit)).fetchall()
        return [_send(r) for r in rows]

    def finish_campaign_send(
        self, send_id: str, state: SendState, *, now: datetime | None = None
    ) -> CampaignSend | None:
        when = to_db_time(now or datetime.now(UTC))
        with self.db.transaction() as conn:
            if state == "cancelled":
                # Only what has not left: a request being posted right now finishes normally.
                conn.execute(
                    "UPDATE campaign_requests SET state = 'cancelled', updated_at = ? "
                    "WHERE send_id = ? AND state = 'queued'", (when, send_id))
            conn.execute(
                "UPDATE campaign_sends SET state = ?, updated_at = ?, finished_at = ? "
                "WHERE id = ? AND state = 'sending'", (state, when, when, send_id))
            row = conn.execute("SELECT * FROM campaign_sends WHERE id = ?", (send_id,)).fetchone()
        return _send(row) if row else None

    # --- requests ---------------------------------------------------------------------------

    def campaign_requests(
        self, send_id: str, *, states: Collection[str] | None = None
    ) -> list[CampaignRequest]:
        sql, params = "SELECT * FROM campaign_requests WHERE send_id = ?", [send_id]
        if states:
            sql += f" AND state IN ({', '.join('?' for _ in states)})"
            params.extend(states)
        with self.db.reading() as conn:
            rows = conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [_request(r) for r in rows]

    def next_campaign_request(
        self, send_id: str, *, include_queued: bool = True
    ) -> CampaignRequest | None:
        """The request to handle next: an unclear one first, then the first queued one."""
        states = OPEN_REQUEST_STATES if include_queued else ("sending",)
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT * FROM campaign_requests WHERE send_id = ? AND state IN "
                f"({', '.join('?' for _ in states)}) ORDER BY state = 'sending' DESC, seq LIMIT 1",
                (send_id, *states),
            ).fetchone()
        return _request(row) if row else None

    def campaign_request_counts(self, send_id: str) -> RequestCounts:
        with self.db.reading() as conn:
            row = conn.execute(
                "SELECT count(*) AS total, "
                "coalesce(sum(state NOT IN ('queued', 'sending')), 0) AS done, "
                "coalesce(sum(CASE WHEN state = 'sent' THEN json_array_length(phones) END), 0) "
                "AS sent, coalesce(sum(CASE WHEN state = 'failed' THEN json_array_length(phones) "
                "END), 0) AS failed, coalesce(sum((SELECT count(*) FROM json_each(refused))), 0) "
                "AS refused, max(CASE WHEN state = 'sending' THEN last_error END) AS note "
                "FROM campaign_requests WHERE send_id = ?", (send_id,),
            ).fetchone()
        return RequestCounts(row["total"], row["done"], row["sent"], row["failed"],
                             row["refused"], row["note"] or "")

    def update_campaign_request(
        self, key: str, *, state: RequestState, expect: Collection[str] | None = None,
        attempts: int | None = None, last_error: str | None = None,
        refused: Mapping[str, str] | None = None, phones: Sequence[str] | None = None,
        result_ids: Sequence[str] | None = None, next_attempt_at: datetime | None = None,
        now: datetime | None = None,
    ) -> CampaignRequest | None:
        """Change one request; with ``expect`` only when it is in one of those states."""
        sets = ["state = ?", "updated_at = ?", "last_error = ?", "next_attempt_at = ?"]
        params: list[object] = [state, to_db_time(now or datetime.now(UTC)), last_error,
                                to_db_time(next_attempt_at) if next_attempt_at else None]
        for column, value in (("attempts", attempts), ("refused", refused),
                              ("phones", phones), ("result_ids", result_ids)):
            if value is None:
                continue
            sets.append(f"{column} = ?")
            if isinstance(value, int):
                params.append(value)
            else:
                params.append(json.dumps(dict(value) if isinstance(value, Mapping)
                                         else list(value)))
        where, more = "key = ?", [key]
        if expect:
            where += f" AND state IN ({', '.join('?' for _ in expect)})"
            more.extend(expect)
        with self.db.transaction() as conn:
            changed = conn.execute(
                f"UPDATE campaign_requests SET {', '.join(sets)} WHERE {where}", (*params, *more)
            ).rowcount
            row = conn.execute("SELECT * FROM campaign_requests WHERE key = ?", (key,)).fetchone()
        return _request(row) if changed and row else None
