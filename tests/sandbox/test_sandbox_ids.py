"""Ids across sandbox runs: the seed fixes the demo data, never what a run adds."""

from __future__ import annotations

from tui.sandbox import SandboxConfig, create_app


def test_same_seed_gives_the_same_demo_data_but_new_ids_for_new_texts() -> None:
    config = SandboxConfig(seed=5, contacts=20, rate_limit=False, inbound_rate=0.0)
    first, second = create_app(config), create_app(config)
    assert sorted(first.state.contacts) == sorted(second.state.contacts)
    phone = next(iter(first.state.contacts.values())).phone_number
    sent_before = first.state.record_outgoing(phone, "hello").id
    sent_after = second.state.record_outgoing(phone, "hello").id
    received_before = first.simulate_inbound(phone=phone, text="hi").id
    received_after = second.simulate_inbound(phone=phone, text="hi").id
    assert sent_before != sent_after
    assert received_before != received_after
