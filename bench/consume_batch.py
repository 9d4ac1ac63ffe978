"""One micro-batch of violations applied in-process on PostgreSQL: the set-based path against the
one-by-one path, same run (issue 14).

    python -m bench.consume_batch [--batches N] [--size S] [--shops K]

`service.consume.apply_batch` over S violations of K shops, N batches per arm, the arms alternated
batch by batch on one fresh schema: with `handlers.MANY` (a run of violations claimed, read and
inserted set-wise) and without it (each event its own savepoint, claim, shop read and insert).
Counts the statements sent (SQLAlchemy's cursor events; the pipelined executemany counts as one)
and the process's CPU time as well as the wall time, since the shared machine's load moves the
wall time more than the work. Prints the RESULTS.md rows. Loopback only; every loop is bounded."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("SHOPWARDEN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SCHEMA = "sw_bench_consume_batch"


def _context() -> Any:
    admin = sa.create_engine(PG)
    with admin.begin() as c:
        c.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        c.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    admin.dispose()
    from shopwarden.service.context import open_context

    return open_context(f"{PG}?options=-csearch_path%3D{SCHEMA}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", type=int, default=6)
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--shops", type=int, default=200)
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from shopwarden.consume import handlers
    from shopwarden.service.auth import Principal
    from shopwarden.service.consume import apply_batch
    from shopwarden.service.shops import put_shop

    ctx = _context()
    for i in range(a.shops):
        put_shop(ctx, Principal("bench", "platform", None), f"s{i}", f"Shop {i}", "seller", "tiktok-shop")
    sent = [0]
    event.listen(ctx.db.engine, "before_cursor_execute", lambda *_: sent.__setitem__(0, sent[0] + 1))
    kinds = frozenset(handlers.KINDS)

    def batch(tag: str) -> list[Any]:
        return [handlers.decode("violation", orjson.dumps({"event_id": f"{tag}-{i}", "shop_id": f"s{i % a.shops}", "type": "missing_qualifications",
                                                            "severity": "minor", "note": tag}), kinds) for i in range(a.size)]

    arms: dict[str, dict[str, list[float]]] = {arm: {"wall": [], "cpu": [], "stmts": []} for arm in ("set", "one")}
    apply_batch(ctx, batch("warm-set"), handlers.handle, handlers.problem_of, handlers.MANY)
    apply_batch(ctx, batch("warm-one"), handlers.handle, handlers.problem_of)
    for n in range(a.batches):
        for arm in (("set", "one") if n % 2 == 0 else ("one", "set")):
            events = batch(f"{arm}{n}")
            sent[0] = 0
            w, c = time.perf_counter(), time.process_time()
            out = apply_batch(ctx, events, handlers.handle, handlers.problem_of, handlers.MANY if arm == "set" else None)
            arms[arm]["wall"].append(time.perf_counter() - w)
            arms[arm]["cpu"].append(time.process_time() - c)
            arms[arm]["stmts"].append(sent[0] / a.size)
            assert all(o.status == "applied" for o in out), {o.status for o in out}
            print(f"[consume_batch] {arm} batch {n}: {a.size / arms[arm]['wall'][-1]:,.0f}/s wall, {a.size / arms[arm]['cpu'][-1]:,.0f}/s per CPU-second",
                  file=sys.stderr, flush=True)
    ctx.db.dispose()
    rate = {arm: {k: a.size / statistics.median(v[k]) for k in ("wall", "cpu")} for arm, v in arms.items()}
    stmts = {arm: statistics.median(v["stmts"]) for arm, v in arms.items()}
    load = os.getloadavg()[0]
    print(f"| consume batch (in-process, PostgreSQL) | {a.size} violations of {a.shops} shops per batch, set-based (`handlers.MANY`): violations/s, wall "
          f"| {rate['set']['wall']:,.0f}/s | per CPU-second of this process: {rate['set']['cpu']:,.0f}/s | one by one, same run: {rate['one']['wall']:,.0f}/s wall, "
          f"{rate['one']['cpu']:,.0f}/s per CPU-second | {rate['set']['wall'] / rate['one']['wall']:.1f}x wall, {rate['set']['cpu'] / rate['one']['cpu']:.1f}x CPU "
          f"| statements per violation {stmts['set']:.3f} against {stmts['one']:.1f} | medians of {a.batches} alternated batches per arm; load average {load:.1f} |")


if __name__ == "__main__":
    main()
