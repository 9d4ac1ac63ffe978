"""Text scan on one core (issue 18's target: ≥ 2,000 listings/s with every text detector, and within
2.5x of phonenumbers' matcher alone on the same texts), apart from `bench/run.py`:

    python -m bench.scan_compare [--n 3000] [--rounds 5] [--against REV ...]

Every listing of `bench/listings.py` (the same generator and seed as `run.py`'s scan section) is
timed with the thread's CPU clock around `default_registry().scan`, DY-DV reading the largest
pack's market lexicons (tiktok-shop, nine markets); the baseline, alternating round by round in
the same process, is `phonenumbers.PhoneNumberMatcher(text, "CN")` run to exhaustion over the
strings the detectors read. The normalizer's and the brand index's caches are emptied before every
pass. `--against REV` also times the detectors of a git revision (`git archive REV src`) in child
processes alternating with this tree's, best pass of each: a same-run A/B on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 2_000
TARGET_RATIO = 2.5


def _setup(n: int):
    from bench import listings
    from evals import listings_eval
    from shopwarden.core.detect import DetectContext, ShopInfo, Subject, default_registry
    from shopwarden.service.policies import load_builtin_packs

    corpus = listings.generate(n)
    index, at = listings_eval.registry(ROOT / "tests" / "data")
    lexicons = load_builtin_packs()["tiktok-shop"].lexicons
    context = DetectContext(shop=ShopInfo("bench-dy", "enterprise"), brands=index, at=at, lexicons=lexicons)
    subjects = [Subject.from_listing(listing, "bench-dy") for listing in corpus.listings]
    texts = [
        [s.fields["title"], s.fields["description"], s.fields["attributes"]] + [v for k, v in s.fields.items() if k.endswith("].name")]
        for s in subjects
    ]
    return default_registry(), context, index, subjects, texts


def _fresh(index) -> None:
    from shopwarden.core.text.normalize import normalize

    normalize.cache_clear()
    find = getattr(index, "_find", None)
    if hasattr(find, "cache_clear"):
        find.cache_clear()


def _pass(fn, items, index) -> list[int]:
    """CPU ns of `fn(item)` for each item, caches emptied first."""
    _fresh(index)
    clock = time.thread_time_ns
    out = []
    for item in items:
        t0 = clock()
        fn(item)
        out.append(clock() - t0)
    return out


def measure(n: int, rounds: int) -> dict:
    import phonenumbers

    registry, context, index, subjects, texts = _setup(n)
    matcher = phonenumbers.PhoneNumberMatcher

    def baseline(fields: list[str]) -> None:
        for text in fields:
            for _ in matcher(text, "CN"):
                pass

    def scan(subject) -> None:
        registry.scan(subject, context)

    for s, t in zip(subjects[:300], texts[:300]):  # warm the lazy tables
        scan(s)
        baseline(t)
    load = os.getloadavg()[0]
    per_round = []
    every: list[int] = []
    base_every: list[int] = []
    for _ in range(rounds):
        a = _pass(scan, subjects, index)
        b = _pass(baseline, texts, index)
        every += a
        base_every += b
        per_round.append((len(a) / (sum(a) / 1e9), len(b) / (sum(b) / 1e9)))
    q = statistics.quantiles(every, n=100)
    qb = statistics.quantiles(base_every, n=100)
    return {
        "n": n,
        "rounds": rounds,
        "rate": statistics.median(r for r, _ in per_round),
        "base_rate": statistics.median(b for _, b in per_round),
        "ratios": [b / r for r, b in per_round],
        "per_round": per_round,
        "p50_us": statistics.median(every) / 1000,
        "p99_us": q[98] / 1000,
        "base_p50_us": statistics.median(base_every) / 1000,
        "base_p99_us": qb[98] / 1000,
        "load": (load, os.getloadavg()[0]),
    }


def best_pass(n: int, passes: int) -> float:
    """µs per listing of the best of `passes` whole passes (for the A/B, run in a child process)."""
    registry, context, index, subjects, _ = _setup(n)
    for s in subjects[:300]:
        registry.scan(s, context)
    return min(sum(_pass(lambda s: registry.scan(s, context), subjects, index)) for _ in range(passes)) / n / 1000


def _child(src: Path, n: int, passes: int) -> float:
    env = dict(os.environ, PYTHONPATH=f"{src}{os.pathsep}{ROOT}", ORT_DISABLE_TELEMETRY="1")
    out = subprocess.run([sys.executable, "-m", "bench.scan_compare", "--child", str(n), str(passes)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def against(rev: str, n: int, pairs: int, passes: int) -> list[tuple[float, float]]:
    """(revision, this tree) µs per listing, alternating child processes."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        return [(_child(Path(tmp) / "src", n, passes), _child(ROOT / "src", n, passes)) for _ in range(pairs)]


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(best_pass(int(sys.argv[2]), int(sys.argv[3])))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--against", action="append", default=[], help="a git revision to time in the same run (repeatable)")
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = measure(args.n, args.rounds)
    result["against"] = {rev: against(rev, min(args.n, 1000), args.pairs, 5) for rev in args.against}
    if args.json:
        print(json.dumps(result))
        return
    ratio = statistics.median(result["ratios"])
    ok = result["rate"] >= TARGET_RATE and ratio <= TARGET_RATIO
    print(f"every text detector: {result['rate']:,.0f} listings/s per core (p50 {result['p50_us']:.1f} µs, p99 {result['p99_us']:.1f} µs)")
    print(f"phonenumbers alone:  {result['base_rate']:,.0f} listings/s (p50 {result['base_p50_us']:.1f} µs, p99 {result['base_p99_us']:.1f} µs)")
    print(f"ratio (time): {ratio:.2f}x; per round {', '.join(f'{r:.2f}' for r in result['ratios'])}; "
          f"rates per round {', '.join(f'{r:,.0f}' for r, _ in result['per_round'])}")  # fmt: skip
    print(f"target ≥ {TARGET_RATE:,}/s and ≤ {TARGET_RATIO}x: {'PASS' if ok else 'FAIL'}; load average {result['load'][0]:.1f} → {result['load'][1]:.1f}")
    for rev, pairs in result["against"].items():
        print(f"A/B against {rev} (µs per listing, best of 5 passes, {len(pairs)} alternating pairs): "
              + "; ".join(f"{a:.0f} → {b:.0f}" for a, b in pairs))  # fmt: skip


if __name__ == "__main__":
    main()
