"""Orders and reviews over the API: ingest, idempotency, errors, visibility, rating aggregates,
seller confinement, the signals' plumbing, and DY-LQ-1 (low-positive-rate products banned)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shopwarden.core.detect.base import Evidence, Explanation, Finding
from shopwarden.core.reviews import signals
from shopwarden.core.reviews.positive_rate import wilson_lower_bound
from shopwarden.store import reviews as store_reviews
from shopwarden.store.violations import Violation

BEDDING = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "description": "100%新疆长绒棉", "category": "家纺/床上用品",
           "skus": [{"sku_id": "k1", "price": 199.0}]}


def setup_shop(api, shop: str = "d1", policy: str = "douyin", product: str = "p1") -> dict:
    api.call("PUT", f"/v1/shops/{shop}", json={"name": f"店铺{shop}", "kind": "enterprise", "policy": policy})
    r = api.call("PUT", f"/v1/products/{product}", json=BEDDING | {"shop_id": shop})
    assert r.status_code == 200, r.text
    return api.key("seller", shop)


def order(api, order_id: str, shop: str = "d1", product: str = "p1", buyer: str = "b1", expect: int = 201, **extra) -> dict:
    r = api.call("POST", "/v1/orders", json={"order_id": order_id, "shop_id": shop, "product_id": product, "buyer_id": buyer} | extra)
    assert r.status_code == expect, r.text
    return r.json()


def review(api, review_id: str, order_id: str, rating: int, text: str = "", expect: int = 201, key=None, **extra) -> dict:
    r = api.call("POST", "/v1/reviews", key, json={"review_id": review_id, "order_id": order_id, "rating": rating, "text": text} | extra)
    assert r.status_code == expect, r.text
    return r.json()


def test_orders_and_reviews_are_idempotent_and_immutable(api):
    setup_shop(api)
    first = order(api, "o1", device="dev-aa11bb22")
    assert first["status"] == "paid" and first["identity"]["device"] == "dev-aa11bb22" and first["ban"] is None
    assert order(api, "o1", expect=200, device="dev-aa11bb22")["order_id"] == "o1"
    assert order(api, "o1", expect=200, device="dev-aa11bb22", status="completed")["status"] == "completed"  # only the status moves
    changed = api.call("POST", "/v1/orders", json={"order_id": "o1", "shop_id": "d1", "product_id": "p1", "buyer_id": "b2"})
    assert changed.status_code == 409 and "buyer_id" in changed.json()["detail"]

    posted = review(api, "r1", "o1", 2, "洗了一次就起球，质量一般")
    assert (posted["rating"], posted["visibility"], posted["buyer_id"], posted["ban"]) == (2, "public", "b1", None)
    again = review(api, "r1", "o1", 2, "洗了一次就起球，质量一般", expect=200)
    assert again["posted_at"] == posted["posted_at"]
    assert api.call("POST", "/v1/reviews", json={"review_id": "r1", "order_id": "o1", "rating": 3, "text": "洗了一次就起球，质量一般"}).status_code == 409
    second = api.call("POST", "/v1/reviews", json={"review_id": "r2", "order_id": "o1", "rating": 5, "text": "好"})
    assert second.status_code == 409 and "one review per order" in second.json()["detail"]


@pytest.mark.parametrize("body, status, field", [
    ({"review_id": "r9", "order_id": "nope", "rating": 5}, 422, "order_id"),
    ({"review_id": "r9", "order_id": "o1", "rating": 6}, 422, "rating"),
    ({"review_id": "r9", "order_id": "o1", "rating": 0}, 422, "rating"),
    ({"review_id": "r9", "order_id": "o1", "rating": 5, "posted_at": "2025-01-01T00:00:00Z"}, 422, "posted_at"),
    ({"review_id": "r9", "order_id": "o1", "rating": 5, "posted_at": "2026-01-01T00:00:00"}, 422, "posted_at"),
    ({"review_id": "r9", "order_id": "o1", "rating": 5, "images": ["unknown-image"]}, 422, "images[0]"),
    ({"review_id": "r 9", "order_id": "o1", "rating": 5}, 422, "review_id"),
    ({"review_id": "r9", "order_id": "o1", "rating": 5, "extra": 1}, 422, "extra"),
    ({"review_id": "r9", "order_id": "ocx", "rating": 5}, 422, "order_id"),
])
def test_bad_reviews_are_refused_naming_the_field_and_nothing_is_stored(api, body, status, field):
    setup_shop(api)
    order(api, "o1", ordered_at="2025-12-20T00:00:00Z")
    order(api, "ocx", status="cancelled")
    r = api.call("POST", "/v1/reviews", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert api.call("GET", "/v1/reviews/r9").status_code == 404


def test_bad_orders_are_refused_naming_the_field(api):
    setup_shop(api)
    api.call("PUT", "/v1/shops/d2", json={"name": "d2", "kind": "enterprise", "policy": "douyin"})
    for body, field in [({"shop_id": "zz"}, "shop_id"), ({"shop_id": "d2"}, "product_id"), ({"product_id": "nope"}, "product_id"),
                        ({"status": "lost"}, "status"), ({"device": "x" * 200}, "device"), ({"ordered_at": "2099-01-01T00:00:00Z"}, "ordered_at")]:
        r = api.call("POST", "/v1/orders", json={"order_id": "o1", "shop_id": "d1", "product_id": "p1", "buyer_id": "b1"} | body)
        assert r.status_code == 422 and field in [e["field"] for e in r.json()["errors"]], (body, r.text)
    assert order(api, "o1")["order_id"] == "o1"  # nothing was half-written by the refusals


def test_a_review_over_the_packs_text_limit_is_413(api):
    setup_shop(api)
    order(api, "o1")
    limit = api.ctx.packs["douyin"].scan_limits.max_text_chars
    assert review(api, "r1", "o1", 5, "好" * (limit + 1), expect=413)["status"] == 413


def test_roles_and_seller_confinement(api):
    seller = setup_shop(api)
    other = setup_shop(api, "d2", product="p2")
    order(api, "o1")
    review(api, "r1", "o1", 4, "不错")
    assert api.call("POST", "/v1/orders", seller, json={"order_id": "o2", "shop_id": "d1", "product_id": "p1", "buyer_id": "b1"}).status_code == 403
    assert api.call("POST", "/v1/reviews", seller, json={"review_id": "r2", "order_id": "o1", "rating": 5}).status_code == 403
    own = api.call("GET", "/v1/reviews/r1", seller).json()
    assert own["text"] == "不错" and "signals" not in own  # the signals are the operator's
    assert "signals" in api.call("GET", "/v1/reviews/r1", api.operator).json()
    for url in ("/v1/reviews/r1", "/v1/reviews/r1?view=public", "/v1/products/p1/rating", "/v1/products/p1/reviews"):
        assert api.call("GET", url, other).status_code == 403, url
    assert api.call("PUT", "/v1/shops/d1/identity", seller, json={"device": ["x"]}).status_code == 403
    assert api.call("GET", "/v1/reviews/nope").status_code == 404


def test_the_public_view_omits_buyer_order_and_signals(api):
    setup_shop(api)
    order(api, "o1")
    review(api, "r1", "o1", 5, "很好用")
    public = api.call("GET", "/v1/reviews/r1?view=public").json()
    assert set(public) == {"review_id", "product_id", "rating", "text", "images", "posted_at"}
    listed = api.call("GET", "/v1/products/p1/reviews").json()["reviews"]
    assert listed == [public]


def test_rating_aggregates_count_visible_reviews_with_the_wilson_bound(api, clock):
    setup_shop(api)
    ratings = [5, 5, 4, 3, 1, 5, 2]
    for i, rating in enumerate(ratings):
        order(api, f"o{i}", buyer=f"b{i}")
        review(api, f"r{i}", f"o{i}", rating, f"第{i}条评价")
    r = api.call("GET", "/v1/products/p1/rating").json()
    positives = sum(x >= 4 for x in ratings)
    assert (r["reviews"], r["positives"], r["hidden"], r["sales"]) == (7, positives, 0, 7)
    assert r["average"] == pytest.approx(sum(ratings) / 7, abs=1e-4)
    assert r["histogram"] == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 3}
    assert r["wilson_lower_bound"] == pytest.approx(wilson_lower_bound(positives, 7, 1.96), abs=1e-4)
    assert (r["threshold"], r["outcome"], r["low"], r["rule"]) == (0.7, "too_few_sales", False, "DY-LQ-1")
    before = api.call("GET", "/v1/products/p1/rating?at=2025-12-31T00:00:00Z").json()
    assert before["reviews"] == 0 and before["average"] is None


def test_a_pack_without_dy_lq_1_reports_the_rating_without_a_threshold(api):
    setup_shop(api, "t1", policy="tiktok-shop", product="tp1")
    order(api, "o1", shop="t1", product="tp1")
    review(api, "r1", "o1", 1, "差")
    r = api.call("GET", "/v1/products/tp1/rating").json()
    assert (r["reviews"], r["threshold"], r["outcome"], r["low"]) == (1, None, None, False)


def test_the_identity_endpoint_replaces_a_shops_attributes(api):
    setup_shop(api)
    r = api.call("PUT", "/v1/shops/d1/identity", json={"device": ["dev-1", "dev-2"], "address_hash": ["addr-9"]})
    assert r.status_code == 200 and r.json()["identity"] == {"device": ["dev-1", "dev-2"], "payment_account": [], "address_hash": ["addr-9"], "identity": []}
    r = api.call("PUT", "/v1/shops/d1/identity", json={"device": ["dev-2"]})
    assert r.json()["identity"]["device"] == ["dev-2"] and r.json()["identity"]["address_hash"] == []
    assert api.call("PUT", "/v1/shops/zz/identity", json={}).status_code == 404
    bad = api.call("PUT", "/v1/shops/d1/identity", json={"phone": ["1"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"


def test_signals_see_the_history_and_are_stored_with_the_review(api, monkeypatch):
    """The service hands review_signals the buyer's earlier reviews on the shop, the buyer's chat
    (POST /v1/messages with buyer_id), shops sharing an identity attribute with the buyer (RV-K-3)
    and near-copies of the text; what it returns is stored and shown to the operator."""
    seen = {}

    def fake(review, history, context, encode=None, calibration=None):
        seen[review.review_id] = history
        if "返现" not in review.text:
            return []
        return [Finding("RV-K-2", "coercive_review", "general", 0.9, Explanation("asks for cash back", "要求返现"),
                        (Evidence("text", 0, len(review.text), review.text),))]

    monkeypatch.setattr(signals, "review_signals", fake)
    setup_shop(api)
    api.call("PUT", "/v1/shops/rival", json={"name": "rival", "kind": "enterprise", "policy": "douyin"})
    api.call("PUT", "/v1/products/rp", json=BEDDING | {"shop_id": "rival", "title": "全棉床品四件套"})
    api.call("PUT", "/v1/shops/rival/identity", json={"payment_account": ["pay-778899"]})
    order(api, "o1")
    order(api, "o2", payment_account="pay-778899")
    review(api, "r1", "o1", 1, "太差了")
    msg = api.call("POST", "/v1/messages", json={"shop_id": "d1", "sender": "buyer", "buyer_id": "b1", "text": "给我返现就删差评"})
    assert msg.status_code == 201, msg.text
    out = review(api, "r2", "o2", 1, "太差了 不给返现就不改")
    history = seen["r2"]
    assert [r.review_id for r in history.buyer_reviews] == ["r1"]
    assert [c.text for c in history.chat] == ["给我返现就删差评"] and history.chat[0].from_buyer
    assert [(link.shop_id, link.via, link.categories) for link in history.linked_shops] == [("rival", "payment_account", ("家纺/床上用品",))]
    assert "778899" not in history.linked_shops[0].hint  # masked
    assert history.product.title == BEDDING["title"] and history.product.category == "家纺/床上用品"
    assert out["signals"][0]["rule"] == "RV-K-2" and out["signals"][0]["explanation"] == {"en": "asks for cash back", "zh": "要求返现"}
    stored = api.call("GET", "/v1/reviews/r2", api.operator).json()
    assert stored["signals"] == out["signals"]
    review(api, "r3", order(api, "o3", buyer="b3")["order_id"], 5, "太差了")
    assert "r1" in seen["r3"].near_duplicates  # the same text posted before


def bulk_orders(api, numbers) -> None:
    now = api.ctx.clock()
    with api.ctx.db.transaction() as s:
        for i in numbers:
            store_reviews.add_order(s, {"order_id": f"o{i}", "shop_id": "d1", "product_id": "p1", "buyer_id": f"b{i}", "status": "paid",
                                        "ordered_at": now, "created_at": now, "updated_at": now, "created_by": "test"})


def _many(api, n: int, ratings, start: int = 0) -> list[dict]:
    outs = []
    for i in range(n):
        outs.append(review(api, f"r{start + i}", f"o{start + i}", ratings[i % len(ratings)], f"评价 {start + i}"))
    return outs


def test_three_negative_reviews_do_not_ban_a_product(api):
    # rule DY-LQ-1: a handful of reviews never bans a product
    setup_shop(api)
    for i in range(3):
        order(api, f"o{i}", buyer=f"b{i}")
    outs = _many(api, 3, [1])
    assert all(o["ban"] is None for o in outs)
    r = api.call("GET", "/v1/products/p1/rating").json()
    assert (r["reviews"], r["positive_rate"], r["outcome"], r["low"], r["status"]) == (3, 0.0, "too_few_sales", False, "published")


def test_500_sales_at_a_60_percent_positive_rate_ban_the_product_with_the_figures(api):
    # rule DY-LQ-1, DY-LQ-6 (the pack's minor tier: taken down, no points), DY-LQ-2 (registered)
    setup_shop(api)
    for i in range(100):
        order(api, f"o{i}", buyer=f"b{i}")
    bulk_orders(api, range(100, 500))  # the other 400 sales, stored in one go
    outs = _many(api, 100, [5, 4, 1, 5, 2])  # 3 of every 5 positive
    banned = [o for o in outs if o["ban"]]
    assert len(banned) == 1 and outs.index(banned[0]) == 29  # judged once the pack's 30 reviews are in, banned at once
    ban = banned[0]["ban"]
    figures = ban["figures"]
    assert (figures["sales"], figures["reviews"], figures["positives"], figures["positive_rate"], figures["low"]) == (500, 30, 18, 0.6, True)
    assert figures["wilson_lower_bound"] == pytest.approx(wilson_lower_bound(18, 30, 1.96), abs=1e-4) and figures["threshold"] == 0.7
    assert (ban["reason"], ban["rule"], ban["status"], ban["violation"]["points"]) == ("low_positive_rate", "DY-LQ-1", "banned", 0)
    statement = ban["statement"]
    for figure in ("500", "18", "60.0%", f"{figures['wilson_lower_bound']:.3f}", "0.70", "家纺/床上用品", "DY-LQ-1", "douyin v2026.02", "销量 500"):
        assert figure in statement, figure
    assert api.call("GET", "/v1/products/p1").json()["status"] == "banned"
    assert api.call("GET", "/v1/products/p1/matches").json()["banned"][0]["reason"] == "low_positive_rate"
    with api.ctx.db.read() as s:
        assert [(v.type, v.severity) for v in s.scalars(select(Violation).where(Violation.shop_id == "d1"))] == [("low_positive_rate_product", "minor")]
    rating = api.call("GET", "/v1/products/p1/rating").json()
    assert (rating["reviews"], rating["positive_rate"], rating["low"]) == (100, 0.6, True)


def test_sales_arriving_after_the_reviews_also_trigger_the_judgement(api, clock):
    # rule DY-LQ-1: an order can be what crosses the minimum sales
    setup_shop(api)
    for i in range(40):
        order(api, f"o{i}", buyer=f"b{i}")
    _many(api, 40, [1, 2, 5])
    assert api.call("GET", "/v1/products/p1/rating").json()["outcome"] == "too_few_sales"
    clock.now += timedelta(hours=1)
    outs = [order(api, f"x{i}", buyer=f"c{i}") for i in range(60)]
    assert [i for i, o in enumerate(outs) if o["ban"]] == [59]  # the 100th sale
    assert api.call("GET", "/v1/products/p1").json()["status"] == "banned"
