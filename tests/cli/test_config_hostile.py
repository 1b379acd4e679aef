"""A config file gone bad never ends in a traceback: a sentence names the file and the fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import config as cfg

CASES = {
    "malformed": (b"default_profile = \n[profiles", "fix that line"),
    "wrong types": (b"[profiles.default]\npoll_interval = \"fast\"\nbell = [1, 2]\n",
                    "poll_interval"),
    "not utf-8": (b"\xff\xfe\x00bad", "not UTF-8"),
    "unknown key": (b"colour = \"red\"\n", "colour"),
}


def _run(args: list[str], config: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SMSDESK_TOKEN"}
    env.update({"SMSDESK_CONFIG": str(config), "XDG_DATA_HOME": str(config.parent / "data")})
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          env=env, timeout=60, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_config_is_one_sentence_for_show_and_for_the_app(case: str, tmp_path: Path
                                                              ) -> None:
    content, expected = CASES[case]
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    for args in (["config", "show"], []):
        done = _run(args, config)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert expected in done.stderr and str(config) in done.stderr
    assert config.read_bytes() == content  # left as it was


def test_a_config_that_is_a_folder_says_so(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.mkdir()
    done = _run(["config", "show"], config)
    assert done.returncode == 1 and "is a folder" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreadable_config_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    config.chmod(0o000)
    if os.geteuid() == 0:  # root reads anything: make reading fail the way it would for a person
        def refuse(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied", str(self))

        monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(cfg.ConfigError, match=r"chmod u\+r"):
        cfg.load(config)


def test_a_config_symlinked_elsewhere_is_read_through_and_a_dangling_one_is_the_defaults(
    tmp_path: Path,
) -> None:
    target = tmp_path / "elsewhere" / "real.toml"
    target.parent.mkdir()
    target.write_text('[profiles.default]\nbase_url = "https://example.test/v1"\n')
    link = tmp_path / "config.toml"
    link.symlink_to(target)
    assert cfg.load(link).settings.profile().base_url == "https://example.test/v1"
    target.unlink()
    loaded = cfg.load(link)
    assert not loaded.exists and loaded.settings == cfg.Settings()
