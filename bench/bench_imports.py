"""Imports before the first paint: how many modules and how long, beyond a bare Textual app.

``python bench/bench_imports.py [--quick]``. Runs the real start path under ``-X importtime``
(the same children as tests/test_start_imports.py, which holds the budget) and prints the ten
heaviest modules that smsdesk adds to what a Textual "hello" app imports.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_HEAVIEST: list[tuple[int, str]] = []


def measure(quick: bool) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from tests.test_start_imports import first_paint_imports

    samples: list[dict[str, float]] = []
    for _ in range(1 if quick else 3):
        with tempfile.TemporaryDirectory(prefix="smsdesk-imports-") as home:
            ours, hello, own, _ = first_paint_imports(Path(home))
        extra = ours - hello
        samples.append({
            "imports_first_paint_ms": sum(own.get(m, 0) for m in ours) / 1000,
            "imports_hello_ms": sum(own.get(m, 0) for m in hello) / 1000,
            "imports_beyond_textual_ms": sum(own.get(m, 0) for m in extra) / 1000,
            "imports_beyond_textual_modules": float(len(extra)),
        })
        _HEAVIEST[:] = sorted(((own.get(m, 0), m) for m in extra), reverse=True)[:10]
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def notes(figures: dict[str, float]) -> list[str]:
    lines = ["\nheaviest imports before the first paint, beyond a bare Textual app (own time):"]
    lines += [f"  {us / 1000:6.1f} ms  {name}" for us, name in _HEAVIEST]
    return lines


if __name__ == "__main__":
    result = measure("--quick" in sys.argv)
    for key, value in result.items():
        print(f"{key:34} {value:8.1f}")
    print("\n".join(notes(result)))
