"""Demo data is deterministic per seed, realistic, valid per phonenumbers, and fast to build."""

from __future__ import annotations

import time

import phonenumbers

from tests.sandbox.conftest import FakeTime
from tui.sandbox import SandboxConfig, create_app
from tui.sandbox.demo import populate
from tui.sandbox.records import IdMaker
from tui.sandbox.state import SandboxState


def _state(seed: int, contacts: int) -> SandboxState:
    clock = FakeTime()
    state = SandboxState(now=clock.now, ids=IdMaker(seed))
    populate(state, seed=seed, contacts=contacts)
    return state


def test_same_seed_same_account_other_seed_other_account() -> None:
    first, again, other = _state(7, 300), _state(7, 300), _state(8, 300)
    assert list(first.contacts) == list(again.contacts)
    assert [c.phone_number for c in first.contacts.values()] == \
        [c.phone_number for c in again.contacts.values()]
    assert [r.message for r in first.messages] == [r.message for r in again.messages]
    assert list(first.contacts) != list(other.contacts)


def test_every_number_is_valid_and_some_are_international() -> None:
    state = _state(11, 3000)
    numbers = [c.phone_number for c in state.contacts.values()]
    assert len(set(numbers)) == len(numbers)
    parsed = [phonenumbers.parse(n, None) for n in numbers]
    assert all(phonenumbers.is_valid_number(p) for p in parsed)
    regions = {phonenumbers.region_code_for_number(p) for p in parsed}
    assert "US" in regions and len(regions) >= 4
    assert sum(1 for n in numbers if not n.startswith("+1")) > 30


def test_history_has_unread_texts_and_opted_out_contacts_with_stop() -> None:
    state = _state(7, 500)
    assert any(r.direction == "incoming" and not r.read for r in state.messages)
    stopped = {r.phone_number for r in state.messages if r.message == "STOP"}
    assert stopped
    for phone in stopped:
        contact = state.contact_by_phone(phone)
        assert contact is not None and contact.unsubscribed_at is not None
    stamps = [r.created_at for r in state.messages]
    assert stamps == sorted(stamps)
    assert max(stamps) <= state.now()


def test_catalogue_is_populated() -> None:
    state = _state(7, 50)
    assert len(state.groups) >= 6 and any(g.keyword for g in state.groups.values())
    assert state.campaigns and state.campaign_templates and state.coupons
    assert state.coupon_templates and state.optins and state.carriers
    assert any(s.status == "pending" for s in state.scheduled.values())


def test_ten_thousand_contacts_build_well_under_a_second_each() -> None:
    started = time.perf_counter()
    state = _state(5, 10_000)
    elapsed = time.perf_counter() - started
    assert len(state.contacts) == 10_000
    assert elapsed < 2.0, f"10k contacts took {elapsed:.2f}s"


def test_tiny_and_empty_accounts_work() -> None:
    for size in (0, 1, 3):
        sandbox = create_app(SandboxConfig(contacts=size, rate_limit=False))
        assert len(sandbox.state.contacts) == size
