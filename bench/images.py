"""`make bench` sections `images` and `same_product` (issue 4).

images: PDQ hashes per second per core on ~800 px product images the bench draws (thread CPU
time, so other processes on the shared cores do not count), beside the decode alone; OCR seconds
per image with the real rapidocr engine of `service/image_text.py` on banners and photos with
drawn Chinese text (font: wqy-microhei).

same_product: `core.same_product_index.SameProductIndex` (MinHash LSH bands in sorted arrays + faiss IVF-SQ8 past 32k products, one
thread, then `compare`) filled with synthetic fingerprints (random unit sentence vectors, random
MinHash values, a brand/size/category each); lookups are half near-copies of an indexed product
(vector noise, a third of the MinHash values changed) and half new products; the lookup is
`index.matches` (the three first stages plus full scoring). Memory per indexed product is the
process's RSS delta over building the fingerprints and the index, divided by their number.
"""

from __future__ import annotations

import gc
import io
import math
import os
import statistics
import time
from pathlib import Path

import numpy as np

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
TARGET_P99 = 0.020
FULL_N = 1_000_000  # what the issue asks for
RUN_N = FULL_N  # measured at 1M on the 2-core 24 GiB box: ~11 min to build, ~12.5 GiB RSS; SHOPWARDEN_BENCH_SAME_PRODUCT_N lowers it (then 1M is extrapolated)


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


def _log(msg: str) -> None:
    print(f"[images] {msg}", flush=True)


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------- drawn images


def product_image(seed: int, size: int = 800):
    """A product-like photo: a tinted background, a 'product' of shapes, a label band."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (size, size), tuple(int(c) for c in rng.integers(170, 255, 3)))
    d = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(6, 16))):
        x0, y0 = (int(v) for v in rng.integers(0, size * 3 // 4, 2))
        w, h = (int(v) for v in rng.integers(size // 12, size // 3, 2))
        colour = tuple(int(c) for c in rng.integers(0, 220, 3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)([x0, y0, x0 + w, y0 + h], fill=colour)
    d.rectangle([0, size - size // 8, size, size], fill=tuple(int(c) for c in rng.integers(0, 120, 3)))
    return img


def jpeg(img, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def text_images():
    """Banners and photos with drawn Chinese text (a phone number, a price, a WeChat id)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 56)
    small = ImageFont.truetype(FONT, 40)
    out = []
    for i, (line1, line2) in enumerate([("限时特价 ¥99 包邮", "咨询电话 138-1234-5678"), ("新品上市 全场五折", "加微信 shop_8899 领券"),
                                          ("纯棉四件套 1.8米床", "到手价 ¥159")]):
        banner = Image.new("RGB", (1200, 400), (200 + 15 * i, 40, 40))
        d = ImageDraw.Draw(banner)
        d.text((60, 80), line1, font=font, fill=(255, 255, 255))
        d.text((60, 220), line2, font=small, fill=(255, 240, 200))
        out.append(("banner", banner))
        photo = product_image(100 + i)
        d = ImageDraw.Draw(photo)
        d.rectangle([40, 40, 760, 170], fill=(255, 255, 255))
        d.text((60, 60), line1, font=small, fill=(200, 0, 0))
        d.text((60, 640), line2, font=small, fill=(255, 255, 255))
        out.append(("photo", photo))
    return out


# --------------------------------------------------------------------------- images


def bench_images(res, quick: bool) -> None:
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    from shopwarden.core.images.decode import decode
    from shopwarden.core.images.pdq import pdq

    sec = "images (in-process, 1 core)"
    n = 40 if quick else 200
    rounds = 3 if quick else 5
    _log(f"drawing {n} product images (800 px, JPEG q85)")
    blobs = [jpeg(product_image(i)) for i in range(n)]
    arrays = [np.asarray(decode(b).image) for b in blobs]
    pdq(arrays[0])
    rates, decode_rates, both = [], [], []
    for _ in range(rounds):
        t = time.thread_time()
        for a in arrays:
            pdq(a)
        rates.append(n / (time.thread_time() - t))
        t = time.thread_time()
        for b in blobs:
            decode(b)
        decode_rates.append(n / (time.thread_time() - t))
        t = time.thread_time()
        for b in blobs:
            pdq(np.asarray(decode(b).image))
        both.append(n / (time.thread_time() - t))
    med = statistics.median(rates)
    res.add(sec, "PDQ hash of a decoded ~800x800 product image: images hashed per second per core", f"{med:,.0f} images/s",
            f"slowest round {min(rates):,.0f}/s", f"decode alone (`core.images.decode`, JPEG 800 px): {statistics.median(decode_rates):,.0f}/s",
            f"{statistics.median(decode_rates) / med:.1f}x (time)", "", "",
            f"median of {rounds} rounds over {n} drawn images, thread CPU time; per round " + ", ".join(f"{r:,.0f}" for r in rates)
            + f"; decode + PDQ from the JPEG bytes (what registering an upload costs): {statistics.median(both):,.0f} images/s")

    from shopwarden.service.image_text import engine, read_image

    imgs = text_images()
    eng = engine()
    t = time.perf_counter()
    eng.read(np.asarray(imgs[0][1]))
    load = time.perf_counter() - t
    reps = 1 if quick else 3
    per_kind: dict[str, list[float]] = {}
    cpu: list[float] = []
    read_texts = []
    for _ in range(reps):
        for kind, img in imgs:
            a = np.asarray(img)
            t, c = time.perf_counter(), time.process_time()
            lines = eng.read(a)
            per_kind.setdefault(kind, []).append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            read_texts.append(" / ".join(x.text for x in lines))
    all_s = [s for v in per_kind.values() for s in v]
    t = time.perf_counter()
    lines, ran = read_image(jpeg(imgs[0][1]), eng)
    path_s = time.perf_counter() - t
    res.add(sec, "OCR seconds per image (rapidocr bundled PP-OCR on onnxruntime, 1 intra-op thread, `service.image_text` engine)",
            f"{statistics.median(all_s):.2f} s", f"max {max(all_s):.2f} s", "", "", "", "",
            f"{len(all_s)} reads of {len(imgs)} images (3 banners 1200x400, 3 photos 800x800, drawn Chinese text) x {reps}: banner median "
            f"{statistics.median(per_kind['banner']):.2f} s, photo median {statistics.median(per_kind['photo']):.2f} s; process CPU per image "
            f"median {statistics.median(cpu):.2f} s; first call (model load) {load:.2f} s; `read_image` on the first banner (decode, QR, pre-check, OCR) "
            f"{path_s:.2f} s; read e.g. {read_texts[0][:60]!r}")


def bench_copy_candidates(res, quick: bool) -> None:
    """The descriptor-vote stage of copied-image matching (core/images/descriptor_index.py):
    per query, against every indexed reference, beside describing the query (its SIFT keypoints,
    plain and mirrored) measured in the same run."""
    from evals import image_eval as ev
    from shopwarden.core.images.descriptor_index import DescriptorIndex
    from shopwarden.core.images.local_match import local_features

    sec = "images (in-process, 1 core)"
    n, queries = (60, 10) if quick else (300, 40)
    _log(f"describing {n} references (drawn products and scenes, 480 px) for the descriptor-vote index")
    refs = [ev._draw_product(2000 + i, 480) if i % 4 else ev._filler(3000 + i, 480) for i in range(n)]
    index = DescriptorIndex()
    before = _rss()
    for i, a in enumerate(refs):
        index.add(f"r{i}", local_features(a))
    per_ref = (_rss() - before) / n
    rng = np.random.default_rng(5)
    picks = rng.choice(n, queries, replace=False)
    describe, vote, found = [], [], 0
    for k, i in enumerate(picks):
        q = ev.crop(refs[i], 0.3) if k % 2 else ev.collage(refs[i], k)
        t = time.thread_time()
        lf = local_features(q, mirrored=True)
        describe.append(time.thread_time() - t)
        t = time.thread_time()
        ranked = index.candidates(lf, 8)
        vote.append(time.thread_time() - t)
        found += f"r{i}" in {key for key, _ in ranked}
    res.add(sec, f"copied images: descriptor-vote candidates per query against {n} references (30% crops and 2x2 collages)",
            f"{1000 * statistics.median(vote):.1f} ms", f"{1000 * _pct(vote, 99):.1f} ms",
            f"describing the query (SIFT, plain + mirrored): p50 {1000 * statistics.median(describe):.1f} ms",
            f"{statistics.median(vote) / statistics.median(describe):.2f}x (p50)", "", "",
            f"{queries} queries, thread CPU time; source in the top 8 for {found}/{queries}; about {per_ref / 1024:.0f} KiB RSS per reference")


# --------------------------------------------------------------------------- same product


def synthetic(n: int, seed: int = 1):
    from shopwarden.core.same_product import DIM, NUM_PERM, Fingerprint

    rng = np.random.default_rng(seed)
    brands = [f"brand{i}" for i in range(2000)]
    cats = [f"cat{i}" for i in range(300)]
    chunk = 50_000
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        vec = rng.standard_normal((m, DIM), dtype=np.float32)
        vec /= np.linalg.norm(vec, axis=1, keepdims=True)
        mh = rng.integers(0, 2**32, (m, NUM_PERM), dtype=np.uint64)
        b = rng.integers(0, len(brands), m)
        c = rng.integers(0, len(cats), m)
        for i in range(m):
            k = start + i
            yield (f"b{k}", Fingerprint(f"synthetic {k}", mh[i], vec[i], {}, {"brand": brands[b[i]], "size": f"{k % 7}m"}, cats[c[i]], None,
                                        frozenset({f"{k:064x}"})))


def _near_copy(fp, rng):
    from shopwarden.core.same_product import Fingerprint

    v = fp.vector + rng.standard_normal(fp.vector.shape).astype(np.float32) * 0.02
    mh = fp.minhash.copy()
    idx = rng.choice(len(mh), len(mh) // 3, replace=False)
    mh[idx] = rng.integers(0, 2**32, len(idx), dtype=np.uint64)
    return Fingerprint(fp.title + " v2", mh, v / np.linalg.norm(v), {}, dict(fp.attributes), fp.category, None, frozenset())


def _lookups(index, items, rng, queries: int):
    """Latencies of `index.matches`, near-copies found, candidates per lookup."""
    n = len(items)
    picks = rng.integers(0, n, queries)
    qs = [_near_copy(items[i][1], rng) if j % 2 == 0 else fp for j, (i, (_, fp)) in
          enumerate(zip(picks, synthetic(queries, seed=int(rng.integers(1000, 10**6))), strict=False))]
    for q in qs[:20]:
        index.matches(q)
    gc.collect()
    lat, found, cands = [], 0, []
    for j, q in enumerate(qs):
        t = time.perf_counter()
        m = index.matches(q)
        lat.append(time.perf_counter() - t)
        if j % 2 == 0:
            found += bool(m) and m[0][0] == items[picks[j]][0]
    for q in qs[:200]:
        cands.append(len(index.candidates(q)))
    return lat, found, cands


def bench_same_product(res, quick: bool, n: int | None = None) -> None:
    import faiss

    from shopwarden.core.same_product_index import SameProductIndex

    sec = "same product (in-process, 1 core)"
    n = n or int(os.environ.get("SHOPWARDEN_BENCH_SAME_PRODUCT_N", 20_000 if quick else RUN_N))
    queries = 300 if quick else 2000
    gc.collect()
    rss0 = _rss()
    t0 = time.perf_counter()
    items = list(synthetic(n))
    t_fp = time.perf_counter() - t0
    rss_fp = _rss()
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # the build may use both cores; lookups run on one
    t = time.perf_counter()
    index = SameProductIndex()
    step = max(1, n // 8)
    rng = np.random.default_rng(7)
    early = None
    for start in range(0, n, step):
        index.add_many(items[start:start + step])
        _log(f"indexed {min(n, start + step):,} / {n:,} in {time.perf_counter() - t:.0f}s")
        if early is None and len(index) >= n // 4:  # the same lookups at a quarter of the size, for the growth
            faiss.omp_set_num_threads(1)
            t_pause = time.perf_counter()
            early = (len(index), _lookups(index, items[:len(index)], rng, 300 if quick else 1000)[0])
            t += time.perf_counter() - t_pause
            faiss.omp_set_num_threads(os.cpu_count() or 1)
    t_build = time.perf_counter() - t
    faiss.omp_set_num_threads(1)
    gc.collect()
    rss1 = _rss()
    _log(f"{n:,} fingerprints in {t_fp:.0f}s, index built in {t_build:.0f}s, RSS +{(rss1 - rss0) / 2**20:,.0f} MiB")
    lat, found, cands = _lookups(index, items, rng, queries)
    p50, p99 = statistics.median(lat), _pct(lat, 99)
    n0, lat0 = early
    p99_0 = _pct(lat0, 99)
    grow = max(0.0, (p99 - p99_0) / math.log(n / n0)) if n > n0 else 0.0
    p99_1m = p99 + grow * math.log(FULL_N / n) if n < FULL_N else p99
    label = f"{n:,}" if n >= FULL_N else f"{n:,} (measured; 1M extrapolated in the next row)"
    res.add(sec, f"same-product lookup (`SameProductIndex.matches`: LSH + faiss IVF-SQ8 + image ids, then `compare`; fingerprints kept in memory) against {label} indexed products",
            f"{p50 * 1000:.2f} ms", f"{p99 * 1000:.2f} ms", "", "", "p99 ≤ 20 ms", "PASS" if p99 <= TARGET_P99 else "FAIL",
            f"{queries} lookups, one thread: half near-copies of an indexed product (found {found}/{queries // 2}), half new products; "
            f"candidates scored per lookup: median {statistics.median(cands):.0f}, max {max(cands)}; synthetic fingerprints: random unit 512-d vectors "
            f"(the worst case for an inverted file), random MinHash values; index build {t_build:.0f}s on {os.cpu_count()} cores (fingerprints {t_fp:.0f}s); "
            f"at {n0:,} products the same kind of lookups: p50 {statistics.median(lat0) * 1000:.2f} ms, p99 {p99_0 * 1000:.2f} ms")
    if n < FULL_N:
        res.add(sec, "same-product lookup against 1,000,000 indexed products: EXTRAPOLATED, not measured", "", f"~{p99_1m * 1000:.1f} ms (extrapolated)",
                "", "", "p99 ≤ 20 ms", "", f"this run indexed {n:,} (--quick or SHOPWARDEN_BENCH_SAME_PRODUCT_N; 1M would take ~{t_build / n * FULL_N * 1.2 / 60:.0f}+ min to build, "
                f"~{(rss1 - rss0) / n * FULL_N / 2**30:.0f} GiB); p99 grown from {n0:,} → {n:,} logarithmically (IVF and LSH lookups are "
                f"O(log n) and O(1) per stage): +{grow * 1000:.2f} ms per e-fold, so {p99 * 1000:.2f} ms + {grow * 1000:.2f} × ln({FULL_N // n}) ms; "
                "no verdict on an extrapolation")
    per = (rss1 - rss0) / n
    res.add(sec, "memory per indexed product (RSS delta: kept fingerprint objects + LSH + vectors; `python -m bench.index_memory` measures the registry's keep=False index)", f"{per / 1024:.1f} KiB", "", "", "", "", "",
            f"{n:,} products: +{(rss1 - rss0) / 2**30:.2f} GiB in total, of which the fingerprints {(rss_fp - rss0) / 2**30:.2f} GiB "
            f"({(rss_fp - rss0) / n / 1024:.1f} KiB each: 512 float32 + 64 uint64 + Python objects) and the index {(rss1 - rss_fp) / 2**30:.2f} GiB "
            f"({(rss1 - rss_fp) / n / 1024:.1f} KiB each: quantised vectors, LSH and image postings, keys)")
    del index, items
    gc.collect()


def main() -> None:  # pragma: no cover - a quick manual probe
    import sys

    class R:
        def add(self, *a, **k):
            print(a, k)

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    bench_same_product(R(), False, n)


if __name__ == "__main__":  # pragma: no cover
    Path(".").resolve()
    main()
