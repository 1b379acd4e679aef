"""#9's small ones: the demo cleans up, the config saves through links and says why it cannot,
its hints name commands that work, and a 10,000-character name keeps the panel readable."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.safety.hostile import FAMILY, LONG
from tui import config as cfg
from tui import launch
from tui.conversation_view import ConversationView
from tui.widgets.contact_panel import panel_text
from tui.widgets.conversation_list import row


@pytest.fixture
def demo_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``launch(demo=True)`` with its temporary folder under ``tmp_path`` and no log setup."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(launch, "setup_logging", lambda: tmp_path / "log")
    monkeypatch.setattr(launch, "install_crash_hooks", lambda: None)
    return tmp_path


def test_the_demo_removes_its_temporary_folder_on_exit(
    demo_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = demo_in
    seen: list[Path] = []

    def run(app: object) -> None:
        folder = next(tmp_path.glob(f"{launch.DEMO_FOLDER_PREFIX}*"))
        seen.append(folder)
        assert (folder / "demo.db").exists()

    from tui.app import SmsDeskApp

    monkeypatch.setattr(SmsDeskApp, "run", run)
    assert launch.launch(demo=True, profile=None) == 0
    assert seen and not seen[0].exists()


def test_the_demo_folder_goes_even_when_the_app_crashes(
    demo_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = demo_in
    from tui.app import SmsDeskApp

    def run(app: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(SmsDeskApp, "run", run)
    with pytest.raises(RuntimeError):
        launch.launch(demo=True, profile=None)
    assert not list(tmp_path.glob(f"{launch.DEMO_FOLDER_PREFIX}*"))


def test_a_symlinked_config_is_written_through_to_its_target(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "smsdesk.toml"
    link = tmp_path / "config.toml"
    cfg.save(cfg.Settings(), target)
    link.symlink_to(target)
    settings = cfg.set_value(cfg.load(link).settings, "default", "poll_interval", "9")
    cfg.save(settings, link)
    assert link.is_symlink() and link.resolve() == target
    assert cfg.load(target).settings.profile("default").poll_interval == 9
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert not list(dotfiles.glob(".config-*")) and not list(tmp_path.glob(".config-*"))


def test_a_config_link_that_points_to_itself_is_refused_clearly(tmp_path: Path) -> None:
    link = tmp_path / "config.toml"
    link.symlink_to(link)
    with pytest.raises(cfg.ConfigError, match="points to itself"):
        cfg.save(cfg.Settings(), link)


@pytest.mark.parametrize(
    ("where", "error", "words"),
    [
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "may not write in"),
        ("replace", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        ("replace", OSError(errno.EROFS, "Read-only file system"), "read-only"),
    ],
)
def test_saving_errors_name_the_problem_not_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, error: OSError, words: str
) -> None:
    path = tmp_path / "conf" / "config.toml"
    cfg.save(cfg.Settings(), path)
    before = path.read_text(encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(tempfile if where == "mkstemp" else os, where, fail)
    with pytest.raises(cfg.ConfigError) as caught:
        cfg.save(cfg.set_value(cfg.Settings(), "default", "bell", "true"), path)
    message = str(caught.value)
    assert words in message and str(path) in message
    assert ".config-" not in message and "Errno" not in message
    assert path.read_text(encoding="utf-8") == before
    assert not list(path.parent.glob(".config-*"))


def test_the_hint_for_an_unknown_key_in_the_file_names_a_command_that_works(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('colour = "red"\n[profiles.default]\npoll_intervall = 5\n', encoding="utf-8")
    with pytest.raises(cfg.ConfigError) as caught:
        cfg.load(path)
    message = str(caught.value)
    assert "unknown setting 'colour'" in message
    assert "unknown setting 'profiles.default.poll_intervall'" in message
    assert "smsdesk config set --help" in message
    env = {**os.environ, "SMSDESK_CONFIG": str(path)}
    done = subprocess.run([sys.executable, "-m", "tui", "config", "set", "--help"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "poll_interval" in done.stdout


def _view(title: str) -> ConversationView:
    return ConversationView(phone="+15551230000", title=title, phone_display="(555) 123-0000",
                            messages=[], email=LONG + "@example.com", groups=[LONG, "VIP"])


@pytest.mark.parametrize("width", [16, 25, 60])
def test_a_10000_character_name_never_pushes_the_number_out_of_the_panel(width: int) -> None:
    lines = panel_text(_view(LONG), width).plain.split("\n")
    assert lines[0].endswith("…") and cell_len(lines[0]) <= width
    assert lines[1] == "(555) 123-0000"
    assert lines[3] == "Subscribed"
    assert all(cell_len(line) <= width for line in lines)


def test_list_rows_stay_two_lines_and_keep_emoji_whole() -> None:
    class Line:
        phone, display_name, unread_count, opted_out = "+15551230000", LONG, 2, False
        preview = ("x" * 20 + FAMILY) * 500
        last_message_at = datetime(2026, 11, 30, 12, tzinfo=UTC)

    for width in (20, 36, 37, 38):
        text = row(Line(), datetime(2026, 11, 30, 13, tzinfo=UTC), LONG, width)
        lines = text.plain.split("\n")
        assert len(lines) == 2 and all(cell_len(line) <= width for line in lines)
        assert "\u200d…" not in lines[1] and not lines[1].rstrip("…").endswith("\u200d")


@pytest.mark.parametrize("keys", ["[/b]", "\x1b[2J", "[@click=app.quit]", "a b", "\x9b2J", ""])
def test_a_keymap_that_is_not_keys_is_refused_before_it_reaches_the_footer(keys: str) -> None:
    """The footer and help show the keymap: markup or escapes there would reach the screen."""
    with pytest.raises(cfg.ConfigError, match="is not a key"):
        cfg.set_value(cfg.Settings(), "default", "keymap.inbox.filter", keys)
    with pytest.raises(cfg.ConfigError, match="is not a key"):
        cfg.set_value(cfg.Settings(), "default", "newline_key", keys)


def test_real_keys_are_kept() -> None:
    settings = cfg.set_value(cfg.Settings(), "default", "keymap.inbox.filter", "ctrl+f, F")
    assert settings.profile("default").keymap == {"inbox.filter": "ctrl+f,F"}
