"""`make bench`: shopwarden's benchmarks; writes bench/RESULTS.md.

    python -m bench.run [--shops N] [--violations M] [--quick] [--no-pg] [--client wrk|python] [--only SECTION ...]

This module is the runner only: it parses the options, runs the chosen sections (one module each:
bench/fold.py, import_rate.py, health_http.py, pages.py, postgres.py, scan.py, images.py, …, on the
shared bench/measure.py and load.py) so that one broken section loses no other, and writes the
report (bench/report.py).

Measured in one run, each against a baseline taken in the same run (the machine is small,
shared and noisy, so medians, p99s and ratios are what count, not absolute figures):

1. fold: `standing.fold` for a shop with 50 violations and two decided appeals, per-call
   timings; baseline: a pure-Python loop summing 50 ints.
2. import: `shopwarden import` of the generated file into a fresh SQLite database (the CLI's
   own rate, and the wall time of the command); plus the in-process importer three times on
   a 100k slice, against a floor: the stdlib `sqlite3` inserting the same rows into the same
   schema.
3. HTTP: `shopwarden serve` on that database; `GET /v1/shops/{id}/health` over a rotating set
   of shops (a random sample plus every 50-violation shop) and `GET /healthz` (the trivial
   endpoint), same load, interleaved; latency at one connection, throughput at four. Twice on
   SQLite: cold (the health cache off: every request reads and folds, as for a never-seen shop)
   and warm (the cache on: after the warm-up every rotated shop has a kept answer).
4. `POST /v1/violations` at four keep-alive connections against the same server.
5. optional: the same health latency on PostgreSQL with a smaller data set.
6. scan: ~300-character listings (`bench/listings.py`) through every text detector on one core,
   per listing, against `phonenumbers.PhoneNumberMatcher` alone on the same texts; each
   detector's share; `PUT /v1/products/{id}` (the listing gate) and `POST /v1/scan` at four
   connections on a fresh SQLite database with a douyin shop.
7. images (`bench/images.py`): PDQ hashes per second per core on drawn ~800 px product images,
   beside the decode alone; OCR seconds per image (the rapidocr engine of service/image_text).
   And (`bench/large_images.py`) `PUT /v1/products` naming 7 new 6000x6000 PNGs on a served process,
   against the same listing with 800 px images; the probe's 20 such images; the server's peak RSS.
8. same_product (`bench/images.py`): lookups in the banned-product index (MinHash LSH + faiss
   HNSW + `compare`) over 1M synthetic fingerprints (20k with --quick; about 11 min and 12.5 GiB;
   SHOPWARDEN_BENCH_SAME_PRODUCT_N lowers it, and 1M is then extrapolated), and memory per indexed product.
9. pages (`bench/pages.py`, issue 6): the seller centre's and the console's pages over HTTP, signed in
   through the sign-in form, at one connection, on a prepared copy of the imported database (keys,
   scanned listings, review cases, appeals, reviews and reports put in through the service layer),
   p50/p95/p99 per page beside `GET /healthz` and the API's health read in the same rounds; target p95 < 100 ms.

Loopback traffic only; every loop and every subprocess is bounded in time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter

from bench import data
from bench.fold import bench_fold
from bench.health_http import bench_breakdown, bench_http
from bench.import_rate import bench_import
from bench.measure import SECTIONS, T0, WORK, Results, log
from bench.postgres import bench_pg, pg_available
from bench.report import RESULTS, code_state, machine, write_results
from bench.scan import bench_scan, bench_scan_http

# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="shopwarden benchmarks; writes bench/RESULTS.md")
    ap.add_argument("--shops", type=int)
    ap.add_argument("--violations", type=int)
    ap.add_argument("--quick", action="store_true", help="smoke run: 10k shops / 100k violations, short measurements")
    ap.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL section")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto", help="load generator (auto: wrk if installed)")
    ap.add_argument("--reuse-db", action="store_true", help="reuse the SQLite database a previous run imported (skips the import figures)")
    ap.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections (http needs the database)")
    ap.add_argument("--out", type=Path, help="write the results here instead of bench/RESULTS.md")
    args = ap.parse_args(argv)
    shops = args.shops or (10_000 if args.quick else 100_000)
    violations = args.violations or (100_000 if args.quick else 1_000_000)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        ap.error("wrk is not installed")
    only = set(args.only or SECTIONS)
    started = datetime.now(UTC)
    WORK.mkdir(parents=True, exist_ok=True)
    mach = machine()
    log(f"shopwarden bench: {shops:,} shops, {violations:,} violations; {mach['cpus']}; {mach['python']}; client {client}")
    res = Results()
    res.facts["code"] = code_state()

    ds = small = None
    if only & {"import", "http", "pages", "pg"}:  # fold and scan need no violation data set
        ds = data.generate(shops, violations, log=log)
        small = ds if (shops, violations) == (10_000, 100_000) else data.generate(10_000, 100_000, log=log)
    db = WORK / f"sqlite-{shops}-{violations}.db"

    def section(name: str, fn, *a) -> None:
        if name not in only:
            return
        try:
            fn(*a)
        except Exception as exc:
            import traceback

            traceback.print_exc()
            res.errors.append(f"{name}: {exc.__class__.__name__}: {exc}")
            log(f"{name}: FAILED: {exc!r}")

    section("fold", bench_fold, res, args.quick)
    section("import", bench_import, res, ds, small, db, args.reuse_db, args.quick)
    have_db = db.exists() and db.with_suffix(".complete").exists()
    if "http" in only and not have_db:
        res.errors.append("http: no imported database (the import failed or was skipped)")
    elif have_db and "http" in only:
        sqlite_label = f"SQLite, {shops // 1000}k shops / {violations // 1000}k violations"
        # cold first: the warm run's POSTs add violations, and both should read the same ledgers
        section("http", bench_http, res, ds, f"sqlite:///{db}", sqlite_label, client, args.quick, False, 0.020, True)
        section("http", bench_http, res, ds, f"sqlite:///{db}", sqlite_label, client, args.quick, True, 0.020)
        section("http", bench_breakdown, res, ds, f"sqlite:///{db}", args.quick)
    if "pages" in only and not have_db:
        res.errors.append("pages: no imported database (the import failed or was skipped; `--only import` once, then `--reuse-db --only pages`)")
    elif have_db and "pages" in only:
        from bench import pages as page_bench

        section("pages", page_bench.bench_pages, res, ds, f"sqlite:///{db}", args.quick)
    if "pages" in only:  # needs no imported database
        from bench import queues as queue_bench

        section("pages", queue_bench.bench_queue_history, res, args.quick)
    if not args.no_pg and "pg" in only and pg_available():
        section("pg", bench_pg, res, small, client, args.quick)
    elif args.no_pg and "pg" in only:
        res.notes.append("PostgreSQL skipped (--no-pg)")
    section("scan", bench_scan, res, args.quick)
    section("scan", bench_scan_http, res, args.quick)
    from bench import hostile as hostile_bench

    section("scan", hostile_bench.bench_hostile, res, args.quick)
    from bench import images as image_bench

    section("images", image_bench.bench_images, res, args.quick)
    section("images", image_bench.bench_copy_candidates, res, args.quick)
    from bench import image_copies

    section("images", image_copies.bench_image_copies, res, args.quick)
    from bench import large_images

    section("images", large_images.bench_large_listing, res, args.quick, log)
    section("same_product", image_bench.bench_same_product, res, args.quick)
    from bench import reviews as review_bench

    section("reviews", review_bench.bench_reviews, res, args.quick)
    section("reviews-deferred", review_bench.bench_deferred, res, args.quick)
    section("reviews-encoder", review_bench.bench_encoder, res, args.quick)
    from bench import creators as creator_bench

    section("creators", creator_bench.bench_creators, res, args.quick)
    from bench import experience as experience_bench

    section("experience", experience_bench.bench_experience, res, args.quick)
    if db.exists() and only & {"import", "http", "pages"}:
        res.facts["SQLite database"] = f"{db.name}: {db.stat().st_size / 1e6:.0f} MB"
    res.facts["load average at the end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    total = perf_counter() - T0
    write_results(res, args, ds, small, mach, started, total, client, args.out or RESULTS)
    fails = [r for r in res.rows if r.verdict == "FAIL"]
    log(f"done in {total / 60:.1f} min: {len(res.rows)} figures, {len(fails)} targets missed, {len(res.errors)} errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
