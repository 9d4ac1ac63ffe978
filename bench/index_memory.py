"""Where the same-product index's memory goes, per product (issue 14: ≤ 2 KiB per product at 1M).

    python -m bench.index_memory [--products N]

Measure first: builds `SameProductIndex` over N synthetic fingerprints (bench/images.py's: random
unit 512-d vectors, random MinHash values, one image id each) and splits the resident memory it
adds into its parts: the faiss HNSW index (its serialized size: vectors and graph links), the kept
`Fingerprint` objects (their arrays by `nbytes`, the rest by the RSS of building them), and the
MinHash LSH with the key maps (what remains of the RSS delta). Prints the RESULTS.md rows.
In-process only; every loop is bounded."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--products", type=int, default=20_000)
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    import faiss

    from bench.images import synthetic
    from shopwarden.core.same_product_index import SameProductIndex

    n = a.products
    gc.collect()
    rss0 = _rss()
    items = list(synthetic(n))
    gc.collect()
    rss_fp = _rss()
    arrays = sum(fp.minhash.nbytes + fp.vector.nbytes + (fp.detail.nbytes if fp.detail is not None else 0) for _, fp in items)
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    t = time.perf_counter()
    index = SameProductIndex(items)
    took = time.perf_counter() - t
    gc.collect()
    rss1 = _rss()
    hnsw = len(faiss.serialize_index(index._vectors))
    total = rss1 - rss0
    fps = rss_fp - rss0
    rest = total - fps - hnsw
    per = lambda b: b / n / 1024  # noqa: E731
    load = os.getloadavg()[0]
    row = "| same product: memory (in-process) | {what} | {value:.2f} KiB per product | | {base} | | ≤ 2 KiB per product at 1M | {verdict} | {notes} |"
    notes = f"{n:,} synthetic products, index built in {took:.0f}s; load average {load:.1f}"
    print(row.format(what=f"`SameProductIndex` resident memory, all parts ({n:,} products)", value=per(total), base=f"RSS +{total / 2**20:,.0f} MiB",
                     verdict="**PASS**" if per(total) <= 2 else "**FAIL**", notes=notes))
    print(row.format(what="  of which the faiss HNSW index (float32 vectors + M=32 graph links)", value=per(hnsw), base=f"{hnsw / 2**20:,.0f} MiB serialized",
                     verdict="", notes="512 × 4 B = 2 KiB per vector alone: float32 vectors cannot meet 2 KiB; 8-bit scalar quantisation would make them 0.5 KiB"))
    print(row.format(what="  of which the kept `Fingerprint` objects (for `compare`)", value=per(fps), base=f"arrays {arrays / 2**20:,.0f} MiB by nbytes",
                     verdict="", notes="a second float32 copy of each vector, the 64 MinHash values as uint64, the title, attributes and image ids as Python objects"))
    print(row.format(what="  of which the MinHash LSH and the key maps (the rest)", value=per(rest), base="", verdict="",
                     notes="datasketch's MinHashLSH keeps a bytes key per band per product in Python dicts"))


if __name__ == "__main__":
    main()
