"""The experience counters kept incrementally (marks, day sums, peers' snapshots) equal a from-scratch
count over the raw orders, reviews, after-sales and complaints, after random, out-of-order and
back-dated inputs, on SQLite and PostgreSQL (DY-QL-1, DY-QL-2)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from shopwarden.service import after_sales, experience, products, reviews, shops
from shopwarden.service.auth import Principal
from shopwarden.store.experience import AfterSaleRow, ComplaintRow, ExperienceDay, ExperienceMark
from shopwarden.store.reviews import OrderRow, ReviewRow
from tests.conftest import T0

PLATFORM = Principal("test", "platform", None)
SALES = {"paid", "shipped", "delivered", "completed", "refunded"}
SHOPS = {"s1": "home/cups", "s2": "home/pots", "s3": "food/tea"}
H, D = timedelta(hours=1), timedelta(days=1)


def _setup(ctx):
    for shop, category in SHOPS.items():
        shops.put_shop(ctx, PLATFORM, shop, shop, "enterprise", "douyin")
        for n in (1, 2):
            products.put(ctx, PLATFORM, f"{shop}-p{n}", {"shop_id": shop, "title": f"商品{n}", "description": "好物", "category": category,
                                                            "skus": [{"sku_id": "k", "price": 10.0}]})


def _random_inputs(ctx, rng: random.Random, n: int, tag: str) -> None:
    ctx.clock.now = T0 + 200 * D
    orders: list[tuple[str, object]] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.45 or not orders:
            shop = rng.choice(list(SHOPS))
            t = T0 + timedelta(minutes=rng.randrange(0, 150 * 24 * 60))
            body = {"order_id": f"{tag}o{i}", "shop_id": shop, "product_id": f"{shop}-p{rng.randint(1, 2)}", "buyer_id": f"{tag}b{i}",
                    "ordered_at": t, "status": rng.choice(["paid", "paid", "shipped", "created", "cancelled"])}
            if rng.random() < 0.8:
                body["paid_at"] = t + timedelta(minutes=rng.randrange(0, 120))
                if rng.random() < 0.6:
                    body["shipped_at"] = body["paid_at"] + timedelta(hours=rng.randrange(0, 96))
            reviews.post_order(ctx, PLATFORM, body)
            orders.append((body["order_id"], t, body))
            continue
        order_id, t, body = rng.choice(orders)
        later = t + timedelta(minutes=rng.randrange(0, 40 * 24 * 60))
        if roll < 0.6:  # a status change or a time filled in later
            again = dict(body, status=rng.choice(["shipped", "delivered", "refunded", "cancelled"]))
            if "paid_at" in body and "shipped_at" not in body and rng.random() < 0.5:
                again["shipped_at"] = body["paid_at"] + timedelta(hours=rng.randrange(0, 96))
                body["shipped_at"] = again["shipped_at"]
            body["status"] = again["status"]
            reviews.post_order(ctx, PLATFORM, again)
        elif roll < 0.75:
            with ctx.db.read() as s:
                status = s.get(OrderRow, order_id).status
                reviewed = s.scalar(select(ReviewRow.review_id).where(ReviewRow.order_id == order_id))
            if status in SALES and not reviewed:
                reviews.post_review(ctx, PLATFORM, {"review_id": f"{tag}r{i}", "order_id": order_id, "rating": rng.randint(1, 5), "text": "", "images": [],
                                                    "posted_at": later})
        elif roll < 0.9:
            after_sales.post_after_sale(ctx, PLATFORM, after_sales.AfterSaleInput(f"{tag}a{i}", order_id, "return", rng.choice(
                ["quality", "not_as_described", "damaged", "no_reason", "other"]), later))
        else:
            after_sales.post_complaint(ctx, PLATFORM, after_sales.ComplaintInput(f"{tag}c{i}", order_id, "fake_goods", later))


def _from_scratch(ctx) -> list[tuple]:
    """Every event DY-QL-1 counts, read from the raw tables: (shop, product, counter, instant)."""
    rules = ctx.pack("douyin").experience
    out = []
    with ctx.db.read() as s:
        orders = {o.order_id: o for o in s.scalars(select(OrderRow))}
        by_order: dict[str, list] = {k: [] for k in orders}
        for r in s.scalars(select(ReviewRow)):
            out.append(("reviews", r.order_id, r.posted_at))
            if r.rating <= rules.negative_max_rating:
                out.append(("negative_reviews", r.order_id, r.posted_at))
                by_order[r.order_id].append(r.posted_at)
        for a in s.scalars(select(AfterSaleRow)):
            out.append(("after_sales", a.order_id, a.filed_at))
            if a.reason in ("quality", "not_as_described"):
                out.append(("quality_after_sales", a.order_id, a.filed_at))
                by_order[a.order_id].append(a.filed_at)
        for c in s.scalars(select(ComplaintRow)):
            out.append(("complaints", c.order_id, c.filed_at))
            by_order[c.order_id].append(c.filed_at)
    for o in orders.values():
        if o.status in SALES:
            out.append(("orders", o.order_id, o.ordered_at))
            if o.paid_at is not None:
                due = o.paid_at + timedelta(hours=rules.dispatch_hours)
                out.append(("dispatch_due", o.order_id, due))
                if o.shipped_at is None or o.shipped_at > due:
                    out.append(("late_dispatches", o.order_id, due))
        if by_order[o.order_id]:
            out.append(("negative_feedback", o.order_id, min(by_order[o.order_id])))
    return [(orders[oid].shop_id, orders[oid].product_id, counter, t) for counter, oid, t in out]


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_counts_equal_a_recount_from_scratch(ctx, seed):
    # rule DY-QL-1: the counts behind every indicator; rule DY-QL-2: the industry's means
    _setup(ctx)
    rng = random.Random(seed)
    _random_inputs(ctx, rng, 90, "x")
    probe = T0 + 60 * D
    experience.page(ctx, PLATFORM, "s1", probe)  # keep a snapshot, which the back-dated inputs below must drop
    _random_inputs(ctx, random.Random(seed + 100), 60, "y")
    events = _from_scratch(ctx)

    with ctx.db.read() as s:
        days = Counter({(r.shop_id, r.product_id, r.day, r.counter): r.value for r in s.scalars(select(ExperienceDay)) if r.value})
        marks = Counter()
        for m in s.scalars(select(ExperienceMark)):
            marks[(m.shop_id, m.product_id, m.day, m.counter)] += m.delta
    expected = Counter((shop, product, t.date(), counter) for shop, product, counter, t in events)
    assert days == expected and +marks == expected

    for at in (probe, probe + 17 * H, T0 + 150 * D + 5 * H):
        lo = at - timedelta(days=90)
        for shop in SHOPS:
            doc = experience.page(ctx, PLATFORM, shop, at).as_json()
            inside = Counter(counter for s_, _p, counter, t in events if s_ == shop and lo < t <= at)
            got = {i["id"]: (i["count"], i["of"]) for i in doc["indicators"]}
            assert got["quality_return_rate"] == (inside["quality_after_sales"], inside["orders"])
            assert got["late_dispatch_rate"] == (inside["late_dispatches"], inside["dispatch_due"])
            assert got["negative_review_rate"] == (inside["negative_reviews"], inside["reviews"])
            assert got["complaint_rate"] == (inside["complaints"], inside["orders"]) and doc["orders"] == inside["orders"]
            day = at.date()
            first = day - timedelta(days=90)
            industry = SHOPS[shop].split("/")[0]
            pooled = Counter(counter for s_, _p, counter, t in events if SHOPS[s_].startswith(industry) and first <= t.date() < day)
            mean = next(i for i in doc["indicators"] if i["id"] == "complaint_rate")["industry_mean"]
            if doc["industry"] == industry and pooled["orders"]:
                assert mean == round(pooled["complaints"] / pooled["orders"], 4)
            for p in doc["products"]:
                mine = Counter(counter for s_, p_, counter, t in events if p_ == p["product_id"] and lo < t <= at)
                assert (p["orders"], p["negative_feedback"]) == (mine["orders"], mine["negative_feedback"])


def small_market(ctx, seed: int, n: int):
    """The three shops, peers of one another (a pack asking 3 orders), after `n` random inputs: (pack, rules)."""
    pack = ctx.pack("douyin")
    rules = pack.experience.model_copy(update={"min_orders": 3})
    ctx.packs["douyin"] = pack = pack.model_copy(update={"experience": rules})
    _setup(ctx)
    _random_inputs(ctx, random.Random(seed), n, "x")
    return pack, rules


def from_scratch(ctx, rules, day):
    """Every industry's peers of `day`, built from the window's day sums."""
    from shopwarden.core.quality import peers
    from shopwarden.store import experience as store

    with ctx.db.read() as s:
        return peers.build(store.industry_sums(s, "douyin", day - timedelta(days=rules.window_days), day - D), rules.min_orders)


def test_kept_peers_equal_a_build_from_the_day_sums_on_every_day(ctx):
    # rule DY-QL-2: the industries' means and peers kept incrementally (rolled a day at a time, moved by
    # back-dated inputs) equal a build from scratch over the window's day sums, at any day
    pack, rules = small_market(ctx, 5, 120)

    def scratch(day):
        return from_scratch(ctx, rules, day)

    first = (T0 + 100 * D).date()
    for k in range(0, 40, 3):
        day = first + k * D
        assert experience.industries_on(ctx, pack, rules, day) == scratch(day)
        _random_inputs(ctx, random.Random(50 + k), 12, f"y{k}")  # new and back-dated inputs between two rolls
    assert any(i.shops for i in scratch(first + 39 * D).values())
    ctx.clock.now = T0 + 300 * D
    for day in (first + 5 * D, first + 39 * D, first + 40 * D, first + 200 * D):  # past days, the state's own day, a roll, a reset
        assert experience.industries_on(ctx, pack, rules, day) == scratch(day)
