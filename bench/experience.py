"""Section `experience` (DY-QL-1..5): orders ingested per second through `service.reviews.post_order`
with the experience counters kept in the same transaction (the order recounted, marks and day sums
written), against the same insert under a pack without an `experience:` section (alternating order
by order); and the experience page's latency, with its industry snapshot kept (warm) and on the
first page of a day (cold: one GROUP BY over the window's day sums of every shop), on SQLite.

Data: a fresh SQLite database; a population of douyin shops whose day sums are written directly
(120 days, 10 industries, 0-30 orders a shop a day with proportional feedback), so the peers'
snapshot has the size of a real market; one measured shop whose orders, after-sales and
complaints go through the service.

    python -m bench.experience [--quick]   # alone: prints the rows
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

WORK = Path(__file__).resolve().parent / "_work"
SECTION = "experience (in-process, SQLite, 1 thread)"
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
INDUSTRIES = ("home", "food", "beauty", "digital", "apparel", "sports", "toys", "books", "pets", "garden")


def _pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))]


def _population(ctx, n_shops: int, days: int, rng: random.Random) -> None:
    from shopwarden.store import shops
    from shopwarden.store.experience import ExperienceDay

    with ctx.db.transaction() as s:
        shops.insert_many(s, [{"shop_id": f"pop{i}", "name": f"pop{i}", "kind": "enterprise", "policy_id": "douyin"} for i in range(n_shops)], T0)
        rows = []
        for i in range(n_shops):
            industry, quality = INDUSTRIES[i % len(INDUSTRIES)], rng.random()
            for d in range(days):
                orders = rng.randrange(0, 30)
                if not orders:
                    continue
                day = (T0 + timedelta(days=d)).date()
                bad = lambda p: sum(rng.random() < p * quality for _ in range(orders))  # noqa: E731
                for counter, n in (("orders", orders), ("dispatch_due", orders), ("late_dispatches", bad(0.2)), ("reviews", orders // 2),
                                   ("negative_reviews", bad(0.05)), ("after_sales", bad(0.1)), ("quality_after_sales", bad(0.05)),
                                   ("complaints", bad(0.03)), ("negative_feedback", bad(0.08))):
                    if n:
                        rows.append({"shop_id": f"pop{i}", "product_id": f"pop{i}-p", "industry": industry, "day": day, "counter": counter, "value": n})
        s.connection().execute(ExperienceDay.__table__.insert(), rows)


def measure(n_shops: int, n_orders: int, days: int = 120) -> dict:
    from shopwarden.service import after_sales, experience, products, reviews
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context
    from shopwarden.service.shops import put_shop

    db = WORK / "experience.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    now = [T0 + timedelta(days=days + 3)]
    ctx = open_context(f"sqlite:///{db}")
    ctx = type(ctx)(db=ctx.db, packs=ctx.packs, clock=lambda: now[0])
    who = Principal("bench", "platform", None)
    rng = random.Random(7)
    t = time.perf_counter()
    _population(ctx, n_shops, days, rng)
    setup_s = time.perf_counter() - t
    plain = dict(ctx.packs, douyin=ctx.packs["douyin"].model_copy(update={"experience": None}))
    counted = dict(ctx.packs)
    for shop in ("m1", "m0"):
        put_shop(ctx, who, shop, shop, "enterprise", "douyin")
        products.put(ctx, who, f"{shop}-p", {"shop_id": shop, "title": "陶瓷马克杯", "description": "釉下彩", "category": "home/cups",
                                            "skus": [{"sku_id": "k", "price": 29.0}]})
    with_s, without_s = [], []
    for k in range(2 * n_orders):
        shop, packs, into = ("m1", counted, with_s) if k % 2 == 0 else ("m0", plain, without_s)
        ctx.packs.clear()
        ctx.packs.update(packs)
        at = T0 + timedelta(minutes=rng.randrange(0, (days - 1) * 24 * 60))
        body = {"order_id": f"o{k}", "shop_id": shop, "product_id": f"{shop}-p", "buyer_id": f"b{k}", "status": "paid", "ordered_at": at, "paid_at": at,
                "shipped_at": at + timedelta(hours=rng.choice((2, 20, 60)))}
        t0 = time.perf_counter()
        reviews.post_order(ctx, who, body)
        into.append(time.perf_counter() - t0)
        if shop == "m1" and rng.random() < 0.15:
            after_sales.post_after_sale(ctx, who, after_sales.AfterSaleInput(f"a{k}", f"o{k}", "return", rng.choice(("quality", "no_reason")), at + timedelta(days=2)))
        if shop == "m1" and rng.random() < 0.05:
            after_sales.post_complaint(ctx, who, after_sales.ComplaintInput(f"c{k}", f"o{k}", "fake_goods", at + timedelta(days=3)))
    ctx.packs.clear()
    ctx.packs.update(counted)
    cold, warm = [], []
    for d in range(5):
        at = now[0] - timedelta(days=d, hours=3)
        t0 = time.perf_counter()
        doc = experience.page(ctx, who, "m1", at)
        cold.append(time.perf_counter() - t0)
    for _ in range(100):
        at = now[0] - timedelta(minutes=rng.randrange(60, 20 * 60))
        t0 = time.perf_counter()
        doc = experience.page(ctx, who, "m1", at)
        warm.append(time.perf_counter() - t0)
    return {"setup_s": setup_s, "with": with_s, "without": without_s, "cold": cold, "warm": warm, "score": doc["score"], "orders": doc["orders"],
            "peers": n_shops // len(INDUSTRIES), "n_shops": n_shops, "n_orders": n_orders}


def rows(m: dict) -> list[str]:
    ms = lambda xs, p: f"{_pct(xs, p) * 1000:.2f} ms"  # noqa: E731
    rate = lambda xs: len(xs) / sum(xs)  # noqa: E731
    ratio = statistics.median(m["with"]) / statistics.median(m["without"])
    notes = (f"{m['n_orders']} orders with counters and {m['n_orders']} without, alternating, one fresh SQLite database; "
             f"a population of {m['n_shops']} douyin shops in 10 industries with 120 days of day sums (setup {m['setup_s']:.0f} s)")
    return [
        f"| {SECTION} | orders ingested per second through `service.reviews.post_order` with the DY-QL-1 counters | {rate(m['with']):.0f} orders/s |  | "
        f"the same insert under a pack without `experience:`: {rate(m['without']):.0f} orders/s | {ratio:.2f}x (p50 time) |  |  | {notes} |",
        f"| {SECTION} | one order's ingest with the counters: latency | {ms(m['with'], 50)} | {ms(m['with'], 99)} | "
        f"without p50 {ms(m['without'], 50)}, p99 {ms(m['without'], 99)} |  |  |  |  |",
        f"| {SECTION} | experience page (`service.experience.page`), snapshot kept (warm) | {ms(m['warm'], 50)} | {ms(m['warm'], 99)} |  |  |  |  | "
        f"100 pages of the measured shop ({m['orders']} orders in the window, score {m['score']}) at instants within the last day; the trend's 7 days and the forecast included |",
        f"| {SECTION} | experience page, the first of a day (the day's snapshot computed: a GROUP BY over every shop's day sums) | {ms(m['cold'], 50)} | {ms(m['cold'], 99)} |  |  |  |  | "
        f"5 pages on 5 days; ~{m['peers']} peers per industry |",
    ]


def bench_experience(res, quick: bool) -> None:
    """The section in `make bench` (bench/run.py): the same figures as `rows`, as result rows."""
    m = measure(n_shops=500 if quick else 2000, n_orders=300 if quick else 1500)
    rate = lambda xs: len(xs) / sum(xs)  # noqa: E731
    ms = lambda xs, p: f"{_pct(xs, p) * 1000:.2f} ms"  # noqa: E731
    ratio = statistics.median(m["with"]) / statistics.median(m["without"])
    res.add(SECTION, "orders ingested per second through service.reviews.post_order with the DY-QL-1 counters", f"{rate(m['with']):.0f} orders/s",
            ms(m["with"], 99), f"without `experience:`: {rate(m['without']):.0f} orders/s", f"{ratio:.2f}x", "", "",
            f"{m['n_orders']} orders each way, alternating; {m['n_shops']} douyin shops of day sums")
    res.add(SECTION, "experience page (warm: the day's industry snapshot kept)", ms(m["warm"], 50), ms(m["warm"], 99), "", "", "p99 ≤ 5 ms at 100k shops",
            "", f"{m['n_shops']} shops here, not 100k: not the target's scale")
    res.add(SECTION, "experience page, the first of a day (the snapshot computed)", ms(m["cold"], 50), ms(m["cold"], 99), "", "", "", "",
            f"~{m['peers']} peers per industry")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    m = measure(n_shops=500 if args.quick else 2000, n_orders=300 if args.quick else 1500)
    print("\n".join(rows(m)))


if __name__ == "__main__":
    main()
