"""Statements of reasons (DSA, issue 15): what stating measures costs where they are applied.

- issuing a violation (`violations.issue`, SQLite) with the statements hook, against the same with the
  hook off (`Database.before_commit = None`), interleaved in one run;
- `shopwarden import` (the importer) of a generated file, with and without the hook;
- `health_json` for a shop with sanctions in force, with each sanction's statement link, against a
  copy of the document without links.

Run: `python -m bench.statements [--shops 2000 --violations 20000]`; prints the RESULTS.md rows.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bench import data
from bench.measure import pct, time_calls
from shopwarden.service import health, shops, violations
from shopwarden.service.auth import Principal
from shopwarden.service.context import open_context
from shopwarden.service.importer import import_jsonl

PLATFORM = Principal("bench", "platform", None)


def _issue_pair(tmp: Path, n: int) -> tuple[list[float], list[float]]:
    ctx = open_context(f"sqlite:///{tmp / 'issue.db'}")
    hook = ctx.db.before_commit
    now = ctx.clock()
    on, off = [], []
    for i in range(n):
        for label, sink in (("on", on), ("off", off)):
            shop = f"{label}-{i % 50}"
            if i < 50:
                shops.put_shop(ctx, PLATFORM, shop, shop, "enterprise", "tiktok-shop-eu")
            ctx.db.before_commit = hook if label == "on" else None
            t0 = time.perf_counter()
            violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id=shop, type="counterfeit", severity="minor", issued_at=now - timedelta(days=100) + timedelta(minutes=i), evidence=[{"kind": "text", "value": "x"}]))
            sink.append(time.perf_counter() - t0)
    ctx.db.before_commit = hook
    ctx.db.dispose()
    return on, off


def _import(tmp: Path, ds, hook: bool) -> float:
    ctx = open_context(f"sqlite:///{tmp / f'import-{hook}.db'}")
    if not hook:
        ctx.db.before_commit = None
    report = import_jsonl(ctx, ds.path)
    ctx.db.dispose()
    return report.violations / report.seconds


def _health(tmp: Path) -> tuple[list[int], list[int]]:
    ctx = open_context(f"sqlite:///{tmp / 'health.db'}")
    now = ctx.clock()
    shops.put_shop(ctx, PLATFORM, "h1", "h1", "enterprise", "tiktok-shop-eu")
    violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="h1", type="counterfeit", severity="serious", issued_at=now - timedelta(days=1), evidence=[{"kind": "text", "value": "x"}], points=36))
    pack, st = health.standing(ctx, PLATFORM, "h1", now)
    real = health.sanction_link
    with_links, _ = time_calls(lambda: health.health_json("h1", pack, st).as_json(), 3, 2000)
    health.sanction_link = lambda shop_id, s: ""
    try:
        without, _ = time_calls(lambda: health.health_json("h1", pack, st).as_json(), 3, 2000)
    finally:
        health.sanction_link = real
    ctx.db.dispose()
    return with_links, without


def main(argv: list[str] | None = None) -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--shops", type=int, default=2000)
    args.add_argument("--violations", type=int, default=20000)
    args.add_argument("--issues", type=int, default=300)
    a = args.parse_args(argv)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        on, off = _issue_pair(tmp, a.issues)
        print(f"| statements | `violations.issue`, SQLite, with the hook | {statistics.median(on) * 1e3:.2f} ms | {pct(on, 99) * 1e3:.2f} ms | "
              f"hook off: {statistics.median(off) * 1e3:.2f} ms (p99 {pct(off, 99) * 1e3:.2f} ms) | {statistics.median(on) / statistics.median(off):.2f}x |")
        ds = data.generate(a.shops, a.violations, out=tmp / "data.jsonl", log=lambda *_: None)
        rates = {hook: _import(tmp, ds, hook) for hook in (False, True)}
        print(f"| statements | import {a.shops:,} shops / {a.violations:,} violations, with the hook | {rates[True]:,.0f} violations/s | | "
              f"hook off: {rates[False]:,.0f} violations/s | {rates[True] / rates[False]:.2f}x |")
        w, wo = _health(tmp)
        print(f"| statements | `health_json` with 4 sanctions in force, each linking its statement | {statistics.median(w) / 1e3:.1f} µs | "
              f"{pct(w, 99) / 1e3:.1f} µs | without links: {statistics.median(wo) / 1e3:.1f} µs (p99 {pct(wo, 99) / 1e3:.1f} µs) | "
              f"{statistics.median(w) / statistics.median(wo):.2f}x |")


if __name__ == "__main__":
    main()
