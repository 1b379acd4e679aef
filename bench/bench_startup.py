"""Cold start from outside: process start to the first drawn inbox, next to a bare Textual app.

``python bench/bench_startup.py [--quick] [--runs N]``. Each run starts a fresh process on a
pseudo-terminal (120×40), as a person's terminal would: ``smsdesk --profile bench`` with 1,000
conversations in its store (a server that is never reached), or a Textual app that draws
"hello". The clock runs from just before the spawn to the moment the first row of the inbox
(or "hello") appears in what the process wrote to the terminal; then ctrl+q quits it. Runs
alternate between the two apps so a busy neighbour slows both alike; medians are compared.
The same smsdesk runs also time the full screen: until the open conversation's oldest text
(only in the chat pane, never in the list) is drawn (``full_screen_ms``).
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS = 1000
TARGETS = {"cold_start_ratio": "<= 1.3"}
# The newest conversation's last text: on screen means the inbox list has been drawn.
INBOX_MARK = b"Text 0 from 0"
# The newest conversation's oldest text: only its chat bubble shows it (the chat side drawn).
CHAT_MARK = b"Text 2 from 0"
HELLO_MARK = b"hello"

HELLO_APP = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello")

Hello().run()
"""


def build_home(folder: Path) -> dict[str, str]:
    """A config with one profile and its store holding 1,000 conversations; the env to use it."""
    sys.path.insert(0, str(ROOT))
    from tui.api.models import Message
    from tui.store import open_store

    data, state = folder / "data", folder / "state"
    store = open_store(data / "smsdesk" / "bench.db")
    now = datetime.now(UTC)
    batch = []
    for i in range(CONVERSATIONS):
        phone = f"+1650253{i:04d}"
        for j in range(3):
            at = now - timedelta(minutes=i * 3 + j)
            batch.append(Message(
                id=f"m{i}-{j}", phone_number=phone, message=f"Text {j} from {i}",
                direction="incoming" if j != 1 else "outgoing", read=j != 0,
                created_at=at, updated_at=at,
            ))
    store.store_messages(batch)
    store.close()
    config = folder / "config.toml"
    # Port 9 (discard) on loopback: nothing answers, and start-up must not wait for it.
    config.write_text('default_profile = "bench"\n[profiles.bench]\n'
                      'base_url = "http://127.0.0.1:9/v1"\ntoken = "mbn_bench_token_0000"\n')
    config.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k != "SMSDESK_TOKEN"}
    env.update(SMSDESK_CONFIG=str(config), XDG_DATA_HOME=str(data), XDG_STATE_HOME=str(state),
               XDG_CACHE_HOME=str(folder / "cache"), PYTHONPATH=str(ROOT), TERM="xterm-256color",
               COLUMNS="120", LINES="40")
    return env


def cpu_ms(pid: int) -> float:
    """CPU time the process has used so far, all threads (Linux schedstat, ns precision)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e6


def time_to_mark(argv: list[str], mark: bytes, env: dict[str, str], timeout: float = 30.0
                 ) -> tuple[float, float]:
    """(wall ms, CPU ms) from spawning ``argv`` on a 120×40 pty until ``mark`` is drawn."""
    return time_to_marks(argv, (mark,), env, timeout)[0]


def time_to_marks(argv: list[str], marks: tuple[bytes, ...], env: dict[str, str],
                  timeout: float = 30.0) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) for each of ``marks``: from spawning ``argv`` on a 120×40 pty until
    it is drawn (each mark is looked for in everything written, from the start)."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the app
        os.chdir(ROOT)
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    found: dict[bytes, tuple[float, float]] = {}
    keep = max(len(mark) for mark in marks)
    try:
        while time.perf_counter() - started < timeout and len(found) < len(marks):
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen = seen[-keep:] + chunk
            for mark in marks:
                if mark not in found and mark in seen:
                    found[mark] = ((time.perf_counter() - started) * 1000, cpu_ms(pid))
        os.write(fd, b"\x11")  # ctrl+q
        _reap(pid, fd)
    finally:
        os.close(fd)
    for mark in marks:
        if mark not in found:
            raise RuntimeError(f"{argv[-1]!r} never drew {mark!r}")
    return [found[mark] for mark in marks]


def _reap(pid: int, fd: int, grace: float = 5.0) -> None:
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            if select.select([fd], [], [], 0.05)[0]:
                os.read(fd, 65536)  # keep the pty drained so the app can finish writing
        except OSError:
            pass
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def measure(quick: bool, runs: int | None = None) -> dict[str, float]:
    runs = runs or (9 if quick else 15)  # the median of 5 moved by ±0.03 from run to run
    # Byte-code as an installed package has it (pip compiles on install; this environment may
    # set PYTHONDONTWRITEBYTECODE, and then every run would compile smsdesk from source).
    compileall.compile_dir(str(ROOT / "tui"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="smsdesk-bench-") as folder:
        env = build_home(Path(folder))
        ours_argv = [sys.executable, "-m", "tui", "--profile", "bench"]
        hello_argv = [sys.executable, "-c", HELLO_APP]
        # Once each first: the OS file cache is warm and the first screen's parsed styles are
        # saved (tui/widgets/saved_styles.py), as for a second launch of the day.
        time_to_mark(ours_argv, INBOX_MARK, env)
        time_to_mark(hello_argv, HELLO_MARK, env)
        runs_ours: list[tuple[float, float]] = []
        runs_hello: list[tuple[float, float]] = []
        runs_full: list[float] = []
        for n in range(runs):
            for ours_first in ((True, False) if n % 2 else (False, True)):
                if ours_first:
                    inbox, full = time_to_marks(ours_argv, (INBOX_MARK, CHAT_MARK), env)
                    runs_ours.append(inbox)
                    runs_full.append(full[0])
                else:
                    runs_hello.append(time_to_mark(hello_argv, HELLO_MARK, env))
    ours, hello = [w for w, _ in runs_ours], [w for w, _ in runs_hello]
    ours_cpu, hello_cpu = [c for _, c in runs_ours], [c for _, c in runs_hello]
    ratios = sorted(a / b for a, b in zip(ours, hello, strict=True))
    return {
        # CPU time to the first paint: far less disturbed by other processes than wall time.
        "cold_start_cpu_ms": statistics.median(ours_cpu),
        "hello_cpu_ms": statistics.median(hello_cpu),
        "cold_start_cpu_ratio": statistics.median(ours_cpu) / statistics.median(hello_cpu),
        "cold_start_ms": statistics.median(ours),
        "cold_start_min_ms": min(ours),
        "cold_start_max_ms": max(ours),
        "hello_ms": statistics.median(hello),
        "hello_min_ms": min(hello),
        "hello_max_ms": max(hello),
        "cold_start_ratio": statistics.median(ours) / statistics.median(hello),
        # The spread of the run-by-run ratios (each run next to the hello run beside it).
        "cold_start_ratio_min": ratios[0],
        "cold_start_ratio_max": ratios[-1],
        "cold_start_runs": float(runs),
        # The same runs, until the chat side shows the open conversation (the full screen).
        "full_screen_ms": statistics.median(runs_full),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int)
    args = parser.parse_args()
    figures = measure(args.quick, args.runs)
    print(f"runs: {figures['cold_start_runs']:.0f} of each, alternated; "
          f"{CONVERSATIONS} conversations in the store; pty 120x40")
    print(f"smsdesk: process start -> inbox drawn: median {figures['cold_start_ms']:.0f} ms "
          f"(min {figures['cold_start_min_ms']:.0f}, max {figures['cold_start_max_ms']:.0f})")
    print(f"smsdesk: process start -> chat side drawn: median {figures['full_screen_ms']:.0f} ms")
    print(f"bare Textual hello app:                  median {figures['hello_ms']:.0f} ms "
          f"(min {figures['hello_min_ms']:.0f}, max {figures['hello_max_ms']:.0f})")
    low, high = figures["cold_start_ratio_min"], figures["cold_start_ratio_max"]
    print(f"ratio smsdesk / hello: {figures['cold_start_ratio']:.2f} "
          f"(run by run {low:.2f}..{high:.2f})"
          f"; target {TARGETS['cold_start_ratio']}")
    print(f"CPU time to the first paint: smsdesk {figures['cold_start_cpu_ms']:.0f} ms, "
          f"hello {figures['hello_cpu_ms']:.0f} ms, ratio {figures['cold_start_cpu_ratio']:.2f}")


if __name__ == "__main__":
    main()
