"""What the contact browser asks for (search, filters, sort) turned into fast SQL.

A search term matches a contact when one of its words starts with the term (names, email and
domain, custom fields, phone digits), or, for phone-looking terms, anywhere in the number.
Those are the best matches and come first; contacts where a 3+ letter term only appears inside
a word ("smi" in "Osmium") follow. Either tier is read in the chosen sort order.

Speed at 100k contacts: in name order (the default) word terms are answered from the word
index alone, which carries each contact's name key (several terms: INTERSECT of their ranges).
Other orders and phone digits go through the contacts table: a rare term drives the query
(its contacts are collected, then sorted); a common one is checked while the sort index is
walked, which stops as soon as the window is full.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Final, Literal

from tui.frozen_record import frozen_record
from tui.store.search import Term, fold, fts_phrase, split_terms
from tui.store.words import prefix_range

SortColumn = Literal["name", "phone", "email", "status", "groups", "created"]
StatusFilter = Literal["all", "subscribed", "unsubscribed"]
SORT_COLUMNS: Final[tuple[SortColumn, ...]] = ("name", "phone", "email", "status", "groups",
                                               "created")
STATUS_FILTERS: Final[tuple[StatusFilter, ...]] = ("all", "subscribed", "unsubscribed")

_SORT_KEYS: Final[dict[str, tuple[str, ...]]] = {
    "name": ("c.sort_name",),
    "phone": ("c.phone",),
    "email": ("coalesce(c.email, '')",),
    "status": ("c.subscribed", "c.sort_name"),
    "groups": ("c.group_names", "c.sort_name"),  # contacts in no group first
    "created": ("coalesce(c.created_at, '')",),
}
# Below this many candidates a term drives the query; above it the sort index is walked.
SPARSE: Final = 4000
_TRIGRAM: Final = 3


@frozen_record
class ContactQuery:
    """One view of the contacts: typed search, filters and sort."""

    text: str = ""
    status: StatusFilter = "all"
    group_id: str | None = None
    sort: SortColumn = "name"
    descending: bool = False


@dataclass
class _Clause:
    """A condition on ``contacts c``: its rowids as a subquery (column ``rid``), and the same
    test row by row (``check``) for when the sort index is walked instead."""

    rowids: str
    params: list[object] = field(default_factory=list)
    check: str = ""

    def member(self) -> tuple[str, list[object]]:
        return f"c.rowid IN ({self.rowids})", list(self.params)

    def row_check(self) -> tuple[str, list[object]]:
        return (self.check, list(self.params)) if self.check else self.member()


def _word_rowids(word: str) -> _Clause:
    low, high = prefix_range(word)
    return _Clause(
        "SELECT contact AS rid FROM contact_words WHERE word >= ? AND word < ?", [low, high],
        "EXISTS (SELECT 1 FROM contact_words w WHERE w.contact = c.rowid AND w.word >= ? "
        "AND w.word < ?)",
    )


def _phone_inside(digits: str) -> _Clause:
    return _Clause("SELECT rowid AS rid FROM contacts_fts WHERE contacts_fts MATCH ?",
                   [f"phone_digits : {fts_phrase(digits)}"])


def _best(term: Term) -> _Clause:
    """Tier one: a word starts with the term; or the number contains its digits."""
    if term.digits:
        words = _word_rowids(term.digits)
        if len(term.digits) < _TRIGRAM:
            return words
        inside = _phone_inside(term.digits)
        return _Clause(f"{words.rowids} UNION {inside.rowids}", [*words.params, *inside.params])
    return _word_rowids(fold(term.text))


def _inside(term: Term) -> _Clause | None:
    """Tier two: the term appears inside a name or an email (3+ characters only)."""
    if term.digits or len(term.text) < _TRIGRAM:
        return None
    return _Clause("SELECT rowid AS rid FROM contacts_fts WHERE contacts_fts MATCH ?",
                   [f"{{full_name email}} : {fts_phrase(term.text)}"])


def _filters(query: ContactQuery) -> list[_Clause]:
    """The group filter as a condition (status is a plain column test)."""
    if query.group_id is None:
        return []
    return [_Clause(
        "SELECT contact AS rid FROM contact_groups WHERE group_id = ?", [query.group_id],
        "EXISTS (SELECT 1 FROM contact_groups g WHERE g.group_id = ? AND g.contact = c.rowid)",
    )]


def _status_sql(query: ContactQuery) -> str:
    if query.status == "subscribed":
        return "c.subscribed = 1"
    if query.status == "unsubscribed":
        return "c.subscribed = 0"
    return ""


def order_by(query: ContactQuery) -> str:
    way = " DESC" if query.descending else ""
    return ", ".join(f"{key}{way}" for key in (*_SORT_KEYS[query.sort], "c.id"))


class ContactFinder:
    """Runs one ``ContactQuery`` on a connection: windows, counts and every rowid, in order."""

    def __init__(self, conn: sqlite3.Connection, query: ContactQuery) -> None:
        self.conn = conn
        self.query = query
        self.terms = split_terms(query.text)
        self.best = [_best(t) for t in self.terms]
        self.inside = [_inside(t) for t in self.terms]
        self.has_inside = any(c is not None for c in self.inside)
        self.filters = _filters(query)
        # Name order and word terms only: the word index answers alone.
        self.from_words = bool(self.terms) and query.sort == "name" and not any(
            t.digits for t in self.terms)

    # --- the word-index path ---------------------------------------------------------------

    def _words_sql(self) -> tuple[str, list[object]]:
        """``SELECT sort_name, contact`` of contacts matching every term (no duplicates)."""
        parts: list[str] = []
        params: list[object] = []
        for number, term in enumerate(self.terms):
            low, high = prefix_range(fold(term.text))
            sql = "SELECT sort_name, contact FROM contact_words w WHERE word >= ? AND word < ?"
            params.extend([low, high])
            if self.query.status != "all":
                sql += " AND subscribed = ?"
                params.append(int(self.query.status == "subscribed"))
            if number == 0 and self.query.group_id is not None:
                sql += (" AND EXISTS (SELECT 1 FROM contact_groups g WHERE g.group_id = ? "
                        "AND g.contact = w.contact)")
                params.append(self.query.group_id)
            parts.append(sql)
        if len(parts) == 1:
            return parts[0].replace("SELECT", "SELECT DISTINCT", 1), params
        return " INTERSECT ".join(parts), params

    def _words_order(self) -> str:
        way = " DESC" if self.query.descending else ""
        return f"ORDER BY 1{way}, 2{way}"

    # --- the contacts-table path -----------------------------------------------------------

    def _estimate(self, clause: _Clause) -> int:
        row = self.conn.execute(
            f"SELECT count(*) FROM ({clause.rowids} LIMIT {SPARSE})", clause.params
        ).fetchone()
        return int(row[0])

    def _tier_sql(self, tier: int, columns: str) -> tuple[str, list[object]]:
        """``SELECT columns FROM … WHERE …`` for tier 0 (best) or 1 (inside only)."""
        where: list[str] = []
        params: list[object] = []
        status = _status_sql(self.query)
        if status:
            where.append(status)
        conditions = [*self.best, *self.filters] if tier == 0 else list(self.filters)
        if tier == 1:
            for best, inside in zip(self.best, self.inside, strict=True):
                if inside is None:
                    sql, more = best.member()
                else:
                    sql = f"(c.rowid IN ({best.rowids}) OR c.rowid IN ({inside.rowids}))"
                    more = [*best.params, *inside.params]
                where.append(sql)
                params.extend(more)
            # … and not already a best match.
            every_best = " AND ".join(f"c.rowid IN ({b.rowids})" for b in self.best)
            where.append(f"NOT ({every_best})")
            params.extend(p for b in self.best for p in b.params)
        driver = None
        if tier == 0 and conditions:
            size, index = min((self._estimate(c), i) for i, c in enumerate(conditions))
            if size < SPARSE:
                driver = conditions[index]
        source = "contacts c"
        source_params: list[object] = []
        if driver is not None:
            # CROSS JOIN keeps sqlite from walking all 100k contacts for a rare word.
            source = f"(SELECT DISTINCT rid FROM ({driver.rowids})) AS d CROSS JOIN contacts c"
            source_params = list(driver.params)
            where.insert(0, "c.rowid = d.rid")
        for clause in conditions:
            if clause is not driver:
                sql, more = clause.row_check()
                where.append(sql)
                params.extend(more)
        text = f"SELECT {columns} FROM {source}"
        if where:
            text += " WHERE " + " AND ".join(where)
        return text, [*source_params, *params]

    # --- answers ---------------------------------------------------------------------------

    def window(self, offset: int, limit: int) -> list[int]:
        """Rowids ``offset`` … ``offset + limit`` of the view, best matches first."""
        offset, limit = max(0, offset), max(0, limit)
        rowids = self._read(0, offset, limit)
        if len(rowids) == limit or not self.has_inside:
            return rowids
        best_count = offset + len(rowids) if rowids else self.count_tier(0)
        return rowids + self._read(1, max(0, offset - best_count), limit - len(rowids))

    def _read(self, tier: int, offset: int, limit: int) -> list[int]:
        if limit <= 0:
            return []
        if tier == 0 and self.from_words:
            sql, params = self._words_sql()
            sql += f" {self._words_order()} LIMIT ? OFFSET ?"
            return [r[1] for r in self.conn.execute(sql, [*params, limit, offset])]
        sql, params = self._tier_sql(tier, "c.rowid")
        sql += f" ORDER BY {order_by(self.query)} LIMIT ? OFFSET ?"
        return [r[0] for r in self.conn.execute(sql, [*params, limit, offset])]

    def count_tier(self, tier: int) -> int:
        if tier == 0 and self.from_words:
            sql, params = self._words_sql()
            return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])
        sql, params = self._tier_sql(tier, "count(*)")
        return int(self.conn.execute(sql, params).fetchone()[0])

    def count(self) -> int:
        return self.count_tier(0) + (self.count_tier(1) if self.has_inside else 0)

    def rowids(self) -> list[int]:
        """Every matching rowid in view order (for select-all, export, bulk actions)."""
        found: list[int] = []
        for tier in (0, 1) if self.has_inside else (0,):
            if tier == 0 and self.from_words:
                sql, params = self._words_sql()
                found.extend(r[1] for r in self.conn.execute(
                    f"{sql} {self._words_order()}", params))
                continue
            sql, params = self._tier_sql(tier, "c.rowid")
            sql += f" ORDER BY {order_by(self.query)}"
            found.extend(r[0] for r in self.conn.execute(sql, params))
        return found
