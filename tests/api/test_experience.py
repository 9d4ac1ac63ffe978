"""After-sales, complaints and the experience page over the API (DY-QL-1..5), on SQLite and PostgreSQL:
inputs and their errors, the score against peers, poor-quality products, the forecast, roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from shopwarden.store.experience import AfterSaleRow, ComplaintRow, ExperienceMark
from tests.conftest import T0

H = timedelta(hours=1)
D = timedelta(days=1)
CUPS = {"title": "陶瓷马克杯 350ml", "description": "釉下彩陶瓷杯", "category": "home/cups", "skus": [{"sku_id": "k1", "price": 29.0}]}


def iso(t) -> str:
    return t.isoformat()


def setup(api, shop: str = "d1", product: str = "p1", category: str = "home/cups") -> None:
    api.call("PUT", f"/v1/shops/{shop}", json={"name": shop, "kind": "enterprise", "policy": "douyin"})
    r = api.call("PUT", f"/v1/products/{product}", json=CUPS | {"shop_id": shop, "category": category})
    assert r.status_code == 200, r.text


def order(api, order_id: str, at, shop="d1", product="p1", expect=201, **times):
    body = {"order_id": order_id, "shop_id": shop, "product_id": product, "buyer_id": f"b-{order_id}", "ordered_at": iso(at)}
    r = api.call("POST", "/v1/orders", json=body | {k: iso(v) for k, v in times.items()})
    assert r.status_code == expect, r.text
    return r.json()


def after_sale(api, after_sale_id: str, order_id: str, at, reason="quality", kind="return", expect=201):
    r = api.call("POST", "/v1/after-sales", json={"after_sale_id": after_sale_id, "order_id": order_id, "kind": kind, "reason": reason, "filed_at": iso(at)})
    assert r.status_code == expect, r.text
    return r.json()


def complaint(api, complaint_id: str, order_id: str, at, kind="fake_goods", expect=201):
    r = api.call("POST", "/v1/complaints", json={"complaint_id": complaint_id, "order_id": order_id, "kind": kind, "filed_at": iso(at)})
    assert r.status_code == expect, r.text
    return r.json()


def page(api, shop="d1", at=None, key=None) -> dict:
    r = api.call("GET", f"/v1/shops/{shop}/experience", key, params={"at": iso(at)} if at else None)
    assert r.status_code == 200, r.text
    return r.json()


def shop_orders(api, shop: str, n: int, start, product="p1", late_every: int = 0):
    for i in range(n):
        t = start + i * H
        ship = t + (60 * H if late_every and i % late_every == 0 else 2 * H)
        order(api, f"{shop}-o{i}", t, shop=shop, product=product, paid_at=t, shipped_at=ship)


def test_order_times_must_run_in_order(api):
    # rule DY-QL-1: orders carry paid, shipped and delivered times
    setup(api)
    api.ctx.clock.now = T0 + 10 * D
    for field, times in [("paid_at", {"paid_at": T0 - H}), ("shipped_at", {"paid_at": T0 + H, "shipped_at": T0}),
                         ("delivered_at", {"shipped_at": T0 + 5 * H, "delivered_at": T0 + 4 * H})]:
        r = api.call("POST", "/v1/orders", json={"order_id": "o1", "shop_id": "d1", "product_id": "p1", "buyer_id": "b1", "ordered_at": iso(T0)}
                     | {k: iso(v) for k, v in times.items()})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field, r.text
    assert api.call("GET", "/v1/shops/d1/experience").json()["orders"] == 0  # nothing stored
    first = order(api, "o1", T0, paid_at=T0 + H)
    assert first["paid_at"] is not None and first["shipped_at"] is None
    later = order(api, "o1", T0, expect=200, shipped_at=T0 + 3 * H)  # a missing time is filled in later
    assert later["paid_at"] == first["paid_at"] and later["shipped_at"] is not None
    moved = api.call("POST", "/v1/orders", json={"order_id": "o1", "shop_id": "d1", "product_id": "p1", "buyer_id": "b-o1",
                                                 "ordered_at": iso(T0), "paid_at": iso(T0 + 2 * H)})
    assert moved.status_code == 409 and "paid_at" in moved.json()["detail"]


@pytest.mark.parametrize("path, body, status, field", [
    ("/v1/after-sales", {"after_sale_id": "a9", "order_id": "nope", "kind": "return", "reason": "quality"}, 422, "order_id"),
    ("/v1/after-sales", {"after_sale_id": "a9", "order_id": "o1", "kind": "return", "reason": "broken"}, 422, "reason"),
    ("/v1/after-sales", {"after_sale_id": "a9", "order_id": "o1", "kind": "swap", "reason": "quality"}, 422, "kind"),
    ("/v1/after-sales", {"after_sale_id": "a9", "order_id": "o1", "kind": "return", "reason": "quality", "filed_at": "2025-12-31T00:00:00Z"}, 422, "filed_at"),
    ("/v1/complaints", {"complaint_id": "c9", "order_id": "nope", "kind": "fake_goods"}, 422, "order_id"),
    ("/v1/complaints", {"complaint_id": "c9", "order_id": "o1", "kind": "fake_goods", "filed_at": "2025-12-31T00:00:00Z"}, 422, "filed_at"),
    ("/v1/complaints", {"complaint_id": "c9", "order_id": "o1", "kind": ""}, 422, "kind"),
])
def test_bad_after_sales_and_complaints_are_refused_and_nothing_is_stored(api, path, body, status, field):
    setup(api)
    api.ctx.clock.now = T0 + D
    order(api, "o1", T0)
    r = api.call("POST", path, json=body)
    assert r.status_code == status, r.text
    assert any(field in e["field"] for e in r.json()["errors"]), r.text
    with api.ctx.db.read() as s:
        assert [s.scalar(select(func.count()).select_from(t)) for t in (AfterSaleRow, ComplaintRow)] == [0, 0]
        assert s.scalar(select(func.count()).select_from(ExperienceMark).where(ExperienceMark.counter != "orders")) == 0


def test_after_sales_and_complaints_are_idempotent_and_immutable(api):
    setup(api)
    api.ctx.clock.now = T0 + D
    order(api, "o1", T0)
    first = after_sale(api, "a1", "o1", T0 + H)
    assert first == after_sale(api, "a1", "o1", T0 + H, expect=200)
    other = api.call("POST", "/v1/after-sales", json={"after_sale_id": "a1", "order_id": "o1", "kind": "refund", "reason": "quality", "filed_at": iso(T0 + H)})
    assert other.status_code == 409 and "kind" in other.json()["detail"]
    assert complaint(api, "c1", "o1", T0 + 2 * H) == complaint(api, "c1", "o1", T0 + 2 * H, expect=200)
    assert api.call("POST", "/v1/complaints", json={"complaint_id": "c1", "order_id": "o1", "kind": "rude"}).status_code == 409
    quality = next(i for i in page(api)["indicators"] if i["id"] == "quality_return_rate")
    assert (quality["count"], quality["of"]) == (1, 1)  # counted once


def test_only_the_platform_files_and_a_seller_sees_its_own_page(api):
    setup(api)
    setup(api, "d2", "p2")
    seller = api.key("seller", "d1")
    api.ctx.clock.now = T0 + D
    order(api, "o1", T0)
    r = api.call("POST", "/v1/complaints", seller, json={"complaint_id": "c1", "order_id": "o1", "kind": "fake_goods"})
    assert r.status_code == 403
    assert page(api, "d1", key=seller)["shop_id"] == "d1"
    assert api.call("GET", "/v1/shops/d2/experience", seller).status_code == 403
    assert api.call("GET", "/v1/shops/nope/experience").status_code == 404
    api.shop("t1", policy="shopee")  # a pack without an experience section
    r = api.call("GET", "/v1/shops/t1/experience")
    assert r.status_code == 404 and "experience" in r.json()["detail"]


def test_the_score_stands_the_shop_among_its_industry(api):
    # rule DY-QL-2: indicators over the 90-day window, scored against shops of the same industry, 0–100
    for shop, product in (("good", "pg"), ("bad", "pb"), ("other", "po")):
        setup(api, shop, product, "food/snacks" if shop == "other" else "home/cups")
    api.ctx.clock.now = T0 + 10 * D
    shop_orders(api, "good", 40, T0, product="pg")
    shop_orders(api, "bad", 40, T0, product="pb", late_every=2)
    shop_orders(api, "other", 40, T0, product="po", late_every=1)  # another industry: no peer of theirs
    for i in range(8):
        after_sale(api, f"a{i}", f"bad-o{i}", T0 + 5 * D)
    at = T0 + 10 * D
    good, bad = page(api, "good", at), page(api, "bad", at)
    assert good["industry"] == bad["industry"] == "home" and good["window_days"] == 90 and good["orders"] == 40
    late = {p["shop_id"]: next(i for i in p["indicators"] if i["id"] == "late_dispatch_rate") for p in (good, bad)}
    assert late["bad"]["value"] == 0.5 and late["bad"]["count"] == 20 and late["bad"]["of"] == 40
    assert late["good"]["industry_mean"] == late["bad"]["industry_mean"] == 0.25  # the industry pooled, not food
    assert late["good"]["score"] == 100.0 and late["bad"]["score"] == 50.0  # itself and one better peer
    assert good["score"] == 100.0 and bad["score"] == 60.0  # (0.25 + 0.2 + 0.15) × 50 + 0.15 × 100, over the 0.75 with a value (no reviews)
    assert page(api, "good", T0 + 12 * H)["score"] is None  # rule DY-QL-2: 13 orders by then, under the minimum


def test_the_score_at_a_past_instant_ignores_what_came_later(api):
    # rule TIME-1: a window ending at `at` counts events e with at − 90 days < e <= at
    setup(api)
    api.ctx.clock.now = T0 + 100 * D
    shop_orders(api, "d1", 30, T0)
    complaint(api, "c1", "d1-o1", T0 + 2 * D + 7 * H)
    just_before = page(api, at=T0 + 2 * D + 7 * H - timedelta(microseconds=1))
    at_it = page(api, at=T0 + 2 * D + 7 * H)
    rate = lambda p: next(i for i in p["indicators"] if i["id"] == "complaint_rate")["count"]  # noqa: E731
    assert (rate(just_before), rate(at_it)) == (0, 1)
    assert rate(page(api, at=T0 + 92 * D + 7 * H - timedelta(microseconds=1))) == 1
    assert rate(page(api, at=T0 + 92 * D + 7 * H)) == 0  # 90 days later it has left


def test_a_product_with_much_negative_feedback_is_of_poor_quality(api):
    # rule DY-QL-3: the negative-feedback rate's Wilson bound above the factor × the industry mean
    setup(api, "d1", "p1")
    r = api.call("PUT", "/v1/products/p2", json=CUPS | {"shop_id": "d1"})
    assert r.status_code == 200
    setup(api, "d2", "p3")
    api.ctx.clock.now = T0 + 20 * D
    shop_orders(api, "d2", 400, T0, product="p3")
    for i in range(60):
        order(api, f"x{i}", T0 + i * H, product="p1")
        order(api, f"y{i}", T0 + i * H, product="p2")
    for i in range(30):
        complaint(api, f"c{i}", f"x{i}", T0 + 5 * D)
    complaint(api, "cy", "y1", T0 + 5 * D)
    products = {p["product_id"]: p for p in page(api, "d1", T0 + 10 * D)["products"]}
    bad, fine = products["p1"], products["p2"]
    assert (bad["negative_feedback_rate"], bad["orders"], bad["industry_mean"]) == (0.5, 60, pytest.approx(31 / 360, abs=1e-4))  # d2's first 240 orders are in the peers' days
    assert bad["lower_bound"] > 2 * bad["industry_mean"] and bad["poor_quality"] and bad["rule"] == "DY-QL-3"
    assert not fine["poor_quality"] and list(products)[0] == "p1"


def test_the_forecast_says_when_bad_orders_leave_and_the_score_then(api):
    # rule DY-QL-5: the day each bad order leaves the window, and the score if nothing changes
    setup(api, "d1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 100 * D
    shop_orders(api, "d2", 40, T0 + 50 * D, product="p2")
    shop_orders(api, "d1", 40, T0 + 50 * D)
    for i in range(40):
        order(api, f"late-{i}", T0 + 58 * D + i * H)
    complaint(api, "c1", "d1-o1", T0 + 52 * D + 3 * H)
    complaint(api, "c2", "d1-o2", T0 + 53 * D + 3 * H)
    at = T0 + 60 * D
    doc = page(api, "d1", at)
    points = doc["forecast"]
    assert [p["at"] for p in points] == ["2026-05-24T00:00:00Z", "2026-05-25T00:00:00Z"]  # the days after + 90 days
    assert [p["leaving"] for p in points] == [{"complaints": 1}, {"complaints": 1}]
    assert points[0]["why"] == "1 complaints recorded before 2026-02-23 leave the window"
    trend = doc["trend"]
    assert [t["at"] for t in trend][-1] == "2026-03-02T00:00:00Z" and len(trend) == 7
    assert trend[-1]["score"] == page(api, "d1", T0 + 60 * D)["score"]  # `at` is midnight: the last trend point is the page's own
    assert doc["score"] < 100.0 and points[-1]["score"] == 100.0  # the later orders keep a score


def test_a_review_hidden_under_rv_6_leaves_the_counts(api):
    # rule DY-QL-1: negative reviews ÷ reviews, without a review found malicious (RV-6)
    setup(api)
    seller = api.key("seller", "d1")
    api.ctx.clock.now = T0 + 2 * D
    order(api, "o1", T0)
    order(api, "o2", T0 + H)
    for review_id, order_id, rating in (("r1", "o1", 1), ("r2", "o2", 5)):
        r = api.call("POST", "/v1/reviews", json={"review_id": review_id, "order_id": order_id, "rating": rating, "text": "", "posted_at": iso(T0 + D)})
        assert r.status_code == 201, r.text
    negative = lambda: next(i for i in page(api)["indicators"] if i["id"] == "negative_review_rate")  # noqa: E731
    feedback = lambda: page(api)["products"][0]["negative_feedback"]  # noqa: E731
    assert ((negative()["count"], negative()["of"]), feedback()) == ((1, 2), 1)
    filed = api.call("POST", "/v1/reviews/r1/reports", seller, json={"kind": "coercive", "reason": "买家要求返现才删差评",
                                                                       "evidence": [{"kind": "chat", "value": "给我返现50就删评"}]})
    assert filed.status_code == 201, filed.text
    decided = api.call("POST", f"/v1/review-reports/{filed.json()['report_id']}/decision", api.operator, json={"outcome": "granted", "reason": "聊天记录属实"})
    assert decided.status_code == 200, decided.text
    assert ((negative()["count"], negative()["of"]), feedback()) == ((0, 1), 0)
