"""The config file and the ``smsdesk config`` verbs, as a person uses them from a shell."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tui import config as cfg

TOKEN = "mbn_live_4f0c9e2d7a1b4c3d9e8f7a6b5c4d1a2b"


def smsdesk(
    *args: str, config: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "SMSDESK_TOKEN"}
    full_env.update({"SMSDESK_CONFIG": str(config), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    return tmp_path / "conf" / "config.toml"


def test_init_then_show_masks_the_token_and_file_is_private(config_file: Path) -> None:
    done = smsdesk("config", "init", "--token-stdin", config=config_file, stdin=TOKEN + "\n")
    assert done.returncode == 0, done.stderr
    assert TOKEN not in done.stdout + done.stderr
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600

    shown = smsdesk("config", "show", config=config_file)
    assert shown.returncode == 0
    assert TOKEN not in shown.stdout
    assert "mbn_…1a2b" in shown.stdout


def test_set_validates_and_leaves_the_file_untouched_on_a_bad_value(config_file: Path) -> None:
    assert smsdesk("config", "init", config=config_file).returncode == 0
    before = config_file.read_text()
    bad = smsdesk("config", "set", "poll_interval", "fast", config=config_file)
    assert bad.returncode == 1
    assert "poll_interval" in bad.stderr and "Traceback" not in bad.stderr
    assert config_file.read_text() == before

    good = smsdesk("config", "set", "quiet_hours.start", "09:30", config=config_file)
    assert good.returncode == 0, good.stderr
    assert cfg.load(config_file).settings.profile().quiet_hours.start.hour == 9


def test_malformed_file_names_the_line_and_is_not_touched(config_file: Path) -> None:
    config_file.parent.mkdir(parents=True)
    config_file.write_text('default_profile = "x"\n[profiles.x]\nbase_url = \n')
    done = smsdesk("config", "show", config=config_file)
    assert done.returncode == 1
    assert str(config_file) in done.stderr and "line 3" in done.stderr
    assert "Traceback" not in done.stderr
    assert config_file.read_text().endswith("base_url = \n")


def test_unknown_flag_is_one_line_and_exit_2(config_file: Path) -> None:
    done = smsdesk("--frobnicate", config=config_file)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--frobnicate" in done.stderr


def test_help_and_version(config_file: Path) -> None:
    help_ = smsdesk("--help", config=config_file)
    assert help_.returncode == 0 and "--demo" in help_.stdout and "config" in help_.stdout
    version = smsdesk("--version", config=config_file)
    assert version.returncode == 0 and version.stdout.startswith("smsdesk ")


def test_profiles_lists_every_profile_and_marks_the_default(config_file: Path) -> None:
    smsdesk("config", "init", config=config_file)
    smsdesk("config", "init", "--profile", "shop", "--base-url", "http://127.0.0.1:9/v1",
            config=config_file)
    done = smsdesk("config", "profiles", config=config_file)
    lines = done.stdout.splitlines()
    assert any(line.startswith("* default") for line in lines)
    assert any("shop" in line and "127.0.0.1:9" in line for line in lines)


def test_loose_mode_with_a_token_gives_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    settings = cfg.Settings(profiles={"default": cfg.Profile(token=TOKEN)})
    cfg.save(settings, path)
    path.chmod(0o644)
    loaded = cfg.load(path)
    assert loaded.warnings and "chmod 600" in loaded.warnings[0]
    assert TOKEN not in loaded.warnings[0]


def test_env_token_overrides_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cfg.TOKEN_ENV, "mbn_env_token_0000")
    assert cfg.resolve_token(cfg.Profile(token="mbn_file_token")) == "mbn_env_token_0000"


def test_unknown_profile_says_how_to_create_it() -> None:
    with pytest.raises(cfg.ConfigError, match="config init --profile shop"):
        cfg.Settings().profile("shop")


def test_mask_never_reveals_a_short_token() -> None:
    assert "short" not in cfg.mask_token("short")
    assert cfg.mask_token(None) == cfg.mask_token("") == "(not set)"
