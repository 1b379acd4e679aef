"""``config set webhook_secret``, ``webhooks listen`` refusals, ``events tail``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.events.seed_bodies import JSON, MOBINITI_INBOUND, SKYCORE_SUBSCRIBE, XML
from tui.cli import run
from tui.cli.webhooks_cmd import is_loopback
from tui.events import parse
from tui.events.receiver import stored_form
from tui.launch import store_path
from tui.store import open_store


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMSDESK_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("SMSDESK_WEBHOOK_SECRET", raising=False)
    return tmp_path


def test_the_secret_is_kept_verbatim_and_shown_masked(capsys: pytest.CaptureFixture[str],
                                                      home: Path) -> None:
    assert run(["config", "set", "webhook_secret", "yes"]) == 0
    assert "shorter than 16" in capsys.readouterr().err
    assert 'webhook_secret = "yes"' in (home / "config.toml").read_text()
    assert run(["config", "set", "webhook_secret", "a-long-enough-secret-value"]) == 0
    assert run(["config", "show"]) == 0
    shown = capsys.readouterr().out
    assert "a-long-enough-secret-value" not in shown and "…alue" in shown


def test_listen_needs_a_secret(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["webhooks", "listen"]) == 1
    assert "config set webhook_secret" in capsys.readouterr().err


def test_listen_refuses_a_public_address_without_the_flag(
        capsys: pytest.CaptureFixture[str]) -> None:
    run(["config", "set", "webhook_secret", "a-long-enough-secret-value"])
    assert run(["webhooks", "listen", "--host", "0.0.0.0"]) == 2
    assert "--public" in capsys.readouterr().err


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("192.168.1.5", False), ("example.com", False)])
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_events_tail_prints_lines_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_path("default"))
    for provider, body, ctype in (("mobiniti", MOBINITI_INBOUND, JSON),
                                  ("skycore", SKYCORE_SUBSCRIBE, XML)):
        store.add_events([stored_form(e) for e in parse(provider, body, ctype)])
    store.close()
    assert run(["events", "tail", "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and "skycore" in out[0] and "N301" in out[0]
    assert run(["events", "tail", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["kind"] for r in rows] == ["inbound_message", "subscribe"]
    assert rows[0] == {**rows[0], "provider": "mobiniti", "phone": "+19999999999",
                       "text": "This is an example message", "code": None}
    assert set(rows[1]) >= {"kind", "provider", "phone", "occurred_at", "code", "meaning",
                            "text"}
