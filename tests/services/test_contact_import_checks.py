"""An import's dry run knows what the server would refuse (email, birth date, gender): the
counts it shows are the counts the import then reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from service_env import Env

from tui.api.client import MobinitiClient
from tui.services.contact_checks import field_problems
from tui.services.contact_import import plan_import, run_import
from tui.services.contacts import ContactBook

FILE = ("\ufeffPhone;First Name;Email;Birth date;Gender\n"
        "(720) 555-0100;Ann;ann@example.com;1990-12-31;Female\n"
        "+1 720 555 0101;Bob;bob@;;\n"
        "7205550102;Cy;cy@example.com;31/12/1990;\n"
        "7205550103;Dee;;1990-02-30;\n"
        "7205550104;Eve;;;robot\n")


def _book(env: Env) -> ContactBook:
    async def client() -> MobinitiClient:
        return env.client

    return ContactBook(env.store, client)


async def test_the_dry_run_counts_what_the_import_then_does(env: Env, tmp_path: Path) -> None:
    """Seen by hand (--demo, Contacts, i): the dry run said "3 new, 1 invalid", the import
    then said "2 new, 2 rejected" (the server refused bob@ with a 422).

    Failed on 0efc83e: the dry run counted 5 new."""
    source = tmp_path / "people.csv"
    source.write_text(FILE, encoding="utf-8")
    book = _book(env)
    draft = await plan_import(book, source)
    reasons = {row.line: row.reason for row in draft.plan.rows if row.outcome == "invalid"}
    assert draft.plan.count("new") == 1
    assert reasons == {
        3: "email: 'bob@' is not an email address (like name@example.com)",
        4: "birth date: '31/12/1990' is not written YYYY-MM-DD (like 1990-12-31)",
        5: "birth date: '1990-02-30' is not a date in the calendar",
        6: "gender: 'robot' is not male, female or other",
    }
    result = await run_import(book, draft)
    assert (result.created, len(result.rejected)) == (1, 4)
    [ann] = [c for c in env.sandbox.state.contacts.values() if c.phone_number == "+17205550100"]
    assert ann.gender == "female"  # sent as the server writes it
    rejected = (tmp_path / "people.rejected.csv").read_text(encoding="utf-8")
    assert "is not an email address" in rejected and "robot" in rejected


@pytest.mark.parametrize("email", ["a@example.com", "first.last+tag@mail.example.co.uk"])
def test_addresses_people_have_pass(email: str) -> None:
    assert field_problems({"email": email}) == []


@given(st.text(max_size=40))
def test_any_text_gets_an_answer_and_a_bad_one_a_sentence(value: str) -> None:
    problems = field_problems({"email": value, "birth_date": value, "gender": value})
    assert all(isinstance(p, str) and p for p in problems)
    assert all("\x1b" not in p and "\n" not in p for p in problems)  # safe to show or log
