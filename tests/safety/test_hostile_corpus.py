"""Every hostile string through the boundary: shown, logged and exported safely, emoji intact."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.safety.hostile import EMOJI, HOSTILE, terminal_leaks
from tui.safe_text import csv_cell, csv_uncell, for_log, json_escaped, shown


def test_the_corpus_is_big_enough() -> None:
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_shown_text_has_no_raw_control_and_no_leak(name: str) -> None:
    value = HOSTILE[name]
    for single in (False, True):
        out = shown(value, single_line=single, limit=200 if single else None)
        assert terminal_leaks(out, {name: value}) == []
        assert "\x1b" not in out and "\x00" not in out and "\x07" not in out


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_log_line_is_one_line(name: str) -> None:
    line = for_log(HOSTILE[name])
    assert "\n" not in line and "\r" not in line and "\x1b" not in line


@pytest.mark.parametrize("name", sorted(EMOJI))
def test_emoji_survive_every_boundary(name: str) -> None:
    value = EMOJI[name]
    assert value in shown(f"hi {value} there")
    assert value in shown(f"hi {value} there", single_line=True, limit=40)
    assert value in csv_cell(f"hi {value}")


def test_csv_export_of_the_corpus_reads_back_and_starts_no_formula() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for name, value in HOSTILE.items():
        writer.writerow([csv_cell(name), csv_cell(value), csv_cell("=" + value)])
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert len(rows) == len(HOSTILE)
    for row, (name, value) in zip(rows, HOSTILE.items(), strict=True):
        assert csv_uncell(row[0]) == shown(name)
        assert csv_uncell(row[1]) == shown(value)
        assert row[2].startswith("'=")
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row
                       if not cell.startswith("+1"))
        assert terminal_leaks("".join(row), {name: value}) == []


def test_json_output_of_the_corpus_is_the_same_data_with_nothing_raw() -> None:
    document = json_escaped(json.dumps(HOSTILE, ensure_ascii=False, indent=2))
    assert json.loads(document) == HOSTILE
    assert terminal_leaks(document) == []
    for emoji in EMOJI.values():
        assert emoji in document  # readable, not \\u-escaped


def test_a_lone_carriage_return_breaks_the_line_instead_of_hiding_what_came_before() -> None:
    assert shown("amount: $1000\rpaid") == "amount: $1000\npaid"
    assert shown("amount: $1000\rpaid", single_line=True) == "amount: $1000 ⏎ paid"
    assert shown("one\r\ntwo") == "one\ntwo"
