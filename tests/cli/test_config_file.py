"""The config file is read without pydantic: every value is still checked, with its place named."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from tui import config as cfg


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("poll_interval = 0.2", "profiles.shop.poll_interval"),
        ('poll_interval = "soon"', "profiles.shop.poll_interval"),
        ('base_url = "ftp://example.com"', "profiles.shop.base_url"),
        ('default_country = "USA"', "profiles.shop.default_country"),
        ('bell = "yes"', "profiles.shop.bell"),
        ("tokn = 'typo'", "profiles.shop.tokn"),
        ("keymap = 3", "profiles.shop.keymap"),
        ("quiet_hours = { start = '25:00' }", "profiles.shop.quiet_hours.start"),
    ],
)
def test_a_bad_value_names_its_place_and_the_file(tmp_path: Path, line: str, named: str) -> None:
    path = write(tmp_path, f'default_profile = "shop"\n[profiles.shop]\n{line}\n')
    with pytest.raises(cfg.ConfigError) as caught:
        cfg.load(path)
    assert named in str(caught.value) and str(path) in str(caught.value)


def test_a_full_profile_reads_typed_and_survives_a_save(tmp_path: Path) -> None:
    path = write(tmp_path, """default_profile = "shop"
[profiles.shop]
base_url = "https://api.example.com/v1/"
token = "mbn_file_token_1234"
default_country = "gb"
poll_interval = 20
bell = true
newline_key = "ctrl+n"
[profiles.shop.quiet_hours]
start = "09:30:00"
end = 20:00:00
[profiles.shop.keymap]
"inbox.next_unread" = "j"
""")
    profile = cfg.load(path).settings.profile()
    assert profile.base_url == "https://api.example.com/v1"
    assert profile.default_country == "GB" and profile.poll_interval == 20.0 and profile.bell
    assert profile.quiet_hours.window == (time(9, 30), time(20, 0))
    assert profile.keymap == {"inbox.next_unread": "j"}
    again = tmp_path / "again.toml"
    cfg.save(cfg.load(path).settings, again)
    assert cfg.load(again).settings == cfg.load(path).settings


def test_keyword_construction_checks_values_too() -> None:
    with pytest.raises(cfg.Invalid, match="poll_interval"):
        cfg.Profile(poll_interval=0.5)
    assert cfg.Profile(base_url="http://sandbox/v1/").base_url == "http://sandbox/v1"


def test_set_value_refuses_an_unknown_key_and_keeps_the_input(tmp_path: Path) -> None:
    settings = cfg.Settings()
    with pytest.raises(cfg.ConfigError, match="Unknown setting"):
        cfg.set_value(settings, "default", "colour", "red")
    changed = cfg.set_value(settings, "default", "bell", "on")
    assert changed.profile().bell and not settings.profile().bell
