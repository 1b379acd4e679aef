"""Time the SMS hot paths (segment analysis, phone normalisation) and check their budgets.

Run: ``python bench/bench_sms.py [--runs N]``. Prints median and p95 per case, measured with
``time.perf_counter_ns`` around single calls, and exits 1 when a budgeted case is over budget.
Budgets (issue 5): ``analyze`` on a 1,600-character message ≤ 100 µs median; ``normalize``
≤ 50 µs median after warm-up.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.sms import phones
from tui.sms.segments import analyze

SENTENCE = (
    "Hello there this is your weekly offer from Corner Shop Save 20% on everything today "
    "only come by before 6pm and show this text at the till Thanks for being a customer"
)
WORDS = SENTENCE.split(" ")


def _gsm_text(n: int, rng: random.Random) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < n:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:n]


def _time(call: Callable[[], object], runs: int, warmup: int) -> list[int]:
    for _ in range(warmup):
        call()
    clock = time.perf_counter_ns
    samples = []
    for _ in range(runs):
        start = clock()
        call()
        samples.append(clock() - start)
    return samples


def _time_each(call: Callable[[str], object], inputs: Sequence[str]) -> list[int]:
    clock = time.perf_counter_ns
    samples = []
    for item in inputs:
        start = clock()
        call(item)
        samples.append(clock() - start)
    return samples


def _report(name: str, samples: list[int], budget_us: float | None) -> bool:
    ordered = sorted(samples)
    median = statistics.median(ordered) / 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] / 1000
    verdict = ""
    ok = True
    if budget_us is not None:
        ok = median <= budget_us
        verdict = f"  budget {budget_us:.0f} µs: {'OK' if ok else 'OVER BUDGET'}"
    print(f"{name:<48} median {median:8.2f} µs   p95 {p95:8.2f} µs   n={len(samples)}{verdict}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20_000, help="timed calls per case")
    args = parser.parse_args(argv)
    runs = max(100, args.runs)
    warmup = max(50, runs // 10)
    rng = random.Random(5)

    gsm = _gsm_text(1600, rng)
    # Prices in euros and a few brackets: what real campaigns with extension characters hold.
    with_extension = " ".join(
        w + rng.choice(["", "", "", "", "", "", "", "", " [€5]", "€"])
        for w in _gsm_text(1560, rng).split()
    )[:1600]
    heavy_extension = _gsm_text(1500, rng) + "{[€]}" * 20
    with_emoji = _gsm_text(1590, rng) + "😀" * 5 + "’" * 5
    other_script = "価格が下がりました" * 178
    cases = [
        ("analyze: 1,600 chars GSM-7 basic", gsm, 100.0),
        ("analyze: 1,600 chars GSM-7 + € [] ~", with_extension, 100.0),
        ("analyze: 1,600 chars GSM-7 + 100 extension", heavy_extension, None),
        ("analyze: 1,600 chars UCS-2 (emoji, quotes)", with_emoji, 100.0),
        ("analyze: 1,602 chars Japanese (all UCS-2)", other_script, None),
        ("analyze: 40-char reply", "Hi Anna, your order is ready for pickup!", None),
    ]
    ok = True
    print(f"Python {sys.version.split()[0]}, {runs} timed runs per case\n")
    for name, text, budget in cases:
        info = analyze(text)
        label = f"{name} [{info.encoding}, {info.segments} seg]"
        ok &= _report(label, _time(partial(analyze, text), runs, warmup), budget)

    typed = [f"({rng.randint(201, 989)}) 253-{i:04d}" for i in range(runs)]
    valid = [t for t in typed if phones.is_valid(t)][: max(100, runs // 4)]
    uncached: list[int] = []
    for _round in range(4):  # several rounds of distinct inputs: more samples, less noise
        phones._normalize.cache_clear()
        uncached += _time_each(phones.normalize, valid)
    ok &= _report("normalize: distinct typed numbers (uncached)", uncached, 50.0)
    ok &= _report(
        "normalize: repeated number (cached, warmed up)",
        _time(lambda: phones.normalize("(650) 253-0000"), runs, warmup),
        50.0,
    )
    webhook = [f"1650111{i:04d}" for i in range(max(100, runs // 4))]
    phones._normalize.cache_clear()
    ok &= _report(
        "normalize: provider numbers, strict=False (uncached)",
        _time_each(lambda t: phones.normalize(t, strict=False), webhook),
        None,
    )
    print("\nall budgets met" if ok else "\nSOME BUDGETS MISSED")
    return 0 if ok else 1


TARGETS = {
    "sms_analyze_1600_gsm_us": "<= 100",
    "sms_analyze_1600_ucs2_us": "<= 100",
    "sms_normalize_uncached_us": "<= 50",
}


def measure(quick: bool) -> dict[str, float]:
    """Medians in µs of the budgeted cases (bench/run.py convention)."""
    runs = 2_000 if quick else 20_000
    rng = random.Random(5)
    gsm = _gsm_text(1600, rng)
    ucs2 = _gsm_text(1590, rng) + "😀" * 5 + "’" * 5
    typed = [f"({rng.randint(201, 989)}) 253-{i:04d}" for i in range(runs)]
    valid = [t for t in typed if phones.is_valid(t)][: max(100, runs // 4)]
    phones._normalize.cache_clear()
    uncached = _time_each(phones.normalize, valid)
    return {
        "sms_analyze_1600_gsm_us": statistics.median(_time(partial(analyze, gsm), runs, 50)) / 1e3,
        "sms_analyze_1600_ucs2_us": statistics.median(_time(partial(analyze, ucs2), runs, 50))
        / 1e3,
        "sms_normalize_uncached_us": statistics.median(uncached) / 1e3,
    }


if __name__ == "__main__":
    raise SystemExit(main())
