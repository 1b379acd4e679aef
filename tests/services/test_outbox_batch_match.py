"""Matching a batch answer's messages to its numbers: right, and linear (it runs on the UI loop)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.api.models import Message
from tui.services import outbox_batch
from tui.services.outbox_batch import messages_by_number

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _message(phone: str, n: int) -> Message:
    return Message(id=f"m{n}", phone_number=phone, message="hi", direction="outgoing",
                   created_at=NOW, updated_at=NOW)


def test_each_number_gets_its_message_whatever_form_the_server_wrote() -> None:
    numbers = ["+13122240001", "+13122240002", "+13122240003"]
    messages = [_message("13122240003", 3), _message("3122240001", 1)]
    found = messages_by_number(numbers, messages)
    assert {n: m.id for n, m in found.items()} == {"+13122240001": "m1", "+13122240003": "m3"}


def test_a_full_batch_is_matched_without_comparing_every_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0
    real = outbox_batch.same_number

    def counting(a: str, b: str) -> bool:
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(outbox_batch, "same_number", counting)
    numbers = [f"+1312224{i:04d}" for i in range(100)]
    found = messages_by_number(numbers, [_message(p, i) for i, p in enumerate(numbers)])
    assert len(found) == 100 and calls <= 200  # was 10,000 (≈50 ms per batch)
