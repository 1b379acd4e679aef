"""``config set`` checks keys before writing them; ``smsdesk`` without a config says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import config as cfg
from tui.cli import run


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    monkeypatch.setenv(cfg.CONFIG_ENV, str(path))
    monkeypatch.delenv(cfg.TOKEN_ENV, raising=False)
    assert run(["config", "init"]) == 0
    return path


def _refused(argv: list[str], path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = path.read_text()
    capsys.readouterr()
    assert run(argv) != 0
    assert path.read_text() == before  # nothing written
    return capsys.readouterr().err


def test_set_refuses_an_unknown_binding_id(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(["config", "set", "keymap.inbox.jump_around", "j"], config_file, capsys)
    assert "'inbox.jump_around' is not a binding id" in err


def test_set_refuses_a_key_bound_twice(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(["config", "set", "keymap.inbox.next_unread", "f"], config_file, capsys)
    assert "'f' would be bound twice in Inbox" in err
    err = _refused(["config", "set", "keymap.inbox.search", "ctrl+q"], config_file, capsys)
    assert "app.quit" in err


@pytest.mark.parametrize("key", ["shift+enter", "ctrl+enter", "enter", "ctrl+m", "tab"])
def test_set_refuses_a_newline_key_terminals_send_as_enter(
    key: str, config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(["config", "set", "newline_key", key], config_file, capsys)
    assert "as Enter" in err and "ctrl+j" in err


def test_a_good_keymap_is_written_and_listed(
    config_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["config", "set", "keymap.inbox.next_unread", "ctrl+n"]) == 0
    assert cfg.load(config_file).settings.profile().keymap == {"inbox.next_unread": "ctrl+n"}
    capsys.readouterr()
    assert run(["config", "keys"]) == 0
    listed = capsys.readouterr().out
    assert "inbox.next_unread" in listed and "ctrl+n" in listed and "app.quit" in listed


def test_smsdesk_without_a_config_points_at_config_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(cfg.CONFIG_ENV, str(tmp_path / "none.toml"))
    monkeypatch.delenv(cfg.TOKEN_ENV, raising=False)
    assert run([]) == 1
    err = capsys.readouterr().err
    assert "smsdesk config init" in err and "smsdesk --demo" in err
