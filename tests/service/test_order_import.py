"""Orders, after-sales and complaints through the bulk importer count exactly as through the API
(DY-QL-1): the same experience page for the same data; bad lines listed, nothing of them stored."""

from __future__ import annotations

import json
import random
import shutil
from datetime import timedelta

import sqlalchemy as sa

from shopwarden.service import after_sales, experience, products, reviews, shops
from shopwarden.service.auth import Principal
from shopwarden.service.context import Context
from shopwarden.service.importer import import_jsonl
from shopwarden.store.db import Database
from tests.conftest import T0

PLATFORM = Principal("test", "platform", None)
SHOPS = {"s1": "home/cups", "s2": "home/pots", "s3": "food/tea"}
D = timedelta(days=1)


def _iso(t) -> str:
    return t.isoformat().replace("+00:00", "Z")


def _setup(ctx) -> None:
    for shop, category in SHOPS.items():
        shops.put_shop(ctx, PLATFORM, shop, shop, "enterprise", "douyin")
        for n in (1, 2):
            products.put(ctx, PLATFORM, f"{shop}-p{n}", {"shop_id": shop, "title": f"商品{n}", "description": "好物", "category": category,
                                                            "skus": [{"sku_id": "k", "price": 10.0}]})


def _records(seed: int, n: int, tag: str) -> list[dict]:
    """Orders with their times, then after-sales and complaints, some of them of earlier orders (back-dated)."""
    rng, out, orders = random.Random(seed), [], []
    for i in range(n):
        shop = rng.choice(list(SHOPS))
        t = T0 + timedelta(minutes=rng.randrange(0, 150 * 24 * 60))
        rec = {"record": "order", "order_id": f"{tag}o{i}", "shop_id": shop, "product_id": f"{shop}-p{rng.randint(1, 2)}", "buyer_id": f"b{i}",
               "ordered_at": _iso(t), "status": rng.choice(["paid", "shipped", "delivered", "cancelled"])}
        paid = t + timedelta(minutes=rng.randrange(1, 120))
        rec["paid_at"] = _iso(paid)
        if rng.random() < 0.8:
            rec["shipped_at"] = _iso(paid + timedelta(hours=rng.randrange(1, 96)))
        out.append(rec)
        orders.append((rec["order_id"], t))
        for k in range(3):
            oid, at = rng.choice(orders)
            later = _iso(at + timedelta(minutes=rng.randrange(1, 30 * 24 * 60)))
            if rng.random() < 0.2:
                out.append({"record": "after_sale", "after_sale_id": f"{tag}a{i}-{k}", "order_id": oid, "kind": "return",
                            "reason": rng.choice(["quality", "not_as_described", "damaged", "no_reason"]), "filed_at": later})
            elif rng.random() < 0.1:
                out.append({"record": "complaint", "complaint_id": f"{tag}c{i}-{k}", "order_id": oid, "kind": "fake_goods", "filed_at": later})
    return out


def _through_the_api(ctx, records: list[dict]) -> None:
    for r in records:
        body = {k: _parse(v) if k.endswith("_at") else v for k, v in r.items() if k != "record"}
        if r["record"] == "order":
            reviews.post_order(ctx, PLATFORM, body)
        elif r["record"] == "after_sale":
            after_sales.post_after_sale(ctx, PLATFORM, after_sales.AfterSaleInput(r["after_sale_id"], r["order_id"], r["kind"], r["reason"],
                                                                                   _parse(r["filed_at"])))
        else:
            after_sales.post_complaint(ctx, PLATFORM, after_sales.ComplaintInput(r["complaint_id"], r["order_id"], r["kind"], _parse(r["filed_at"])))


def _parse(text: str):
    from shopwarden.core import instants

    return instants.parse(text)


def _write(path, records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_bulk_import_and_the_api_give_the_same_experience_page(ctx, clock, sqlite_template, tmp_path):
    # rule DY-QL-1: the importer counts orders, after-sales and complaints as the one-by-one path does
    clock.now = T0 + 200 * D
    path = tmp_path / "api.db"
    shutil.copy(sqlite_template, path)
    api = Context(db=Database(f"sqlite:///{path}"), packs=ctx.packs, clock=clock)
    first, second = _records(1, 120, "x"), _records(2, 60, "y")
    for c in (ctx, api):
        _setup(c)
    _through_the_api(api, [r for r in first if r["record"] == "order"])  # the API needs orders first; the file keeps its order
    _through_the_api(api, [r for r in first if r["record"] != "order"])
    _write(tmp_path / "first.jsonl", first)
    report = import_jsonl(ctx, tmp_path / "first.jsonl", batch=17)
    assert report.clean and report.orders == 120 and report.after_sales + report.complaints == len(first) - 120
    probe = T0 + 100 * D
    for c in (ctx, api):
        experience.page(c, PLATFORM, "s1", probe)  # the peers' state now stands at the probe's day: later back-dated lines move it
    _through_the_api(api, [r for r in second if r["record"] == "order"])
    _through_the_api(api, [r for r in second if r["record"] != "order"])
    _write(tmp_path / "second.jsonl", second)
    assert import_jsonl(ctx, tmp_path / "second.jsonl", batch=9).clean
    for at in (probe, probe + 3 * D + timedelta(hours=5), T0 + 160 * D):
        for shop in SHOPS:
            assert experience.page(ctx, PLATFORM, shop, at) == experience.page(api, PLATFORM, shop, at)
    again = import_jsonl(ctx, tmp_path / "first.jsonl", batch=50)  # a re-run skips everything and counts nothing twice
    assert again.clean and again.orders == 0 and again.skipped_orders == len(first)
    assert experience.page(ctx, PLATFORM, "s3", T0 + 160 * D) == experience.page(api, PLATFORM, "s3", T0 + 160 * D)


def test_bad_order_lines_are_listed_and_nothing_of_them_is_stored(ctx, clock, tmp_path):
    # rule DY-QL-1: an after-sale of an unknown order, a complaint before its order, times out of order: refused with the field
    clock.now = T0 + 10 * D
    _setup(ctx)
    t = _iso(T0 + D)
    lines = [
        {"record": "order", "order_id": "ok", "shop_id": "s1", "product_id": "s1-p1", "buyer_id": "b", "ordered_at": t, "paid_at": t},
        {"record": "order", "order_id": "o2", "shop_id": "s1", "product_id": "s1-p1", "buyer_id": "b", "ordered_at": t, "paid_at": _iso(T0)},
        {"record": "order", "order_id": "o3", "shop_id": "s1", "product_id": "s2-p1", "buyer_id": "b", "ordered_at": t},
        {"record": "order", "order_id": "o4", "shop_id": "s1", "product_id": "s1-p1", "buyer_id": "b", "ordered_at": _iso(T0 + 30 * D)},
        {"record": "order", "order_id": "o5", "shop_id": "s1", "product_id": "s1-p1", "buyer_id": "b", "ordered_at": t, "status": "lost"},
        {"record": "after_sale", "after_sale_id": "a1", "order_id": "nope", "kind": "return", "reason": "quality", "filed_at": t},
        {"record": "after_sale", "after_sale_id": "a2", "order_id": "ok", "kind": "return", "reason": "broken", "filed_at": t},
        {"record": "complaint", "complaint_id": "c1", "order_id": "ok", "kind": "fake_goods", "filed_at": _iso(T0)},
        {"record": "complaint", "complaint_id": "c2", "order_id": "ok", "kind": "fake_goods", "filed_at": t},
    ]
    _write(tmp_path / "bad.jsonl", lines)
    report = import_jsonl(ctx, tmp_path / "bad.jsonl")
    reasons = {p.line: p.reason for p in report.invalid}
    assert sorted(reasons) == [2, 3, 4, 5, 6, 7, 8]
    assert reasons[2].startswith("paid_at: before ordered_at") and reasons[3].startswith("product_id:") and "future" in reasons[4]
    assert reasons[5].startswith("status: must be one of") and reasons[6].startswith("order_id: unknown order 'nope'")
    assert reasons[7].startswith("reason: must be one of") and reasons[8].startswith("filed_at: before the order was placed")
    assert (report.orders, report.after_sales, report.complaints) == (1, 0, 1)
    with ctx.db.engine.connect() as c:
        assert c.execute(sa.text("SELECT order_id FROM orders")).scalars().all() == ["ok"]
        assert c.execute(sa.text("SELECT count(*) FROM after_sales")).scalar() == 0
        counted = dict(c.execute(sa.text("SELECT counter, sum(value) FROM experience_days GROUP BY counter")).all())
    assert counted == {"orders": 1, "dispatch_due": 1, "late_dispatches": 1, "complaints": 1, "negative_feedback": 1}
