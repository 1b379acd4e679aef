"""``smsdesk contacts …`` and ``smsdesk optin …`` from a shell, against a sandbox on a socket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.sandbox import DEMO_TOKEN, Sandbox, SandboxConfig, create_app
from tui.sandbox.serve import serve_in_thread


@dataclass
class Shell:
    sandbox: Sandbox
    home: Path

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMSDESK_")}
        env.update({"SMSDESK_CONFIG": str(self.home / "config.toml"), "SMSDESK_TOKEN": DEMO_TOKEN,
                    "XDG_DATA_HOME": str(self.home / "data"),
                    "XDG_STATE_HOME": str(self.home / "state"),
                    "XDG_CACHE_HOME": str(self.home / "cache")})
        return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True,
                              text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shell]:
    sandbox = create_app(SandboxConfig(seed=4, contacts=120, rate_limit=False, inbound_rate=0.0,
                                       reply_probability=0.0, failure_rate=0.0))
    home = tmp_path_factory.mktemp("contacts-cli")
    with serve_in_thread(sandbox) as url:
        cfg = sandbox.config
        (home / "config.toml").write_text(
            f'default_profile = "t"\n[profiles.t]\nbase_url = "{url}/v1"\n'
            f'[profiles.t.optin]\nprotexting_url = "{url}/protexting"\n'
            f'protexting_token = "{cfg.protexting_token}"\nskycore_url = "{url}/skycore/API/"\n'
            f'skycore_api_key = "{cfg.skycore_api_key}"\n', encoding="utf-8")
        shell = Shell(sandbox, home)
        synced = shell.run("contacts", "sync")
        assert synced.returncode == 0, synced.stderr
        yield shell


def test_sync_reports_progress_on_stderr_and_the_result_on_stdout(shell: Shell) -> None:
    again = shell.run("contacts", "sync")
    assert again.returncode == 0 and again.stdout.startswith("refresh: 0 new or changed")


def test_search_json_is_one_object_a_line(shell: Shell) -> None:
    someone = sorted(shell.sandbox.state.contacts.values(), key=lambda c: c.id)[3]
    found = shell.run("contacts", "search", someone.phone_number[-7:], "--json", "--limit", "5")
    assert found.returncode == 0, found.stderr
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert someone.id in [r["id"] for r in rows]
    assert {"id", "phone_number", "first_name", "last_name", "email", "subscribed"} <= set(rows[0])


def test_export_then_dry_run_import_changes_nothing(shell: Shell) -> None:
    target = shell.home / "all.csv"
    exported = shell.run("contacts", "export", str(target))
    assert exported.returncode == 0, exported.stderr
    dry = shell.run("contacts", "import", str(target), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("dry run: 0 new, 0 updated, 120 unchanged, 0 invalid")


def test_unsubscribe_numbers_and_a_bad_group_fails_in_one_line(shell: Shell) -> None:
    phones = sorted(c.phone_number for c in shell.sandbox.state.contacts.values()
                    if c.subscribed)[:2]
    done = shell.run("contacts", "unsubscribe", *phones)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2 unsubscribed."
    bad = shell.run("contacts", "export", str(shell.home / "x.csv"), "--group", "No Such")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    assert "no group named 'No Such'" in bad.stderr


def test_optin_through_both_providers(shell: Shell) -> None:
    pt = shell.run("optin", "protexting", "(646) 555-0177", "--group", "1")
    assert pt.returncode == 0, pt.stderr
    assert "16465550177" in shell.sandbox.protexting.contacts
    sky = shell.run("optin", "skycore", "+12125550142", "--campaign", "9999")
    assert sky.returncode == 1
    assert sky.stderr.splitlines()[-1].startswith("smsdesk optin: Skycore does not know this")
    ok = shell.run("optin", "skycore", "+12125550142", "--campaign", "1116")
    assert ok.returncode == 0 and "subscribed" in ok.stdout
