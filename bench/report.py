"""bench/RESULTS.md: the machine, the commit measured, the result rows and how each figure is taken."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from bench import data
from bench.measure import ROOT, SECTIONS, Results, log

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpus": f"{os.cpu_count()} (`nproc`: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}) {cpu}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "load average at start": load,
    }


def code_state() -> str:
    """The commit measured, and any uncommitted change under src/ (others may be editing the tree)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True, cwd=ROOT, timeout=10).stdout.split("\n")
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unknown ({exc.__class__.__name__})"
    changed = [line[3:] for line in dirty if line.strip()]
    return f"commit {head or '?'}" + (f", with uncommitted changes under src/: {', '.join(changed)}" if changed else ", src/ clean")


def write_results(res: Results, args, ds: data.DataSet, small: data.DataSet, mach: dict, started: datetime, total: float, client: str,
                  out: Path = RESULTS) -> None:
    L: list[str] = []
    L.append("# shopwarden benchmarks\n")
    L.append(f"Written by `make bench` (`python -m bench.run{' --quick' if args.quick else ''}{''.join(f' --only {x}' for x in args.only or ())}`) on {started:%Y-%m-%d %H:%M} UTC; the run took {total / 60:.1f} min.\n")
    if args.quick:
        L.append("**Quick smoke run (`--quick`): small data set and short measurements. Not the figures the issue asks for.**\n")
    L.append("The machine is small, shared and noisy: read the medians, p99s and the ratios to a baseline measured in the same run, not absolute figures from one run.\n")
    L.append("## Machine\n")
    for k, v in mach.items():
        L.append(f"- {k}: {v}")
    ran = set(args.only or SECTIONS)
    if ran & {"http", "pg"}:
        L.append(f"- load generator: {'wrk (one thread, Lua script rotating targets)' if client == 'wrk' else 'Python http.client threads (wrk not installed: throughput is partly client-bound)'}")
    if "pages" in ran:
        L.append("- client for the pages section: Python http.client in the bench process, one keep-alive connection, a signed-in session cookie per caller")
    if "scan" in ran:
        L.append("- load generator for the scan section's HTTP figures: Python http.client threads in the bench process (one keep-alive connection each), on the same 2 cores as the server")
    L.append("")
    L.append("## Data set\n")
    if ds is None:
        L.append("- no violation data set this run (only sections that need none: " + ", ".join(sorted(set(args.only or SECTIONS))) + ")")
    if "scan" in set(args.only or SECTIONS) and "scan corpus" in res.facts:
        L.append(f"- text scanning: {res.facts.pop('scan corpus')}")
    if ds is not None:
        L.append(f"- {ds.shops:,} shops, {ds.violations:,} violations (`{ds.path.name}`, {ds.bytes / 1e6:.0f} MB), pack `tiktok-shop`, seed {ds.seed}, issue times over the {data.SPAN_DAYS} days before {ds.anchor}")
        L.append(f"- {len(ds.heavy_shops):,} shops with exactly {data.HEAVY} violations; the rest Pareto-distributed (max {ds.max_per_shop} per shop, {ds.shops_without:,} shops with none)")
    if ds is not None and small.path != ds.path:
        L.append(f"- the in-process import repeats and PostgreSQL use the smaller set: {small.shops:,} shops / {small.violations:,} violations (`{small.path.name}`)")
    L.append("")
    L.append("## Results\n")
    L.append("| section | metric | median (p50) | p99 | baseline (same run) | ratio | target | result | notes |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for r in res.rows:
        v = f"**{r.verdict}**" if r.verdict else ""
        L.append(f"| {r.section} | {r.metric} | {r.p50} | {r.p99} | {r.baseline} | {r.ratio} | {r.target} | {v} | {r.note} |")
    L.append("")
    targets = [r for r in res.rows if r.verdict]
    if targets:
        passed = sum(r.verdict == "PASS" for r in targets)
        L.append(f"Targets: {passed} of {len(targets)} met.\n")
    if res.facts:
        L.append("## Details\n")
        for k, v in res.facts.items():
            L.append(f"- {k}: {v}")
        L.append("")
    if res.notes or res.errors:
        L.append("## Notes and errors\n")
        for n in res.errors:
            L.append(f"- ERROR: {n}")
        for n in res.notes:
            L.append(f"- {n}")
        L.append("")
    L.append("## How the figures are taken\n")
    L.append(
        "- **fold**: `core.ledger.standing.fold` on an in-memory event list (50 `ViolationIssued` over ~400 days, two appeals, one granted), "
        "timed per call with `perf_counter_ns`, baseline and fold runs interleaved; the baseline is a Python loop summing 50 ints.\n"
        "- **import**: `shopwarden import FILE` as a subprocess on a freshly migrated SQLite file; the figure is the rate the CLI prints "
        "(time inside the importer), the note gives the wall time of the whole command. The in-process repeats call "
        "`service.importer.import_jsonl` on the smaller file; their floor is the stdlib `sqlite3` inserting the same rows into a copy of the same migrated schema.\n"
        "- **HTTP**: `shopwarden serve` (one process) on the imported database, a platform key from `shopwarden keys create`; "
        "latency is taken at one connection (no queueing), throughput at four connections with the health and `/healthz` runs interleaved; "
        "the ratio is the median over the pairs. On SQLite this runs twice, each on a server of its own: cold, with `SHOPWARDEN_HEALTH_CACHE=off` "
        "(every request reads the ledger and folds it, as for a shop never seen), then warm, with the cache on (api/fast_health.py: a kept answer is served "
        "while no connection has committed and the fold's answer provably holds; the warm-up and the latency runs have requested every rotated shop before the throughput runs). "
        "The trivial endpoint and the load are the same in both. `POST /v1/violations` posts 2,000 distinct bodies in rotation (sampled shops, pack types).\n"
        "- **pages**: see the docstring of `bench/pages.py`: `shopwarden serve` on a prepared copy of the imported database (keys, listings scanned into review cases, "
        "appeals, reviews and review reports put in through the service layer); each caller signs in through the sign-in form (GET for the cookie and CSRF token, POST → 303) "
        "and every seller and console page is requested at one connection in rotation over several shops or items, each target checked once first (200, not the sign-in page); "
        "`GET /healthz` and the API's `GET /v1/shops/{id}/health` are measured in the same interleaved rounds; the target is p95 < 100 ms per page.\n"
        "- **PostgreSQL** (when a server answers at `postgresql://postgres@127.0.0.1:5432`): a scratch database `shopwarden_bench`, created and dropped by the run.\n"
        "- **scan**: `bench/listings.py` builds the listings (fixed seed; zh/en prose with model numbers, sizes, capacities, dates, barcodes and standard numbers; "
        "3 SKUs; ~10 % with one disguised contact; ~15 % naming a brand of the evaluation registry). In-process, on one core: `Subject.from_listing` is built "
        "beforehand, then each listing is timed with the thread's CPU clock (`time.thread_time_ns`, and `perf_counter_ns` beside it) around `default_registry().scan(subject, context)` (context: an enterprise shop, "
        "the evaluation brand index, no pack, so every detector is on); the baseline is `phonenumbers.PhoneNumberMatcher(text, \"CN\")` run to exhaustion over the "
        "same strings (title, description, attributes, SKU names), the two passes alternating round by round; the normalizer's and the brand index's caches "
        "are emptied before every pass, so every listing pays for its own normalization. listings per second per core = listings ÷ the sum of their CPU times (no I/O is involved, so CPU time is the time a dedicated core would take; the wall-clock rate, which also counts the time other people's processes had the core on this shared machine, is in the notes). "
        "Each detector is then timed alone over the same listings, and inside whole scans (Registry.scan's loop with a clock around each detector) for "
        "shares that add up to 100 %. Over HTTP: `shopwarden serve` on a fresh SQLite database with one enterprise shop on the `douyin` pack and the same "
        "brands registered through the API; a Python client (4 threads, one keep-alive connection each) sends every listing under a new product id to "
        "`PUT /v1/products/{id}`, and the same bodies to `POST /v1/scan`, with `GET /healthz` runs in between; then, on that database without HTTP, "
        "one call at a time: the request model, `service.scanning.scan` and its two parts (`detect_context`, `run`), `service.products.put`.\n"
        "- **images** and **same_product**: see the docstring of `bench/images.py` (drawn images and synthetic fingerprints; thread CPU time for PDQ, "
        "wall time per OCR read and per lookup; memory as the RSS delta over building the index)."
    )
    L.append("")
    L.append("## Reproduce\n")
    L.append("```sh\nmake bench                                  # full: 100k shops, 1M violations\n"
             ".venv/bin/python -m bench.run --quick       # smoke: 10k shops, 100k violations\n"
             ".venv/bin/python -m bench.run --no-pg --reuse-db   # skip PostgreSQL; reuse the imported SQLite database\n"
             ".venv/bin/python -m bench.run --only scan --out bench/_work/scan.md   # text scanning only (about 2 min)\n"
             ".venv/bin/python -m bench.run --reuse-db --only pages --out bench/_work/pages.md   # issue 6's page latency on the imported database\n"
             ".venv/bin/python -m bench.run --only images --only same_product --out bench/_work/images.md   # issue 4's figures\n"
             ".venv/bin/python -m bench.listings          # the scan listings' shape and a sample\n"
             ".venv/bin/python -m bench.data --shops 1000 --violations 10000   # just the data file\n```\n")
    L.append("`wrk` is used when installed (`apt-get install -y wrk`); otherwise a Python client. Work files are in `bench/_work/` (git-ignored).")
    out.write_text("\n".join(L) + "\n", encoding="utf-8")
    log(f"wrote {out}")
