"""Policy simulation at scale (issue 17's target: 1M violations over 100k shops in ≤ 60 s on this
machine, peak memory reported).

    python -m bench.simulate [--shops 100000] [--violations 1000000]

Uses the data set and the imported SQLite database of `make bench` (bench/_work/, made here if
missing). Runs, each in a fresh process so its peak RSS is its own:
- `shopwarden simulate --json --engine local` (the Parquet export of the ledgers, then the parts
  replayed by `--workers` processes) with a draft that moves tiktok-shop's first threshold
  (12 → 18), and with the live pack against itself; `--dask` adds the draft on `--engine dask`;
- the export alone (`store.ledger_export`), the part of the run no worker shares;
- the baseline, same run: every shop's ledger read and folded once under the live pack (what
  replaying history costs without a second pack and a comparison).
Prints a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench import data
from bench.import_rate import cli_import
from bench.measure import WORK, cli_env, shopwarden_cmd

ROOT = Path(__file__).resolve().parents[1]
BASELINE = """
import resource, sys, time
from datetime import datetime, timezone
from shopwarden.core.ledger.standing import fold
from shopwarden.service.context import open_context
from shopwarden.store import events
ctx = open_context(sys.argv[1])
pack = ctx.pack("tiktok-shop")
at = datetime.fromisoformat(sys.argv[2])
start = time.perf_counter()
ids = events.shops_under(ctx.db.engine, pack.id)
n = 0
for _, ledger in events.ledgers(ctx.db.engine, ids):
    fold(pack, ledger, at)
    n += len(ledger)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(ids), n)
"""
EXPORT = """
import sys, tempfile, time
from pathlib import Path
from shopwarden.store.db import make_engine
from shopwarden.store.ledger_export import export_ledgers
engine = make_engine(sys.argv[1])
with tempfile.TemporaryDirectory() as tmp:
    start, cpu = time.perf_counter(), time.process_time()
    m = export_ledgers(engine, "tiktok-shop", Path(tmp), 8)
    print(time.perf_counter() - start, time.process_time() - cpu, m.rows)
"""


def _draft(path: Path) -> Path:
    from shopwarden.service.policies import builtin_pack_texts

    head, ladder = builtin_pack_texts()["tiktok-shop"].split("\nthresholds:\n", 1)
    path.write_text(head + "\nthresholds:\n" + ladder.replace("  - points: 12\n", "  - points: 18\n", 1), encoding="utf-8")
    return path


def _same(path: Path) -> Path:
    from shopwarden.service.policies import builtin_pack_texts

    path.write_text(builtin_pack_texts()["tiktok-shop"], encoding="utf-8")
    return path


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(cmd: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds of the child, its CPU seconds (with its worker processes: what the machine's
    load does not change) and its stdout."""
    start, cpu = time.perf_counter(), _cpu()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, timeout=1800)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {p.returncode}: {p.stderr[-800:]}")
    return time.perf_counter() - start, _cpu() - cpu, p.stdout


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shops", type=int, default=100_000)
    ap.add_argument("--violations", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="simulate's worker processes (default: the cores)")
    ap.add_argument("--dask", action="store_true", help="also time the draft on --engine dask (a LocalCluster of --workers processes)")
    args = ap.parse_args(argv)
    ds = data.generate(args.shops, args.violations, log=lambda m: print(m, file=sys.stderr))
    db = WORK / f"simulate-{args.shops}-{args.violations}.db"
    url = f"sqlite:///{db}"
    if not db.exists():
        print(f"importing {ds.path.name} into {db.name}", file=sys.stderr)
        cli_import(ds, url, "simulate", 3600)
    env = cli_env(url)
    lo, hi = "2000-01-01T00:00:00Z", ds.anchor
    draft, same = _draft(WORK / "draft-12-18.yaml"), _same(WORK / "tiktok-shop-same.yaml")
    rows = {"draft": [], "same": [], "baseline": [], "export": [], "dask": []}
    facts = {}
    loads = [os.getloadavg()[0]]
    for r in range(args.rounds):
        _, cpu, out = _timed([sys.executable, "-c", BASELINE, url, hi], env)
        secs, _, shops, events_n = out.split()
        rows["baseline"].append((float(secs), cpu))
        _, _, out = _timed([sys.executable, "-c", EXPORT, url], env)
        secs, cpu_s, _ = out.split()
        rows["export"].append((float(secs), float(cpu_s)))
        runs = [("same", same, "local"), ("draft", draft, "local")] + ([("dask", draft, "dask")] if args.dask else [])
        for name, pack, engine in runs:
            wall, cpu, out = _timed(shopwarden_cmd() + ["simulate", "--pack", str(pack), "--from", lo, "--to", hi, "--json", "--workers", str(args.workers),
                                                        "--engine", engine], env)
            body = json.loads(out)
            rows[name].append((wall, cpu))
            loads.append(os.getloadavg()[0])
            facts[name] = {k: body[k] for k in ("shops_simulated", "shops_changed", "sanctions_added", "sanctions_removed", "sanctions_changed")}
        facts["baseline"] = {"shops": int(shops), "events": int(events_n)}
        print(f"round {r + 1}: {rows}", file=sys.stderr)
    peak = _peaks(url, hi, draft, lo, env, args.workers)
    med = {k: sorted(x for x, _ in v)[len(v) // 2] for k, v in rows.items()}
    cpu = {k: sorted(c for _, c in v)[len(v) // 2] for k, v in rows.items()}
    load = f"load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores"
    print(f"| simulate, draft (first threshold 12 → 18), {facts['baseline']['shops']:,} shops / {facts['baseline']['events']:,} ledger events, SQLite, {args.workers} processes | "
          f"{med['draft']:.1f} s (CPU {cpu['draft']:.1f} s) | max {max(x for x, _ in rows['draft']):.1f} s | read + one fold per shop: {med['baseline']:.1f} s (CPU {cpu['baseline']:.1f} s) | "
          f"{med['draft'] / med['baseline']:.2f}x | ≤ 60 s | {'PASS' if max(x for x, _ in rows['draft']) <= 60 else 'FAIL'} | peak RSS of the largest process {peak['draft'] / 1024:.0f} MB "
          f"(baseline {peak['baseline'] / 1024:.0f} MB); {load}; {facts['draft']} |")
    print(f"| simulate, the live pack against itself | {med['same']:.1f} s (CPU {cpu['same']:.1f} s) | max {max(x for x, _ in rows['same']):.1f} s | | {med['same'] / med['baseline']:.2f}x | | | {facts['same']} |")
    print(f"| the Parquet export alone (in the runs above) | {med['export']:.1f} s (CPU {cpu['export']:.1f} s) | max {max(x for x, _ in rows['export']):.1f} s | | | | | |")
    if args.dask:
        print(f"| simulate, draft, --engine dask (LocalCluster, {args.workers} workers) | {med['dask']:.1f} s (CPU of the processes waited for {cpu['dask']:.1f} s) | "
              f"max {max(x for x, _ in rows['dask']):.1f} s | | {med['dask'] / med['baseline']:.2f}x | | | {facts['dask']} |")


def _peaks(url: str, hi: str, draft: Path, lo: str, env: dict, workers: int) -> dict[str, int]:
    """Peak RSS (KiB) of one baseline run and one simulate run, each in a wrapper process of its own
    that runs the command and reports RUSAGE_CHILDREN (so the two peaks do not mix)."""
    wrap = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    out = {}
    for name, cmd in (("baseline", [sys.executable, "-c", BASELINE, url, hi]),
                      ("draft", shopwarden_cmd() + ["simulate", "--pack", str(draft), "--from", lo, "--to", hi, "--json", "--workers", str(workers)])):
        p = subprocess.run([sys.executable, "-c", wrap, *cmd], env=env, capture_output=True, text=True, cwd=ROOT, timeout=1800, check=True)
        out[name] = int(p.stdout.strip().splitlines()[-1])
    return out


if __name__ == "__main__":
    main()
