"""``smsdesk send|schedule|campaign|scheduled`` from a shell, against a sandbox on a real socket."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.sandbox import DEMO_TOKEN, ChaosConfig, Sandbox, SandboxConfig, create_app
from tui.sandbox.records import ContactRecord, GroupRecord
from tui.sandbox.serve import serve_in_thread

FOOTER = " Reply STOP to opt out."
CHAOS_ENV = "SMSDESK_CHAOS_CAMPAIGN"


@dataclass
class Served:
    sandbox: Sandbox
    url: str
    home: Path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMSDESK_")}
        env.update({"SMSDESK_CONFIG": str(self.home / "config.toml"), "SMSDESK_TOKEN": DEMO_TOKEN,
                    "XDG_DATA_HOME": str(self.home / "data"),
                    "XDG_STATE_HOME": str(self.home / "state"),
                    "XDG_CACHE_HOME": str(self.home / "cache")})
        return env

    def run(self, *args: str, stdin: str = "", timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tui", *args], input=stdin,
                              capture_output=True, text=True, env=self.env(), timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen[str]:
        """The command running in the background (stdout and stderr to files in ``home``)."""
        with (self.home / "start.out").open("w") as out:  # the child keeps its own copy
            return subprocess.Popen([sys.executable, "-m", "tui", *args], stdout=out,
                                    stderr=subprocess.STDOUT, text=True, env=self.env())

    def texts_to(self, phone: str) -> list[str]:
        return [r.message for r in self.sandbox.state.messages
                if r.direction == "outgoing" and r.phone_number == phone]


def add_group(sandbox: Sandbox, name: str, count: int, area: str = "650253",
              names: int = 7) -> list[str]:
    state = sandbox.state
    now = state.now()
    group = GroupRecord(id=state.ids.new(), name=name, created_at=now, updated_at=now)
    state.groups[group.id] = group
    phones = []
    for index in range(count):
        contact = ContactRecord(id=state.ids.new(), phone_number=f"+1{area}{index:04d}",
                                created_at=now, updated_at=now,
                                first_name=f"Pat{index % names}")
        state.add_contact(contact)
        state.join_group(contact, group.id)
        phones.append(contact.phone_number)
    return phones


def _serve(tmp_path: Path, quiet: tuple[str, str] = ("00:00", "23:59"), **config: object
           ) -> Iterator[Served]:
    settings: dict[str, object] = {"contacts": 5, "rate_limit": False, "inbound_rate": 0.0,
                                   "reply_probability": 0.0, "failure_rate": 0.0}
    settings.update(config)
    sandbox = create_app(SandboxConfig(**settings))  # type: ignore[arg-type]
    with serve_in_thread(sandbox) as url:
        home = tmp_path
        (home / "config.toml").write_text(
            f'default_profile = "t"\n[profiles.t]\nbase_url = "{url}/v1"\n'
            f'[profiles.t.quiet_hours]\nstart = "{quiet[0]}"\nend = "{quiet[1]}"\n',
            encoding="utf-8")
        yield Served(sandbox, url, home)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    yield from _serve(tmp_path)


def test_campaign_send_yes_texts_a_group_in_batches_and_prints_the_report(
    served: Served,
) -> None:
    phones = add_group(served.sandbox, "Regulars", 150)
    done = served.run("campaign", "send", "--group", "regulars", "--message",
                      "Hi {first_name}, doors open at 9." + FOOTER, "--yes", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["sent"] == 150 and report["state"] == "done" and not report["failed"]
    assert served.texts_to(phones[1]) == ["Hi Pat1, doors open at 9." + FOOTER]
    assert all(len(served.texts_to(p)) == 1 for p in phones)


def test_campaign_send_is_blocked_with_a_one_line_reason(served: Served) -> None:
    add_group(served.sandbox, "Regulars", 3)
    no_footer = served.run("campaign", "send", "--group", "Regulars", "--message", "Hi", "--yes")
    missing = served.run("campaign", "send", "--group", "Regulars", "--message",
                         "Hi {nickname}" + FOOTER, "--yes")
    unknown = served.run("campaign", "send", "--group", "Nope", "--message", "x" + FOOTER,
                         "--yes")
    unconfirmed = served.run("campaign", "send", "--group", "Regulars", "--message",
                             "Hi" + FOOTER)
    assert no_footer.returncode == 1 and "opt-out" in no_footer.stderr
    assert missing.returncode == 1 and "{nickname}" in missing.stderr and "Pat0" in missing.stderr
    assert unknown.returncode == 1 and "no group named 'Nope'" in unknown.stderr
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    assert not [r for r in served.sandbox.state.messages if r.direction == "outgoing"
                and r.phone_number.startswith("+1650253")]


def test_send_schedule_list_and_cancel(served: Served) -> None:
    [phone] = add_group(served.sandbox, "One", 1)
    sent = served.run("send", phone, "Hello {first_name}", "--json")
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["state"] == "sent"
    assert served.texts_to(phone) == ["Hello Pat0"]
    past = served.run("schedule", phone, "Later", "--at", "2020-01-01T10:00:00Z")
    assert past.returncode == 1 and "past" in past.stderr
    scheduled = served.run("schedule", phone, "Later", "--at", "2099-01-01T15:00:00Z", "--json")
    assert scheduled.returncode == 0, scheduled.stderr
    item_id = json.loads(scheduled.stdout)["id"]
    listed = served.run("scheduled", "list", "--json")
    assert [i["id"] for i in json.loads(listed.stdout) if i["message"] == "Later"] == [item_id]
    cancelled = served.run("scheduled", "cancel", item_id)
    assert cancelled.returncode == 0 and item_id not in served.sandbox.state.scheduled


def test_numbers_from_a_file_and_the_quiet_hours_choice(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    # A half-hour window that is never now (in California it is hours away): everyone is held.
    # Whole hours, so the window is never empty (at :59 the old one ran from 23:59 to 23:59).
    hour = (datetime.now(UTC) + timedelta(hours=3)).strftime("%H")
    for served in _serve(tmp_path, quiet=(f"{hour}:00", f"{hour}:30")):
        phones = add_group(served.sandbox, "Few", 2)
        numbers = tmp_path / "numbers.csv"
        numbers.write_text(f"name,phone\nA,{phones[0]}\nB,{phones[1]}\nC,{phones[1]}\nD,12\n",
                           encoding="utf-8")
        message = ["--message", "Hello." + FOOTER, "--yes", "--json"]
        held = served.run("campaign", "send", "--numbers", str(numbers), *message)
        assert held.returncode == 1 and "quiet hours" in held.stderr
        assert "--quiet-hours" in held.stderr
        done = served.run("campaign", "send", "--numbers", str(numbers), "--quiet-hours",
                          "schedule", *message)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["sent"] == 0 and len(report["scheduled"]) == 2
        assert "1 duplicate removed" in done.stderr and "invalid: 12" in done.stderr
        pending = [r for r in served.sandbox.state.scheduled.values()
                   if r.message == "Hello." + FOOTER]
        assert sorted(r.phone_number for r in pending) == sorted(phones)


@pytest.mark.skipif(not os.environ.get(CHAOS_ENV), reason=f"slow: set {CHAOS_ENV}=1")
def test_1000_recipients_under_30_percent_chaos_are_each_texted_exactly_once(
    tmp_path: Path,
) -> None:
    chaos = ChaosConfig(rate=0.3, seed=13)
    for served in _serve(tmp_path, rate_limit=True, chaos=chaos):
        # 40 first names: 40 texts, 40 batch requests, each a chance for a fault.
        phones = add_group(served.sandbox, "Everyone", 1000, names=40)
        done = served.run("campaign", "send", "--group", "Everyone", "--message",
                          "Big news, {first_name}." + FOOTER, "--yes", "--json", timeout=1200)
        assert done.returncode == 0, done.stderr[-2000:]
        copies = [len(served.texts_to(p)) for p in phones]
        report = json.loads(done.stdout)
        print(f"chaos faults: {dict(served.sandbox.chaos.counts)}; report: sent "
              f"{report['sent']}, requests {report['requests']}, attempts {report['attempts']}")
        assert copies == [1] * 1000


def test_a_send_killed_midway_is_finished_by_campaign_resume_and_nobody_is_texted_twice(
    tmp_path: Path,
) -> None:
    import signal
    import time

    message = "Doors open at 9." + FOOTER
    for served in _serve(tmp_path, rate_limit=True):
        phones = add_group(served.sandbox, "Everyone", 1000)  # 10 requests, one a second

        def texted(sandbox: Sandbox = served.sandbox) -> int:
            return sum(1 for r in sandbox.state.messages
                       if r.direction == "outgoing" and r.message == message)

        sending = served.start("campaign", "send", "--group", "Everyone", "--message", message,
                               "--yes", "--json")
        deadline = time.monotonic() + 120
        while texted() < 300 and sending.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        sending.send_signal(signal.SIGKILL)  # like a kill -9, maybe with a request in flight
        sending.wait(timeout=30)
        cut_at = texted()
        assert 300 <= cut_at < 1000, f"the send was not cut midway ({cut_at} texted)"

        resumed = served.run("campaign", "resume", "--json", timeout=300)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        [report] = json.loads(resumed.stdout)
        assert report["state"] == "done" and report["sent"] == 1000, report
        copies = Counter(r.phone_number for r in served.sandbox.state.messages
                         if r.direction == "outgoing" and r.message == message)
        assert [copies[p] for p in phones] == [1] * 1000  # every number exactly once
        again = served.run("campaign", "resume")
        assert again.returncode == 0 and "Nothing to resume" in again.stderr
