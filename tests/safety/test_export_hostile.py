"""The contacts CSV export with the hostile corpus: no formula, no raw control, emoji intact."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.safety.hostile import EMOJI, HOSTILE
from tui.safe_text import FORMULA_STARTS, csv_uncell
from tui.services.contact_csv import export_header, export_row, open_export
from tui.store.records import StoredContact

FORMULAS = {"formula": "=HYPERLINK(\"http://x\",\"y\")", "plus": "+1+cmd|' /C calc'!A0",
            "minus": "-2+3", "at": "@SUM(A1:A9)", "tab": "\t=1+1"}


def _export(tmp_path: Path, value: str) -> tuple[str, list[list[str]]]:
    contact = StoredContact(id="c1", phone="+17205550100", first_name=value, last_name=value,
                            email=value, groups=(value,), fields={"note": value})
    path = tmp_path / "out.csv"
    with open_export(path) as out:
        writer = csv.writer(out)
        writer.writerow(export_header(["note"]))
        writer.writerow(export_row(contact, ["note"]))
    raw = path.read_text(encoding="utf-8-sig")
    with path.open(encoding="utf-8-sig", newline="") as source:
        return raw, list(csv.reader(source))


@pytest.mark.parametrize("name", sorted({**HOSTILE, **FORMULAS}))
def test_an_exported_hostile_value_is_inert(tmp_path: Path, name: str) -> None:
    value = {**HOSTILE, **FORMULAS}[name]
    raw, rows = _export(tmp_path, value)
    assert not any(0x80 <= ord(c) <= 0x9F or c in "\x1b\x00\x07" for c in raw)
    for cell in rows[1]:
        assert not cell.startswith(FORMULA_STARTS) or cell == "+17205550100"
    assert rows[1][1] == "+17205550100"  # our own E.164 numbers stay importable


@pytest.mark.parametrize("name", sorted(EMOJI))
def test_emoji_survive_the_export_and_read_back(tmp_path: Path, name: str) -> None:
    _, rows = _export(tmp_path, f"Ana {EMOJI[name]}")
    assert csv_uncell(rows[1][2]) == f"Ana {EMOJI[name]}"


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_a_guarded_formula_reads_back_as_typed(tmp_path: Path, name: str) -> None:
    _, rows = _export(tmp_path, FORMULAS[name])
    assert rows[1][2].startswith("'")
    assert csv_uncell(rows[1][2]) == FORMULAS[name].replace("\t", "    ")
