"""`shopwarden sweep` and `replay --at` on the batch engines (issue 14's targets: a sweep of 1M
listings on Dask LocalCluster(2) within 1.2x a plain multiprocessing Pool(2) on the same data;
replay of 10M ledger events, time and peak memory).

    python -m bench.sweep [--listings 1000000] [--events 10000000] [--rounds 3] [--only sweep|replay]

Both read Parquet exports written here (the workers' input; the exports from the store are measured
by `bench.simulate`): a synthetic catalogue (listings in the shapes the gate sees — plain, contacts,
prices, brands, in Chinese and English — over shops of skewed size) and a synthetic ledger
(violations, appeals and their decisions over shops of skewed size). Sweep: the same parts swept by
`LocalEngine(2)` (a multiprocessing Pool of 2, the baseline) and `DaskEngine(2)` (a LocalCluster of 2
worker processes), alternating, `--rounds` rounds; each round's wall time, the ratio per round, the
median of each, and the part times (p50/p99). Replay: the ledger folded at one instant by
`LocalEngine(2)` and `DaskEngine(2)`, wall time and the peak resident memory of the run (this
process and its largest worker). Prints rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import resource
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.measure import log, pct

T0 = datetime(2026, 6, 1, tzinfo=UTC)
TITLES = ["纯棉短袖T恤 男女同款", "不锈钢保温杯 500ml", "无线蓝牙耳机 降噪 长续航", "Wireless earbuds noise cancelling", "Stainless steel water bottle 1L",
          "加厚羽绒服 女中长款", "儿童益智积木 300片", "Organic green tea 250g", "手机壳 防摔 透明", "Yoga mat non-slip 6mm"]
EXTRAS = ["", "", "", "", "加我微信 abc_8899 更便宜", "call me 0917 555 1234 for a discount", "原价999 现价99 限时抢购", "正品耐克 专柜同步",
          "支付宝转账更优惠", "官方旗舰店 正品保障 七天无理由", "DM me on Telegram @shopdeal", "包邮 送运费险"]


def _catalogue(n: int, folder: Path, parts: int) -> Any:
    from shopwarden.store.catalogue_export import ListingRow, write_catalogue

    rng = random.Random(14)
    shops = max(1, n // 10)
    rows = []
    context = orjson.dumps({"kind": "enterprise", "name": "店", "declared": [], "qualifications": []}).decode()
    for i in range(n):
        # skewed: a tenth of the listings go to a few large shops (the largest ~5% of all), the rest spread evenly
        s = min(int(rng.paretovariate(1.0)) - 1, shops - 1) if rng.random() < 0.1 else rng.randrange(shops)
        title = rng.choice(TITLES)
        listing = {"title": f"{title} {i % 97}", "description": f"{rng.choice(EXTRAS)} {rng.choice(TITLES)} 品质保证", "category": "general",
                   "skus": [{"sku_id": "k0", "name": "默认", "price": rng.choice([19, 59, 99, 299])}]}
        rows.append((f"s{s:07d}", ListingRow(f"s{s:07d}", f"p{i:08d}", 1, "tiktok-shop", orjson.dumps(listing).decode(), "allow", "[]", context, "[]")))
    rows.sort(key=lambda r: r[0])
    return write_catalogue(folder, [r for _, r in rows], parts)


def _ledger(n: int, folder: Path, parts: int) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from shopwarden.store.ledger_export import SCHEMA, cuts

    rng = random.Random(10)
    shops = max(1, n // 10)
    types = [("counterfeit", "severe"), ("contact_diversion", "general"), ("false_advertising", "general")]
    cols: dict[str, list[Any]] = {k: [] for k in SCHEMA.names}
    base = int(T0.timestamp() * 1_000_000)
    per = [0] * shops
    for _ in range(n - shops):
        per[min(int(rng.paretovariate(1.1)) - 1, shops - 1) if rng.random() < 0.3 else rng.randrange(shops)] += 1
    for s in range(shops):
        sid = f"s{s:07d}"
        for k, row in [(0, ("tiktok-shop", None, None, None, None, None, None, None))] + [(1, None)] * per[s]:
            cols["shop_id"].append(sid)
            cols["k"].append(k)
            if k == 0:
                vals: tuple[Any, ...] = row  # type: ignore[assignment]
            else:
                vtype, sev = rng.choice(types)
                issued = base - rng.randrange(400 * 86_400) * 1_000_000
                vals = (uuid.UUID(int=rng.getrandbits(128)).hex, vtype, sev, "a", rng.choice([2, 4, 6]), None, issued, issued + 365 * 86_400_000_000)
            for name, v in zip(("a", "b", "c", "d", "n", "e", "t1", "t2"), vals):
                cols[name].append(v)
    table = pa.Table.from_pydict(cols, schema=SCHEMA)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (lo, hi) in enumerate(cuts(table["shop_id"], parts)):
        path = folder / f"part-{i:05d}.parquet"
        pq.write_table(table.slice(lo, hi - lo), path, compression="zstd")
        paths.append(path)
    return paths, table.num_rows, shops


def _timed_parts(engine: Any, job: Any, paths: list[Path]) -> tuple[float, list[float]]:
    """The wall time of the whole map, and each part's time inside its worker."""
    from bench.sweep import _timed_task  # the job's task must be importable by name in the workers

    timed = type(job)(job.token, job.setup, job.payload, _timed_task)
    start = time.perf_counter()
    out = engine.map(timed, [(job.task, str(p)) for p in paths])
    return time.perf_counter() - start, [t for t, _ in out]


def _timed_task(state: Any, part: tuple[Any, str]) -> tuple[float, int]:
    task, path = part
    start = time.perf_counter()
    result = task(state, path)
    return time.perf_counter() - start, len(result[1]) if isinstance(result, tuple) else len(result)


def _peak_mib() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def bench_sweep(n: int, rounds: int) -> None:
    from shopwarden.batch import sweep as batch
    from shopwarden.batch.engines import DaskEngine, Job, LocalEngine
    from shopwarden.service.policies import load_builtin_packs

    pack = load_builtin_packs()["tiktok-shop"]
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        t = time.perf_counter()
        manifest = _catalogue(n, Path(tmp), 2 * batch.PARTS_PER_SLOT)
        log(f"catalogue: {manifest.listings:,} listings in {len(manifest.parts)} parts, written in {time.perf_counter() - t:.1f}s")
        job = Job(f"sweep-bench-{uuid.uuid4().hex}", batch._setup, pickle.dumps(({"tiktok-shop": pack}, (), T0)), batch._sweep_part)
        pool, dask = LocalEngine(2), DaskEngine(2)
        walls: dict[str, list[float]] = {"pool": [], "dask": []}
        parts: dict[str, list[float]] = {"pool": [], "dask": []}
        try:
            for r in range(rounds):
                order = [("pool", pool), ("dask", dask)] if r % 2 == 0 else [("dask", dask), ("pool", pool)]
                for name, eng in order:
                    wall, times = _timed_parts(eng, job, manifest.paths())
                    walls[name].append(wall)
                    parts[name].extend(times)
                    log(f"round {r + 1} {name}: {wall:.1f}s ({n / wall:,.0f} listings/s), load {os.getloadavg()[0]:.1f}")
        finally:
            dask.close()
        ratios = [d / p for d, p in zip(walls["dask"], walls["pool"])]
        print(f"| sweep ({n:,} listings) | Dask LocalCluster(2) wall | {statistics.median(walls['dask']):.1f} s | parts p50 {pct(parts['dask'], 50):.1f} s, p99 {pct(parts['dask'], 99):.1f} s "
              f"| Pool(2): {statistics.median(walls['pool']):.1f} s (parts p50 {pct(parts['pool'], 50):.1f} s, p99 {pct(parts['pool'], 99):.1f} s) "
              f"| {statistics.median(ratios):.2f}x (per round {', '.join(f'{x:.2f}' for x in ratios)}) | ≤ 1.2x | "
              f"{'**PASS**' if statistics.median(ratios) <= 1.2 else '**FAIL**'} | rounds {rounds}, {len(manifest.parts)} parts; load {os.getloadavg()[0]:.1f} at the end |")


def bench_replay(n: int) -> None:
    from shopwarden.batch import replay
    from shopwarden.batch.engines import DaskEngine, Job, LocalEngine
    from shopwarden.service.policies import load_builtin_packs

    pack = load_builtin_packs()["tiktok-shop"]
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as tmp:
        t = time.perf_counter()
        paths, rows, shops = _ledger(n, Path(tmp), 8 * replay.PARTS_PER_SLOT)
        log(f"ledger: {rows:,} events over {shops:,} shops in {len(paths)} parts, written in {time.perf_counter() - t:.1f}s")
        job = Job(f"replay-bench-{uuid.uuid4().hex}", replay._setup, pickle.dumps((pack, T0)), replay._fold_part)
        for name, make in (("Pool(2)", lambda: LocalEngine(2)), ("Dask LocalCluster(2)", lambda: DaskEngine(2))):
            eng = make()
            try:
                wall, times = _timed_parts(eng, job, paths)
            finally:
                eng.close()
            me, kids = _peak_mib()
            print(f"| replay --at ({rows:,} ledger events, {shops:,} shops) | {name} wall | {wall:.1f} s | parts p50 {pct(times, 50):.1f} s, p99 {pct(times, 99):.1f} s "
                  f"| {rows / wall:,.0f} events/s | peak RSS: this process {me:,.0f} MiB, largest worker {kids:,.0f} MiB | load {os.getloadavg()[0]:.1f} |")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--listings", type=int, default=1_000_000)
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", choices=("sweep", "replay"))
    args = ap.parse_args(argv)
    log(f"load average {os.getloadavg()[0]:.1f}, started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    if args.only in (None, "sweep"):
        bench_sweep(args.listings, args.rounds)
    if args.only in (None, "replay"):
        bench_replay(args.events)


if __name__ == "__main__":
    main()
