"""The experience machinery as a second pack (DY-QL-2's generalisation): TikTok Shop's Shop Performance
Score in the tiktok-shop pack, scored 0–5 among the shops of one category, with its own after-sales
reasons, and no determinations (its pack has no measures ladder)."""

from __future__ import annotations

from tests.api.test_experience import CUPS, D, H, after_sale, iso, order, page
from tests.conftest import T0


def _shop(api, shop: str, policy: str = "tiktok-shop") -> None:
    assert api.call("PUT", f"/v1/shops/{shop}", json={"name": shop, "kind": "enterprise", "policy": policy}).status_code in (200, 201)
    assert api.call("PUT", f"/v1/products/{shop}-p", json=CUPS | {"shop_id": shop}).status_code == 200


def _orders(api, shop: str, n: int, late_every: int = 0) -> None:
    for i in range(n):
        t = T0 + i * H
        ship = t + (80 * H if late_every and i % late_every == 0 else 2 * H)  # late past TikTok's 72 hours (the pack's Decision)
        order(api, f"{shop}-o{i}", t, shop=shop, product=f"{shop}-p", paid_at=t, shipped_at=ship)


def _market(api) -> None:
    for shop in ("tgood", "tbad"):
        _shop(api, shop)
    api.ctx.clock.now = T0 + 10 * D
    _orders(api, "tgood", 40)
    _orders(api, "tbad", 40, late_every=2)
    for i in range(8):
        after_sale(api, f"ta{i}", f"tbad-o{i}", T0 + 5 * D, reason="damaged")  # not the buyer's fault: counts for SPS


def test_the_shop_performance_score_is_the_same_machinery_on_its_own_scale(api):
    # rule DY-QL-2: indicators, weights, scale and peers are pack values; the tiktok-shop pack scores SPS 0–5
    _market(api)
    at = T0 + 10 * D
    good, bad = page(api, "tgood", at), page(api, "tbad", at)
    assert bad["policy"] == "tiktok-shop" and bad["name"] == {"en": "Shop Performance Score", "zh": "店铺表现分"}
    assert (bad["scale_min"], bad["scale"], bad["window_days"], bad["min_orders"]) == (0, 5, 90, 30)
    assert [i["id"] for i in bad["indicators"]] == ["negative_review_rate", "quality_return_rate", "late_dispatch_rate", "complaint_rate"]
    ind = {i["id"]: i for i in bad["indicators"]}
    assert (ind["quality_return_rate"]["count"], ind["quality_return_rate"]["of"], ind["quality_return_rate"]["score"]) == (8, 40, 2.5)
    assert (ind["late_dispatch_rate"]["value"], ind["late_dispatch_rate"]["industry_mean"], ind["late_dispatch_rate"]["score"]) == (0.5, 0.25, 2.5)
    assert ind["negative_review_rate"]["score"] is None  # no reviews: no value, the other weights renormalised
    # (1/6 × 2.5 + 1/3 × 2.5 + 1/3 × 5) ÷ 5/6: three dimensions of equal weight (the pack's Decision)
    assert (good["score"], bad["score"]) == (5.0, 3.5)
    assert page(api, "tgood", T0 + 12 * H)["score"] is None  # 13 orders: under TikTok's 30, no score, never a low one


def test_the_second_pack_records_no_determinations(api):
    # rule DY-QL-2: a pack without a measures ladder scores shops but records no DY-QL-3/4 determinations
    _market(api)
    r = api.call("POST", "/v1/shops/tbad/experience/determinations", json={"at": iso(T0 + 10 * D)})
    assert r.status_code == 200 and r.json() == []
    assert page(api, "tbad", T0 + 10 * D)["determinations"] == []


def test_the_douyin_pack_keeps_its_own_quality_reasons(api):
    # rule DY-QL-1: a damaged parcel is an after-sale but not a quality return (品退) under the douyin pack
    _shop(api, "dy", "douyin")
    api.ctx.clock.now = T0 + 2 * D
    order(api, "dy-o1", T0, shop="dy", product="dy-p")
    after_sale(api, "dya", "dy-o1", T0 + D, reason="damaged")
    ind = {i["id"]: i for i in page(api, "dy")["indicators"]}
    assert (ind["quality_return_rate"]["count"], ind["after_sales_rate"]["count"]) == (0, 1)
    assert page(api, "dy")["name"] == {"en": "Experience score", "zh": "体验分"}


def test_a_pack_without_an_experience_section_has_no_page(api):
    api.shop("sp1", policy="shopee")
    r = api.call("GET", "/v1/shops/sp1/experience")
    assert r.status_code == 404 and "experience" in r.json()["detail"]


def test_the_second_pack_shows_its_source_notes(api):
    # rule DY-QL-2: every number of the score carries a source note saying whether TikTok publishes it or it is our Decision
    exp = api.call("GET", "/v1/policies/tiktok-shop").json()["experience"]
    assert (exp["scale"], exp["window_days"], exp["min_orders"], exp["measures"]) == (5, 90, 30, None)
    notes = [exp[k] for k in ("name_source", "window_source", "min_orders_source", "negative_source", "dispatch_source", "scale_source",
                              "quality_reasons_source")] + [g["source"] for g in exp["groups"]] + [exp["poor_quality_product"]["source"]]
    assert all("TikTok publishes" in n or "Decision" in n for n in notes)
    assert "Decision" in exp["dispatch_source"] and "TikTok publishes" in exp["min_orders_source"]
