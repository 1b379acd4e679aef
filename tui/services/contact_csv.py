"""CSV files of contacts: export what is shown, read what spreadsheets write, plan an import.

Reading accepts a UTF-8 BOM (or falls back to Windows-1252), ``,`` ``;`` or tab separators,
quoted cells with newlines, and numbers as ``(720) 555-0100``, ``+1 720 555 0100`` or
``7205550100``. Every cell written goes through ``csv_cell`` (no formulas for spreadsheets);
cells of our own exports are read back with ``csv_uncell``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TextIO

from tui.safe_text import csv_cell, csv_uncell
from tui.services.contact_checks import field_problems
from tui.sms.phones import InvalidPhoneNumber, normalize
from tui.store import StoredContact

IGNORE: Final = ""
CUSTOM_PREFIX: Final = "field:"
# What a header cell may say for each contact field (folded: lower case, no punctuation).
_SYNONYMS: Final[dict[str, tuple[str, ...]]] = {
    "phone_number": ("phone", "phonenumber", "mobile", "mobilenumber", "cell", "cellphone",
                     "number", "msisdn", "tel", "telephone", "sms"),
    "name": ("name", "fullname", "contactname", "contact"),
    "first_name": ("firstname", "first", "givenname", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname"),
    "email": ("email", "emailaddress", "mail", "e-mail"),
    "gender": ("gender", "sex"),
    "birth_date": ("birthdate", "birthday", "dob", "dateofbirth"),
    "zip": ("zip", "zipcode", "postcode", "postalcode"),
}
# Columns of our own export that an import does not write back.
_NOT_IMPORTED: Final = ("id", "subscribed", "groups", "created", "createdat", "status")
TEXT_FIELDS: Final = ("first_name", "last_name", "email", "gender", "birth_date", "zip")
EXPORT_HEADER: Final = ("id", "phone_number", "first_name", "last_name", "email", "subscribed",
                        "groups", "created_at")
Outcome = Literal["new", "updated", "unchanged", "invalid"]


def _fold(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def guess_mapping(header: Sequence[str]) -> list[str]:
    """The contact field each column fills: a field name, ``field:NAME`` or "" (ignored)."""
    taken: set[str] = set()
    mapping: list[str] = []
    for cell in header:
        name = csv_uncell(cell).strip()
        folded = _fold(name)
        target = IGNORE
        if name.startswith(CUSTOM_PREFIX):
            target = name
        elif folded and folded not in _NOT_IMPORTED:
            target = next((f for f, words in _SYNONYMS.items() if folded in words),
                          CUSTOM_PREFIX + name)
        if target in taken:
            target = IGNORE
        taken.add(target)
        mapping.append(target)
    return mapping


# What a column can fill, in the person's words (custom fields are offered per column).
FIELD_CHOICES: Final[tuple[tuple[str, str], ...]] = (
    ("phone_number", "phone number"), ("first_name", "first name"), ("last_name", "last name"),
    ("name", "full name (first and last)"), ("email", "email"), ("gender", "gender"),
    ("birth_date", "birth date"), ("zip", "zip code"),
)


def field_choices(header: str) -> list[tuple[str, str]]:
    """(target, label) for one column: not imported, each contact field, its custom field."""
    custom = CUSTOM_PREFIX + (csv_uncell(header).strip() or "column")
    return [(IGNORE, "(not imported)"), *FIELD_CHOICES,
            (custom, f"custom field {custom[len(CUSTOM_PREFIX):]}")]


def choose(mapping: Sequence[str], column: int, target: str) -> list[str]:
    """``mapping`` with ``column`` now filling ``target``; a contact field is filled by one
    column only, so a column that filled it before becomes "not imported"."""
    chosen = list(mapping)
    if target != IGNORE and not target.startswith(CUSTOM_PREFIX):
        chosen = [IGNORE if t == target else t for t in chosen]
    chosen[column] = target
    return chosen


@dataclass
class Table:
    """A CSV read into memory: its header, rows, and how it was read."""

    header: list[str]
    rows: list[list[str]]
    delimiter: str
    encoding: str


class UnreadableFile(Exception):
    """The file cannot be read as a CSV; the message says why and what to do."""


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8 (with BOM)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of , ; and tab outside quotes."""
    first, quoted = [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            break
        elif not quoted:
            first.append(ch)
    line = "".join(first)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(path: Path) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"Could not read {path}: {exc.strerror or exc}.") from None
    text, encoding = _decode(data)
    delimiter = _delimiter(text)
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
                if any(cell.strip() for cell in r)]
    except csv.Error as exc:
        raise UnreadableFile(f"{path} is not a readable CSV ({exc}).") from None
    if not rows:
        raise UnreadableFile(f"{path} is empty: it needs a header line and one row per contact.")
    header, body = rows[0], rows[1:]
    return Table([csv_uncell(h).strip() for h in header], body, delimiter, encoding)


@dataclass(frozen=True)
class PlannedRow:
    """One data row of the file and what importing it would do."""

    line: int  # the row's number in the file (header = 1)
    cells: tuple[str, ...]
    outcome: Outcome
    phone: str = ""
    values: Mapping[str, str] = field(default_factory=dict)  # the fields to send
    fields: Mapping[str, str] = field(default_factory=dict)  # custom fields to send
    contact_id: str | None = None
    reason: str = ""


@dataclass
class ImportPlan:
    rows: list[PlannedRow]

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    def summary(self) -> str:
        return ", ".join(f"{self.count(o):,} {o}" for o in ("new", "updated", "unchanged",
                                                              "invalid"))


def _row_values(cells: Sequence[str], mapping: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for cell, target in zip(cells, mapping, strict=False):
        text = csv_uncell(cell).strip()
        if target and text:
            values[target] = text
    return values


def plan_row(line: int, cells: Sequence[str], mapping: Sequence[str], region: str,
             existing: StoredContact | None, in_group: bool = True) -> PlannedRow:
    """What one row would do, against the cached contact with the same number (if any)."""
    values = _row_values(cells, mapping)
    raw_phone = values.pop("phone_number", "")
    full = values.pop("name", "")
    if full:  # "Ann Marie Smith": the last word is the last name
        first, _, last = full.rpartition(" ")
        values.setdefault("first_name", first or last)
        if first:
            values.setdefault("last_name", last)
    cells_t = tuple(cells)
    if not raw_phone:
        return PlannedRow(line, cells_t, "invalid", reason="no phone number in this row")
    try:
        phone = normalize(raw_phone, region)
    except InvalidPhoneNumber as exc:
        return PlannedRow(line, cells_t, "invalid", reason=str(exc))
    custom = {k[len(CUSTOM_PREFIX):]: v for k, v in values.items() if k.startswith(CUSTOM_PREFIX)}
    plain = {k: v for k, v in values.items() if k in TEXT_FIELDS}
    if "gender" in plain:
        plain["gender"] = plain["gender"].lower()
    if existing is None:
        problems = field_problems(plain)
        if problems:
            return PlannedRow(line, cells_t, "invalid", phone, reason="; ".join(problems))
        return PlannedRow(line, cells_t, "new", phone, plain, custom)
    known = {"first_name": existing.first_name, "last_name": existing.last_name,
             "email": existing.email}
    changed = {k: v for k, v in plain.items() if k not in known or (known[k] or "") != v}
    changed_fields = {k: v for k, v in custom.items() if existing.fields.get(k, "") != v}
    if not changed and not changed_fields and in_group:
        return PlannedRow(line, cells_t, "unchanged", phone, contact_id=existing.id)
    problems = field_problems(changed)  # what the server already has was accepted once
    if problems:
        return PlannedRow(line, cells_t, "invalid", phone, reason="; ".join(problems),
                          contact_id=existing.id)
    return PlannedRow(line, cells_t, "updated", phone, changed, changed_fields, existing.id)


def write_rejected(path: Path, header: Sequence[str], rows: Iterable[PlannedRow]) -> int:
    """The refused rows as they were, plus line and reason columns. Returns how many."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([csv_cell(h) for h in (*header, "line", "reason")])
        for row in rows:
            writer.writerow([csv_cell(c) for c in (*row.cells, row.line, row.reason)])
            count += 1
    return count


def rejected_path(source: Path) -> Path:
    """``list.csv`` → ``list.rejected.csv``, next to the input."""
    return source.with_name(f"{source.stem}.rejected.csv")


def export_header(custom_keys: Sequence[str]) -> list[str]:
    return [*EXPORT_HEADER, *(CUSTOM_PREFIX + k for k in custom_keys)]


def export_row(contact: StoredContact, custom_keys: Sequence[str]) -> list[str]:
    cells: list[object] = [
        contact.id, contact.phone, contact.first_name or "", contact.last_name or "",
        contact.email or "", "yes" if contact.subscribed else "no", "; ".join(contact.groups),
        contact.created_at.isoformat() if contact.created_at else "",
        *(contact.fields.get(k, "") for k in custom_keys),
    ]
    return [csv_cell(c) for c in cells]


def open_export(path: Path) -> TextIO:
    """UTF-8 with a BOM so spreadsheets read accents right; the reader above drops it."""
    return path.open("w", encoding="utf-8-sig", newline="")
