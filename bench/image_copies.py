"""`make bench` section `image_copies` (issue 18): the per-image cost of copied-image matching.

Per query image (an 800 px listing image: a real photo part under one of the issue's edits, from
`evals/image_real_eval.py`), thread CPU time of: describing it (`copy_match.features`: PDQ and its
dihedral variants, 2x2 tiles, SIFT plain and mirrored, a thumbnail), then verifying it against
16 candidate references (`copy_match.match`: PDQ, tiles, local features with geometric
verification, the dense fallback) — the most a query costs in `copy_index.CopyIndex.search`
(8 PDQ neighbours + 8 descriptor-vote candidates). Baseline in the same run: the image's PDQ hash
alone (`pdq.pdq`). With `--against REV` the same measurement runs on the source of git revision
REV too (in a subprocess, the same images), so before and after sit in one table.

    python -m bench.image_copies [--queries N] [--against REV]
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
from typing import Any

CANDIDATES = 16
ROOT = Path(__file__).resolve().parent.parent


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


def measure(queries: int) -> dict[str, Any]:
    """Thread CPU seconds per query image: features, verification of CANDIDATES, PDQ alone."""
    import numpy as np

    from evals import image_real_eval as ev
    from shopwarden.core.images.copy_match import features, match
    from shopwarden.core.images.pdq import pdq

    photos = ev.sources()
    registered, built = ev.build(ev.TEST, photos)
    refs = [features(a, query=False) for a in list(registered.values())[:CANDIDATES]]
    rng = np.random.default_rng(18)
    picks = [built[int(i)] for i in rng.choice(len(built), min(queries, len(built)), replace=False)]
    describe, verify, baseline = [], [], []
    for q in picks:
        t = time.thread_time()
        pdq(q.image)
        baseline.append(time.thread_time() - t)
        t = time.thread_time()
        f = features(q.image)
        describe.append(time.thread_time() - t)
        t = time.thread_time()
        for r in refs:
            match(f, r)
        verify.append(time.thread_time() - t)
    total = [a + b for a, b in zip(describe, verify, strict=True)]
    return {"n": len(picks), "describe": describe, "verify": verify, "total": total, "baseline": baseline}


def _against(rev: str, queries: int) -> dict[str, Any]:
    """The same measurement on git revision `rev`'s src/ (this tree's evals/ for the images)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True, timeout=60).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True, timeout=60)
        env = dict(os.environ, PYTHONPATH=f"{tmp}/src:{ROOT}")
        out = subprocess.run([sys.executable, "-m", "bench.image_copies", "--queries", str(queries), "--json"], env=env, cwd=str(ROOT),
                             check=True, capture_output=True, text=True, timeout=3600).stdout
        return json.loads(out.strip().splitlines()[-1])


def _row(label: str, m: dict[str, Any]) -> str:
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    p99 = lambda xs: 1000 * _pct(xs, 99)  # noqa: E731
    return (f"| {label} | {ms(m['total']):.0f} ms | {p99(m['total']):.0f} ms | {ms(m['describe']):.0f} ms | {ms(m['verify']):.0f} ms "
            f"| {ms(m['baseline']):.1f} ms | {statistics.median(m['total']) / statistics.median(m['baseline']):.0f}x |")


def bench_image_copies(res: Any, quick: bool) -> None:
    """For bench/run.py: the figures of this tree."""
    m = measure(10 if quick else 40)
    res.add("images (in-process, 1 core)", f"copied images: per query image, features + {CANDIDATES} candidates verified (real photo parts, the issue's edits)",
            f"{1000 * statistics.median(m['total']):.0f} ms", f"{1000 * _pct(m['total'], 99):.0f} ms",
            f"PDQ hash alone: {1000 * statistics.median(m['baseline']):.1f} ms",
            f"{statistics.median(m['total']) / statistics.median(m['baseline']):.0f}x (p50)", "", "",
            f"{m['n']} queries, thread CPU time; features p50 {1000 * statistics.median(m['describe']):.0f} ms, "
            f"verification p50 {1000 * statistics.median(m['verify']):.0f} ms")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--queries", type=int, default=40)
    ap.add_argument("--against", help="a git revision to measure in the same run (before)")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.json:
        print(json.dumps(measure(args.queries)))
        return
    rows = []
    if args.against:
        rows.append(_row(f"before ({args.against})", _against(args.against, args.queries)))
    rows.append(_row("this tree", measure(args.queries)))
    print("| code | per image p50 | p99 | features p50 | verifying 16 p50 | PDQ alone p50 (baseline) | ratio p50 |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
