"""The listing gate with its heavy analysis deferred, against the synchronous gate, same run (issue 14).

    python -m bench.analysis [--listings N] [--images-per-listing K] [--batch B]

On a fresh SQLite database with a douyin shop: `products.put` of listings each naming K new
(never read) ~800 px drawn product images, interleaved: `wait=0` (answered from the text detectors,
the images left to the workers: the new default of `PUT /v1/products`) and `wait=None` (read, OCR'd,
matched before the answer: the old synchronous gate, the baseline). Then the deferred listings'
work through `analysis.run` in batches of B (what `shopwarden work` and the local thread run),
listings per second. Prints the RESULTS.md rows. In-process only; every loop is bounded."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.images import _pct, jpeg, product_image


def _log(msg: str) -> None:
    print(f"[analysis {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--listings", type=int, default=40, help="listings per arm")
    ap.add_argument("--images-per-listing", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    a = ap.parse_args(argv)
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

    from shopwarden.service import analysis, products
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context
    from shopwarden.service.images import upload
    from shopwarden.service.shops import put_shop
    from shopwarden.store import outbox

    platform = Principal("bench", "platform", None)
    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-analysis-"))
    ctx = open_context(f"sqlite:///{tmp / 'bench.db'}")
    ctx.work = "bench"  # neither the local thread nor NATS: this run feeds analysis.run itself
    put_shop(ctx, platform, "d1", "好物小店", "enterprise", "douyin")
    n, k = a.listings, a.images_per_listing
    _log(f"drawing and uploading {2 * n * k} images")
    ids = [upload(ctx, platform, jpeg(product_image(seed)), "d1")[0]["image_id"] for seed in range(2 * n * k)]

    def listing(i: int) -> dict:
        return {"shop_id": "d1", "title": f"加厚保温杯 316不锈钢 500ml 款{i}", "category": "home/cups",
                "skus": [{"sku_id": "a", "name": "500ml 白", "price": 59}], "images": ids[i * k:(i + 1) * k]}

    # warm both paths (the OCR engine loads, the detectors compile) on listings not counted
    products.put(ctx, platform, "warm-sync", listing(0) | {"images": []}, wait=None)
    analysis.read(ctx, [upload(ctx, platform, jpeg(product_image(10_000 + s)), "d1")[0]["image_id"] for s in range(2)])
    deferred, sync = [], []
    _log(f"{n} listings each way, interleaved")
    load = os.getloadavg()
    for i in range(n):
        t = time.perf_counter()
        r = products.put(ctx, platform, f"d{i}", listing(2 * i), wait=0).as_json()
        deferred.append(time.perf_counter() - t)
        assert r["pending"], r
        t = time.perf_counter()
        r = products.put(ctx, platform, f"s{i}", listing(2 * i + 1), wait=None).as_json()
        sync.append(time.perf_counter() - t)
        assert not r["pending"], r
    with ctx.db.read() as s:
        jobs = [analysis.incoming(r) for r in outbox.after(s, 0, 100_000) if r.kind == analysis.LISTING]
    _log(f"{len(jobs)} deferred listings through analysis.run, batches of {a.batch}")
    t = time.perf_counter()
    for i in range(0, len(jobs), a.batch):
        outcomes = analysis.run(ctx, jobs[i:i + a.batch])
        assert all(o.status == "applied" for o in outcomes), outcomes
    worked = time.perf_counter() - t
    load_end = os.getloadavg()

    def ms(xs: list[float], p: float | None = None) -> str:
        return f"{1000 * (statistics.median(xs) if p is None else _pct(xs, p)):.1f} ms"

    ratio = statistics.median(deferred) / statistics.median(sync)
    p99_ok = _pct(deferred, 99) <= 0.030
    print(f"<!-- load average {load[0]:.1f} at the start, {load_end[0]:.1f} at the end; {n} listings per arm, {k} new ~800 px images each -->")
    print("| section | metric | median (p50) | p99 | baseline (same run) | ratio | target | result |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| analysis (SQLite) | `PUT /v1/products` gate, {k} new images, heavy work deferred (`wait=0`, the default) | {ms(deferred)} | {ms(deferred, 99)} "
          f"| synchronous gate (`wait` unset: read, OCR, matched in the request): {ms(sync)} (p99 {ms(sync, 99)}) | {ratio:.3f}x | p99 ≤ 30 ms "
          f"| {'PASS' if p99_ok else '**FAIL**'} |")
    print(f"| analysis (SQLite) | deferred listings through `analysis.run` (batches of {a.batch}: images read, then scanned again in one transaction) "
          f"| {len(jobs) / worked:.2f} listings/s | | synchronous gate, same listings' shape: {1 / statistics.median(sync):.2f} listings/s "
          f"| {(len(jobs) / worked) * statistics.median(sync):.2f}x | | |")


if __name__ == "__main__":
    main()
