"""Every benchmark in one command: ``python bench/run.py [--quick] [--only NAME ...]``.

Each ``bench/bench_*.py`` follows one convention (also on the notice board):

- ``def measure(quick: bool) -> dict[str, float]``: the figures, snake_case keys unique across
  benches with the unit as suffix (``cold_start_ms``, ``send_10k_per_s``, ``*_ratio``);
- optional ``TARGETS = {"figure": "<= 1.3"}`` (``<=`` or ``>=`` and a number);
- optional ``def notes(figures) -> list[str]``: lines printed under the table (a top 10...);
- ``--quick`` keeps the same code path with fewer repeats, ≤ 60 s on an idle 2-core machine.

Each bench runs in its own process (``run.py --one FILE``), with a timeout; a crash, a
timeout or a missing script is shown as such and the others still run. The table prints each
figure, its target and met/missed; ``bench/results/latest.json`` gets one key per figure plus
``_meta`` (when, machine, load, quick, per-bench status), so two runs can be compared
(``--compare OLD.json`` shows an earlier run's figures in the table). The file is not committed
(it is rewritten by every run, on every machine): the README's Performance table is the
reference run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results" / "latest.json"

# What the project measures (issue 16), in the order of the table; a script that does not
# exist yet is listed as "not built". Any other bench_*.py found is run after these.
EXPECTED = {
    "bench_startup": "cold start against a bare Textual app",
    "bench_imports": "imports before the first paint (top 10)",
    "bench_inbound_latency": "inbound text on screen, by polling",
    "bench_webhooks": "webhook receiver throughput and inbound by webhook",
    "bench_contacts": "contacts at 100k",
    "bench_campaign_send": "send throughput",
    "bench_frames": "longest frame while background work runs",
    "bench_memory": "RSS after start and after 100k contacts",
    "bench_sms": "domain functions: segments, phone numbers",
    "bench_store": "local store queries on a big account",
}
TIMEOUT = {True: 150.0, False: 900.0}


@dataclass
class Outcome:
    name: str
    status: str  # ok | failed | timed out | not built
    seconds: float = 0.0
    figures: dict[str, float] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str = ""


def run_one(path: Path, quick: bool) -> None:
    """Child mode: import the bench by path, measure, print one JSON line."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = {k: float(v) for k, v in module.measure(quick).items()}
    found = module.notes(figures) if hasattr(module, "notes") else []
    notes = [found] if isinstance(found, str) else list(found)
    print(json.dumps({"figures": figures, "targets": dict(getattr(module, "TARGETS", {})),
                      "notes": notes}))


def run_bench(path: Path, quick: bool) -> Outcome:
    started = time.perf_counter()
    argv = [sys.executable, str(Path(__file__)), "--one", str(path)] + (["--quick"] if quick
                                                                        else [])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env,
                              timeout=TIMEOUT[quick])
    except subprocess.TimeoutExpired:
        return Outcome(path.stem, "timed out", time.perf_counter() - started,
                       error=f"no answer within {TIMEOUT[quick]:.0f} s")
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return Outcome(path.stem, "failed", seconds, error=last[:200])
    try:
        data: dict[str, Any] = json.loads(lines[-1])
    except json.JSONDecodeError:
        return Outcome(path.stem, "failed", seconds, error="no JSON line at the end")
    return Outcome(path.stem, "ok", seconds, data["figures"], data["targets"], data["notes"])


def verdict(value: float, target: str | None) -> str:
    if target is None:
        return "info"
    op, _, number = target.partition(" ")
    limit = float(number)
    if math.isnan(value):
        return "missed"
    met = value <= limit if op == "<=" else value >= limit
    return "met" if met else "missed"


def benches(only: list[str]) -> list[tuple[str, Path]]:
    found = {p.stem: p for p in sorted(BENCH.glob("bench_*.py"))}
    names = list(EXPECTED) + sorted(n for n in found if n not in EXPECTED)
    if only:
        names = [n for n in names if n in only or n.removeprefix("bench_") in only]
    return [(n, found.get(n, BENCH / f"{n}.py")) for n in names]


def shown(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"


def table(outcomes: list[Outcome], before: dict[str, Any] | None = None) -> str:
    rows = [("figure", "value", "target", "", "bench", "before" if before else "")]
    for o in outcomes:
        if o.status != "ok":
            rows.append((f"({EXPECTED.get(o.name, o.name)})", "-", "-", o.status, o.name, ""))
            continue
        for key, value in o.figures.items():
            target = o.targets.get(key)
            old = before.get(key) if before else None
            rows.append((key, shown(value), target or "", verdict(value, target), o.name,
                         shown(old) if before else ""))
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """A results file as the README's table (figure, value, target, verdict)."""
    targets = results.get("_meta", {}).get("targets", {})
    lines = ["| figure | value | target | |", "|---|---|---|---|"]
    for key, value in results.items():
        if key.startswith("_"):
            continue
        target = targets.get(key)
        lines.append(f"| `{key}` | {shown(value)} | {target or ''} | {verdict(value, target)} |")
    for name, status in results.get("_meta", {}).get("benches", {}).items():
        if status != "ok":
            lines.append(f"| {EXPECTED.get(name, name)} (`{name}`) | - | | {status} |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "load_1min": round(load[0], 2),
            "processor": _cpu_model()}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (< 5 min in all)")
    parser.add_argument("--only", nargs="*", default=[], metavar="NAME",
                        help="run only these benches (e.g. startup inbound_latency)")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--markdown", type=Path, metavar="JSON",
                        help="print a results file as a Markdown table (for the README)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    parser.add_argument("--compare", type=Path, metavar="JSON",
                        help="an earlier results file: its figures are shown next to these")
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.quick)
        return 0
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())))
        return 0
    began = datetime.now(UTC)
    meta = machine()
    print(f"smsdesk benchmarks{' (quick)' if args.quick else ''}: {meta['processor']}, "
          f"{meta['cpus']} CPUs, load {meta['load_1min']}, Python {meta['python']}", flush=True)
    outcomes = []
    for name, path in benches(args.only):
        if not path.exists():
            outcomes.append(Outcome(name, "not built"))
            print(f"  {name}: not built", flush=True)
            continue
        print(f"  {name} ...", end=" ", flush=True)
        outcome = run_bench(path, args.quick)
        outcomes.append(outcome)
        print(f"{outcome.status} in {outcome.seconds:.0f} s"
              + (f": {outcome.error}" if outcome.error else ""), flush=True)
    print()
    before = json.loads(args.compare.read_text()) if args.compare else None
    print(table(outcomes, before))
    for o in outcomes:
        for note in o.notes:
            print(note)
    results: dict[str, Any] = {}
    for o in outcomes:
        results.update(o.figures)
    meta.update(started=began.isoformat(timespec="seconds"), quick=args.quick,
                seconds=round((datetime.now(UTC) - began).total_seconds(), 1),
                load_1min_end=round(os.getloadavg()[0], 2),
                benches={o.name: o.status for o in outcomes},
                targets={k: t for o in outcomes for k, t in o.targets.items()})
    results["_meta"] = meta
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
          f" in {meta['seconds']:.0f} s")
    missed = [k for o in outcomes for k, v in o.figures.items()
              if verdict(v, o.targets.get(k)) == "missed"]
    return 1 if missed or any(o.status in {"failed", "timed out"} for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
