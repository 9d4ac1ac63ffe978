"""The same-product index's memory per product and its lookups, beside the old index in the same
run (issue 14: ≤ 2 KiB per product at 1M, p99 lookup ≤ 20 ms, the same recall).

    python -m bench.index_memory [--products N] [--old N_OLD] [--queries Q]

Builds `SameProductIndex(keep=False)` over N synthetic fingerprints (bench/images.py's: random unit
512-d vectors, random MinHash values, a brand, a size and one image id each) written first to a
SQLite file, as the registry keeps them in its `bans` table; lookups read their candidates back
from that file, as the registry does. Then, in the same process (the new index still alive, so
neither reuses the other's freed memory), the old index (bench/same_product_index_old.py: the one
this replaced, datasketch LSH + faiss HNSW + kept `Fingerprint` objects) over the first N_OLD of the
same fingerprints, and a new one over the same N_OLD, asked the same queries.

Memory is the process's RSS delta over building the index (the fingerprints were built before),
split into parts by their sizes (numpy `nbytes`, faiss's serialized codes; the key list and map are
the rest). Queries, each kind a third: a near copy of an indexed product (a third of its MinHash
values changed, its vector at cosine ~0.9), a "translation" (new MinHash values, its vector at
cosine ~0.8: only the vector stage can find it; brand and size agree, so `compare` finds it the same
product), a new product. Latency is `matches` (the three stages, the read-back, `compare`), one
thread. Prints the RESULTS.md rows. In-process only; every loop is bounded."""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("near copy", "translation", "new product")


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


def _log(msg: str) -> None:
    print(f"[index_memory] {msg}", file=sys.stderr, flush=True)


class Stored:
    """Fingerprints in a SQLite file as the registry's JSON documents; `fetch` reads keys back."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE fp (key TEXT PRIMARY KEY, doc BLOB NOT NULL)")

    def write(self, items) -> None:
        import orjson

        self.db.executemany("INSERT INTO fp VALUES (?, ?)", ((k, orjson.dumps(fp.to_json())) for k, fp in items))
        self.db.commit()

    def fetch(self, keys: Sequence[str]):
        import orjson

        from shopwarden.core.same_product import Fingerprint

        rows = dict(self.db.execute(f"SELECT key, doc FROM fp WHERE key IN ({','.join('?' * len(keys))})", list(keys)).fetchall())
        return [Fingerprint.from_json(orjson.loads(rows[k])) for k in keys]


def _queries(items, n: int, q: int, seed: int = 11):
    """(kind, the indexed key it copies or None, fingerprint)."""
    from bench.images import synthetic
    from shopwarden.core.same_product import Fingerprint

    rng = np.random.default_rng(seed)
    fresh = synthetic(q, seed=seed + 1000)
    out = []
    for j in range(q):
        kind = KINDS[j % 3]
        _, new = next(fresh)
        if kind == "new product":
            out.append((kind, None, Fingerprint(new.title + " q", new.minhash, new.vector, {}, {}, new.category, None, frozenset())))
            continue
        i = int(rng.integers(0, n))
        key, fp = items[i]
        sigma = 0.014 if kind == "near copy" else 0.033  # cosine 1/sqrt(1 + 512σ²): ~0.95 and ~0.80
        v = fp.vector + rng.standard_normal(fp.vector.shape).astype(np.float32) * sigma
        mh = fp.minhash.copy()
        if kind == "near copy":
            idx = rng.choice(len(mh), len(mh) // 3, replace=False)
            mh[idx] = rng.integers(0, 2**32, len(idx), dtype=np.uint64)
        else:
            mh = new.minhash
        out.append((kind, key, Fingerprint(fp.title + " v2", mh, v / np.linalg.norm(v), {}, dict(fp.attributes), fp.category, None, frozenset())))
    return out


def _lookups(matches, queries):
    for _, _, fp in queries[:20]:
        matches(fp)
    gc.collect()
    lat, cpu, found, answers = [], [], dict.fromkeys(KINDS, 0), []
    for kind, key, fp in queries:
        t, c = time.perf_counter(), time.thread_time()
        m = matches(fp)
        lat.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
        answers.append([(k, round(s.score, 6)) for k, s in m])
        found[kind] += bool(m) and m[0][0] == key if key is not None else bool(m)
    return lat, cpu, found, answers


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--old", type=int, default=20_000, help="products in the old index (the baseline, same run)")
    ap.add_argument("--queries", type=int, default=900)
    ap.add_argument("--dir", default=None, help="where the SQLite file goes (a temporary directory by default)")
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import faiss

    from bench import same_product_index_old as old
    from bench.images import synthetic
    from shopwarden.core import same_product_index as new

    n, n_old = a.products, min(a.old, a.products)
    load0 = os.getloadavg()
    t = time.perf_counter()
    gc.collect()
    rss_before = _rss()
    items = list(synthetic(n))
    gc.collect()
    fp_each = (_rss() - rss_before) / n  # the old index keeps these objects: counted as part of it
    _log(f"{n:,} fingerprints in {time.perf_counter() - t:.0f}s")
    tmp = tempfile.TemporaryDirectory(dir=a.dir)
    store = Stored(os.path.join(tmp.name, "fingerprints.sqlite"))
    t = time.perf_counter()
    for start in range(0, n, 50_000):
        store.write(items[start:start + 50_000])
    _log(f"written to SQLite in {time.perf_counter() - t:.0f}s")

    faiss.omp_set_num_threads(os.cpu_count() or 1)  # the builds may use both cores; lookups run on one
    gc.collect()
    rss0 = _rss()
    t = time.perf_counter()
    index = new.SameProductIndex(keep=False)
    for start in range(0, n, 50_000):
        index.add_many(items[start:start + 50_000])
    built = time.perf_counter() - t
    gc.collect()
    total = _rss() - rss0
    parts = index.nbytes()
    import ctypes

    ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand the builds' freed scratch memory back: what is left is live
    live = _rss() - rss0
    codes = len(faiss.serialize_index(index._vectors.index))
    _log(f"new index: {n:,} in {built:.0f}s, RSS +{total / 2**20:,.0f} MiB")

    rss1 = _rss()
    t = time.perf_counter()
    before = old.SameProductIndex(items[:n_old])
    built_old = time.perf_counter() - t
    gc.collect()
    total_old = _rss() - rss1 + fp_each * n_old
    _log(f"old index: {n_old:,} in {built_old:.0f}s, RSS +{total_old / 2**20:,.0f} MiB")
    small = new.SameProductIndex(items[:n_old], keep=False)
    faiss.omp_set_num_threads(1)

    queries = _queries(items, n, a.queries)
    queries_old = _queries(items, n_old, a.queries, seed=12)
    lat, cpu, found, _ = _lookups(lambda fp: index.matches(fp, fetch=store.fetch), queries)
    lat_o, cpu_o, found_o, ans_o = _lookups(before.matches, queries_old)
    lat_s, cpu_s, found_s, ans_s = _lookups(lambda fp: small.matches(fp, fetch=store.fetch), queries_old)
    same = sum(x == y for x, y in zip(ans_o, ans_s, strict=True))
    load1 = os.getloadavg()

    per = lambda b, m=n: b / m / 1024  # noqa: E731
    each = a.queries // 3
    load = f"load average {load0[0]:.1f} → {load1[0]:.1f}"
    print(f"\n{n:,} products (old: {n_old:,}), {a.queries} queries, {load}\n")
    print("| part | new: per product | old: per product (same run) | ratio |")
    print("|---|---|---|---|")
    print(f"| whole index, RSS delta | {per(total):.2f} KiB ({total / 2**20:,.0f} MiB, built in {built:.0f}s) | "
          f"{per(total_old, n_old):.2f} KiB ({total_old / 2**20:,.0f} MiB with the kept fingerprints at {fp_each / 1024:.2f} KiB each, built in {built_old:.0f}s) | {per(total) / per(total_old, n_old):.3f}x |")
    print(f"| whole index, RSS delta after `malloc_trim` (live memory) | {per(live):.2f} KiB | | |")
    print(f"|   vectors: faiss {'IVF-SQ8 codes + ids' if index._vectors.quantised else 'flat float32 (under TRAIN_AT)'} (serialized) | {per(codes):.2f} KiB | HNSW float32 + links, see bench/RESULTS.md | |")
    print(f"|   LSH: {new.BANDS} band hashes (uint64) + rows (int32) | {per(parts['lsh']):.2f} KiB | datasketch MinHashLSH | |")
    print(f"|   image ids: hash + row | {per(parts['images']):.2f} KiB | dict of str → list | |")
    print(f"|   keys, key map, faiss lists' spare capacity (live − the above) | {per(live - codes - parts['lsh'] - parts['images']):.2f} KiB | | |")
    print("\n| lookup (`matches`, one thread) | p50 | p99 | thread CPU p50 / p99 | found: near copies / translations / new products matched |")
    print("|---|---|---|---|---|")
    for label, ls, cs, f in ((f"new, {n:,} products, candidates read back from SQLite", lat, cpu, found),
                         (f"new, {n_old:,} products, read back from SQLite", lat_s, cpu_s, found_s),
                         (f"old, {n_old:,} products, fingerprints in memory", lat_o, cpu_o, found_o)):
        print(f"| {label} | {statistics.median(ls) * 1000:.2f} ms | {_pct(ls, 99) * 1000:.2f} ms | "
              f"{statistics.median(cs) * 1000:.2f} / {_pct(cs, 99) * 1000:.2f} ms | "
              f"{f['near copy']}/{each} · {f['translation']}/{each} · {f['new product']}/{each} |")
    print(f"\nsame answers (keys and scores to 6 digits), old vs new over the same {n_old:,} products: {same}/{len(ans_o)} queries")


if __name__ == "__main__":
    main()
