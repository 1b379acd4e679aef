"""The kill -9 campaign: smsdesk killed at random moments, restarted, and checked every time.

A sandbox runs in its own process (``crash_server``) and counts what it received. Each round
starts a smsdesk process on one profile (one SQLite file for the whole campaign), kills it with
SIGKILL after a random delay, restarts it on the same profile until it finishes, then checks:
every intended text is on the server exactly once (or visibly failed/unclear and not there),
the drafts written before are unchanged, ``PRAGMA integrity_check`` is ok, and a sync that was
cut off went on from the page it had reached.

``python -m tests.reliability.crash_kit --kills 60`` runs the long campaign and prints figures.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tui.sandbox import DEMO_TOKEN

ROOT = Path(__file__).resolve().parents[2]
PROFILE = "t"
OPT_OUT = "Reply STOP to opt out."
# A drafted reply the person has not sent: must come through every kill unchanged.
DRAFTS = {"+16502530990": "Draft one: call me back 🙂", "+16502530991": "Draft two\nline two"}
FINISH_TIMEOUT = 240.0
STARTUP_SHARE = 0.2  # of reply/sync kills: at a random moment from the process start


@dataclass
class Figures:
    """What the campaign did and found; ``problems`` lists every failed check in words."""

    rounds: int = 0
    kills: int = 0
    finished_before_kill: int = 0
    phases: collections.Counter[str] = field(default_factory=collections.Counter)
    texts_intended: int = 0
    duplicates: int = 0
    lost: int = 0
    visibly_not_sent: int = 0
    failed_but_sent: int = 0
    integrity_checks: int = 0
    integrity_ok: int = 0
    drafts_checks: int = 0
    drafts_ok: int = 0
    scheduled_intended: int = 0
    rows_imported: int = 0
    rows_rejected_on_rerun: int = 0
    syncs_cut: int = 0
    syncs_resumed: int = 0
    sync_pages_refetched: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"rounds {self.rounds}, kills {self.kills} "
            f"(+{self.finished_before_kill} finished before their kill moment)",
            "moments killed: " + ", ".join(f"{k} {v}" for k, v in sorted(self.phases.items())),
            f"texts intended {self.texts_intended}: duplicates {self.duplicates}, lost "
            f"{self.lost}, visibly not sent {self.visibly_not_sent}, failed-but-sent "
            f"{self.failed_but_sent}",
            f"integrity_check ok {self.integrity_ok}/{self.integrity_checks}, drafts intact "
            f"{self.drafts_ok}/{self.drafts_checks}",
            f"syncs cut {self.syncs_cut}, resumed at their page {self.syncs_resumed}, contacts "
            f"pages fetched again after a kill {self.sync_pages_refetched}",
            f"scheduled texts intended {self.scheduled_intended} (in the figures above)",
            f"import rows {self.rows_imported}, rejected on the re-run "
            f"{self.rows_rejected_on_rerun}",
            f"took {self.seconds:.0f} s",
        ]
        out += [f"PROBLEM: {p}" for p in self.problems]
        return out


class Bench:
    """The server process, the profile, and ways to start, kill and inspect smsdesk."""

    def __init__(self, home: Path, *, contacts: int, group_size: int, seed: int) -> None:
        self.home = home
        self.rng = random.Random(seed)
        self.figures = Figures()
        self.group_size = group_size
        self.contacts = contacts + group_size
        self.steps = home / "steps.log"
        self.mark = 0  # requests made before the current round
        self.importing: set[str] = set()  # the numbers of the import round under way
        self.server = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_server", "--contacts", str(contacts),
             "--group-size", str(group_size)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=self._env(), cwd=ROOT)
        assert self.server.stdout is not None
        self.url = self.server.stdout.readline().strip()
        if not self.url.startswith("http://"):
            raise RuntimeError(f"crash server did not start: {self.url!r}")
        (home / "config.toml").write_text(
            f'default_profile = "{PROFILE}"\n[profiles.{PROFILE}]\nbase_url = "{self.url}/v1"\n',
            encoding="utf-8")
        self.http = httpx.Client(base_url=self.url, timeout=30)
        self.db = home / "data" / "smsdesk" / f"{PROFILE}.db"
        self.numbers = [f"+1650253{i:04d}" for i in range(group_size)]
        (home / "numbers.txt").write_text("\n".join(self.numbers) + "\n", encoding="utf-8")

    def close(self) -> None:
        self.http.close()
        assert self.server.stdin is not None
        self.server.stdin.close()
        try:
            self.server.wait(10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()

    # --- processes -----------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMSDESK_")}
        env.update({"SMSDESK_CONFIG": str(self.home / "config.toml"), "SMSDESK_TOKEN": DEMO_TOKEN,
                    "XDG_DATA_HOME": str(self.home / "data"),
                    "XDG_STATE_HOME": str(self.home / "state"),
                    "XDG_CACHE_HOME": str(self.home / "cache"),
                    "CRASH_STEPS": str(self.steps), "PYTHONPATH": str(ROOT)})
        return env

    def start(self, args: list[str]) -> subprocess.Popen[bytes]:
        with open(self.home / "out.log", "ab") as out:
            return subprocess.Popen([sys.executable, "-m", *args], env=self._env(), cwd=ROOT,
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=out)

    def kill_at_random(self, args: list[str], window: tuple[float, float], job: str) -> bool:
        """Start, SIGKILL after a random delay; False if it finished first (no kill)."""
        self.steps.write_text("", encoding="utf-8")
        process = self.start(args)
        # Most kills land once the work has begun (the driver's first step); some during
        # start-up (opening and migrating the store, taking the lock).
        if job in ("replies", "sync", "schedule") and self.rng.random() > STARTUP_SHARE:
            self._wait_for_first_step(process)
        try:
            process.wait(self.rng.uniform(*window))
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            self.figures.kills += 1
            self.figures.phases[self.phase(job)] += 1
            return True
        self.figures.finished_before_kill += 1
        return False

    def _wait_for_first_step(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 20
        while (process.poll() is None and time.monotonic() < deadline
               and not self.steps.stat().st_size):
            time.sleep(0.02)

    def driver_round(self, job: str, number: int, plan: Sequence[tuple[str, ...]],
                     seconds: float) -> None:
        """One round of a crash driver job: its plan written to a file, the driver killed at a
        random moment within ``seconds``, run again to the end, the store checked."""
        path = self.home / f"{job}-{number}.json"
        path.write_text(json.dumps(plan), encoding="utf-8")
        args = ["tests.reliability.crash_driver", job, str(path)]
        self.kill_at_random(args, (0.0, seconds), job)
        if self.finish(args) != 0:
            self.problem(f"{job} round {number}: the restart did not finish cleanly")
        self.check_store()

    def finish(self, args: list[str]) -> int:
        """Run to the end; a non-zero exit is returned and its last lines kept in a problem."""
        log = self.home / "out.log"
        start = log.stat().st_size if log.exists() else 0
        process = self.start(args)
        try:
            code = process.wait(FINISH_TIMEOUT)
            if code:
                with open(log, "rb") as out:
                    out.seek(start)
                    tail = out.read().decode(errors="replace").strip().splitlines()[-4:]
                self.problem(f"{' '.join(args[:3])} exited {code}: {' | '.join(tail)}")
            return code
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            self.problem(f"{' '.join(args)} did not finish in {FINISH_TIMEOUT:.0f} s")
            return -1

    def problem(self, text: str) -> None:
        self.figures.problems.append(text)

    # --- what the process left behind --------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            yield conn
        finally:
            conn.close()

    def phase(self, job: str) -> str:
        """Where the killed process was, from its last step and what the store holds."""
        lines = self.steps.read_text(encoding="utf-8").splitlines()
        if job == "import":
            rows = sum(1 for m, p, _, status in self.requests()[self.mark:]
                       if m == "POST" and p == "/v1/contacts" and status == 201)
            if self._created_not_cached():
                return "import: a row created on the server, not yet cached"
            return "import: before the first row" if not rows else "import: rows going in"
        if job == "campaign":
            if not self.db.exists():
                return "campaign: starting"
            with self.reading() as conn:
                sends = conn.execute("SELECT count(*) FROM campaign_sends WHERE state = "
                                     "'sending'").fetchone()[0]
                states = dict(conn.execute(
                    "SELECT state, count(*) FROM outbox WHERE kind = 'batch' AND state IN "
                    "('queued', 'sending') GROUP BY state").fetchall())
            if not sends:
                return "campaign: before the send was stored"
            if states.get("sending"):
                return "campaign: a batch posting"
            if states.get("queued"):
                return "campaign: a batch queued"
            return "campaign: between batches"
        if not lines:
            return f"{job}: starting up"
        if job == "schedule" and lines[-1].startswith("schedule: saving"):
            from tests.reliability.crash_schedule import schedule_phase

            return schedule_phase(self, int(lines[-1].split()[-1]))
        if job == "replies" and lines[-1] == "replies: waiting for the outbox":
            with self.reading() as conn:
                open_states = {s for (s,) in conn.execute(
                    "SELECT state FROM outbox WHERE kind = 'single' AND state IN "
                    "('queued', 'sending')")}
            return ("replies: a reply posting" if "sending" in open_states
                    else "replies: replies queued" if open_states else "replies: all sent")
        last = lines[-1]
        if last.startswith("sync:"):
            return " ".join(last.split()[:3]) if "page" in last else last
        if last.startswith("replies: in the outbox") or last.startswith("replies: enter"):
            return "replies: enter pressed" if "enter" in last else "replies: in the outbox"
        return last if not last[-1].isdigit() else last.rsplit(" ", 1)[0]

    def _created_not_cached(self) -> bool:
        """A row of this round's file is on the server and not in the store: its create's
        answer had not been read when the process died."""
        wanted = self.importing
        names = self.http.get("/_crash/names").json()
        with self.reading() as conn:
            cached = {p for (p,) in conn.execute("SELECT phone FROM contacts")}
        return any(p in names and p not in cached for p in wanted)

    def check_store(self) -> None:
        """integrity_check ok; the drafts written at the start unchanged."""
        with self.reading() as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
            drafts = dict(conn.execute("SELECT phone, text FROM drafts").fetchall())
        self.figures.integrity_checks += 1
        if result == [("ok",)]:
            self.figures.integrity_ok += 1
        else:
            self.problem(f"integrity_check: {result[:3]}")
        self.figures.drafts_checks += 1
        kept = {p: drafts.get(p) for p in DRAFTS}
        if kept == DRAFTS:
            self.figures.drafts_ok += 1
        else:
            self.problem(f"drafts changed: {kept}")
        leftovers = {p: t for p, t in drafts.items() if p not in DRAFTS}
        if leftovers:
            self.problem(f"a sent text is still a draft (Enter would send it again): {leftovers}")

    def server_texts(self) -> collections.Counter[tuple[str, str]]:
        return collections.Counter((p, t) for p, t in self.http.get("/_crash/texts").json())

    def requests(self) -> list[tuple[str, str, int | None, int]]:
        return [(m, p, page, status)
                for m, p, page, status in self.http.get("/_crash/requests").json()]

    def check_texts(self, intended: list[tuple[str, str]]) -> None:
        """Each (phone, text) exactly once on the server, or visibly not sent and absent."""
        on_server = self.server_texts()
        with self.reading() as conn:
            states: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
            for phone, body, state in conn.execute(
                    "SELECT phone, body, state FROM outbox WHERE kind = 'single'"):
                states[(phone, body)].add(state)
            for phones, body, state, recipients in conn.execute(
                    "SELECT phones, body, state, recipients FROM outbox WHERE kind = 'batch'"):
                outcome = json.loads(recipients or "{}")
                for phone in json.loads(phones or "[]"):
                    got = outcome.get(phone, {})
                    states[(phone, body)].add(got.get("state", state) if isinstance(got, dict)
                                              else state)
        self.figures.texts_intended += len(intended)
        for wanted in intended:
            count = on_server[wanted]
            shown = states.get(wanted, set())
            if count > 1:
                self.figures.duplicates += 1
                self.problem(f"sent {count} times: {wanted}")
            elif count == 0 and shown & {"failed", "unclear", "cancelled", "refused",
                                         "missing"}:
                self.figures.visibly_not_sent += 1
            elif count == 0:
                self.figures.lost += 1
                self.problem(f"lost (not on the server, store says {sorted(shown)}): {wanted}")
            elif "failed" in shown and "sent" not in shown:
                self.figures.failed_but_sent += 1
                self.problem(f"shown as failed but on the server: {wanted}")


# --- the jobs ------------------------------------------------------------------------

def replies_round(bench: Bench, number: int, texts: int) -> None:
    plan = [(bench.numbers[(number * texts + i) % len(bench.numbers)],
             f"crash reply {number}.{i}: on my way") for i in range(texts)]
    bench.driver_round("replies", number, plan, 0.5 + texts * 1.1)
    bench.check_texts(plan)


def campaign_round(bench: Bench, number: int) -> None:
    text = f"Crash sale {number}: 10% off today. {OPT_OUT}"
    send = ["tui", "campaign", "send", "--numbers", str(bench.home / "numbers.txt"),
            "--message", text, "--no-sync", "--quiet-hours", "ignore", "--yes", "--json",
            "--name", f"crash {number}"]
    batches = -(-bench.group_size // 100)
    bench.kill_at_random(send, (0.5, 2.0 + batches * 1.1), "campaign")
    # The person's way back: resume what was cut off; if nothing was stored, send again.
    with bench.reading() as conn:
        stored = conn.execute("SELECT count(*) FROM campaign_sends WHERE name = ?",
                              (f"crash {number}",)).fetchone()[0]
    code = bench.finish(["tui", "campaign", "resume", "--json"] if stored else send)
    if code != 0:
        bench.problem(f"campaign round {number}: finishing exited {code}")
    bench.check_store()
    bench.check_texts([(phone, text) for phone in bench.numbers])


def sync_round(bench: Bench, number: int) -> None:
    before = len(bench.requests())
    pages = -(-bench.contacts // 100) + 1
    killed = bench.kill_at_random(["tests.reliability.crash_driver", "sync"],
                                  (0.0, pages * 1.05), "sync")
    with bench.reading() as conn:
        cursors = dict(conn.execute("SELECT name, value FROM sync_cursors").fetchall())
    cut = {kind: int(cursors[f"sync.{kind}.next_page"]) for kind in ("groups", "contacts")
           if cursors.get(f"sync.{kind}.next_page", "").isdigit()}
    at_kill = len(bench.requests())
    if bench.finish(["tests.reliability.crash_driver", "sync"]) != 0:
        bench.problem(f"sync round {number}: the restart did not finish cleanly")
    bench.check_store()
    requests = bench.requests()
    after = requests[at_kill:]
    if killed and cut:
        bench.figures.syncs_cut += 1
        resumed = True
        for kind, page in cut.items():
            first = next((pg for m, p, pg, _ in after if m == "GET" and p == f"/v1/{kind}"),
                         None)
            if first != page:
                resumed = False
                bench.problem(f"sync round {number}: {kind} cut before page {page}, the "
                              f"restart asked for page {first}")
        bench.figures.syncs_resumed += resumed
    if killed:  # contacts pages served before the kill and again after it
        def served(part: list[tuple[str, str, int | None, int]]) -> set[int]:
            return {pg or 1 for m, p, pg, status in part
                    if m == "GET" and p == "/v1/contacts" and status == 200}

        bench.figures.sync_pages_refetched += len(served(requests[before:at_kill])
                                                  & served(after))
    with bench.reading() as conn:
        local = conn.execute("SELECT count(*) FROM contacts").fetchone()[0]
        finished = conn.execute("SELECT value FROM sync_cursors WHERE name = "
                                "'sync.contacts.next_page'").fetchone()
    expected = bench.http.get("/_crash/contacts").json()
    if local != expected or finished is not None:
        bench.problem(f"sync round {number}: {local} contacts here, {expected} on the server, "
                      f"cursor left {finished}")


def import_round(bench: Bench, number: int, rows: int = 8) -> None:
    """``smsdesk contacts import`` killed, then run again on the same file: every row once."""
    wanted = {f"+1415555{number * rows + i:04d}": f"Imp{number}x{i}" for i in range(rows)}
    path = bench.home / f"import-{number}.csv"
    path.write_text("phone_number,first_name\n" + "".join(
        f"{p},{n}\n" for p, n in wanted.items()), encoding="utf-8")
    args = ["tui", "contacts", "import", str(path)]
    bench.mark = len(bench.requests())
    bench.importing = set(wanted)
    bench.kill_at_random(args, (0.5, 2.0 + rows * 1.1), "import")
    if bench.finish(args) != 0:
        bench.problem(f"import round {number}: the re-run did not finish cleanly")
    bench.check_store()
    names = bench.http.get("/_crash/names").json()
    bench.figures.rows_imported += len(wanted)
    for phone, name in wanted.items():
        if names.get(phone) != name:
            bench.problem(f"import round {number}: {phone} is {names.get(phone)!r} on the "
                          f"server, not {name!r}")
    rejected = path.with_name(path.stem + ".rejected.csv")
    if rejected.exists():
        bench.figures.rows_rejected_on_rerun += len(rejected.read_text().splitlines()) - 1
        bench.problem(f"import round {number}: the re-run rejected rows that were imported: "
                      f"{rejected.read_text()[:300]!r}")
        rejected.unlink()


def write_drafts(bench: Bench) -> None:
    """The drafts every check compares against, written by smsdesk's own store."""
    from tui.store import open_store

    bench.db.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(bench.db)
    try:
        for phone, text in DRAFTS.items():
            store.save_draft(phone, text)
    finally:
        store.close()


def run_campaign(kills: int, *, seed: int = 1, contacts: int = 300, group_size: int = 250,
                 texts_per_round: int = 4, home: Path | None = None,
                 jobs: tuple[str, ...] = ("replies", "campaign", "sync")) -> Figures:
    """Rounds of replies, campaign and sync in turn until ``kills`` kills have landed."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="smsdesk-crash-") as tmp:
        bench = Bench(home or Path(tmp), contacts=contacts, group_size=group_size, seed=seed)
        try:
            write_drafts(bench)
            number = 0
            while bench.figures.kills < kills and number < kills * 3:
                job = jobs[number % len(jobs)]
                if job == "replies":
                    replies_round(bench, number, texts_per_round)
                elif job == "campaign":
                    campaign_round(bench, number)
                elif job == "import":
                    import_round(bench, number)
                elif job == "schedule":
                    from tests.reliability.crash_schedule import schedule_round

                    schedule_round(bench, number, texts_per_round)
                else:
                    sync_round(bench, number)
                number += 1
                bench.figures.rounds = number
        finally:
            bench.close()
        bench.figures.seconds = time.monotonic() - started
        return bench.figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--group-size", type=int, default=250)
    parser.add_argument("--jobs", default="replies,campaign,sync",
                        help="comma-separated: replies, campaign, sync, import, schedule")
    args = parser.parse_args(argv)
    figures = run_campaign(args.kills, seed=args.seed, contacts=args.contacts,
                           group_size=args.group_size, jobs=tuple(args.jobs.split(",")))
    for line in figures.lines():
        print(line)
    return 0 if not figures.problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
