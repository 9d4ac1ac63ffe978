"""Banned products and the same-product registry over the API (DY-LQ-2..6): the ban and its
sweep, the listing gate, the matches endpoint, disputes and roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shopwarden.store.violations import Violation

BEDDING = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "description": "100%新疆长绒棉，活性印染，不起球不掉色，四件套含被套床单枕套两个。",
           "brand": "棉之家", "category": "家纺/床上用品", "attributes": {"材质": "纯棉", "尺寸": "1.8m", "件数": "4件"},
           "skus": [{"sku_id": "k1", "price": 199.0}]}
TRANSLATED = BEDDING | {"title": "cotton bedding set 4 pieces 1.8m duvet cover sheet pillowcase", "description": ""}
OTHER = BEDDING | {"title": "珊瑚绒毛毯 加厚 冬季 午睡毯", "description": "", "attributes": {"材质": "珊瑚绒", "尺寸": "1.5m"}}


@pytest.fixture
def shops(api):
    for shop in ("d1", "d2"):
        api.call("PUT", f"/v1/shops/{shop}", json={"name": f"店铺{shop}", "kind": "enterprise", "policy": "douyin"})
    return {"d1": api.key("seller", "d1"), "d2": api.key("seller", "d2")}


def put(api, product_id: str, shop: str, listing: dict, key=None) -> dict:
    r = api.call("PUT", f"/v1/products/{product_id}", key, json=listing | {"shop_id": shop})
    assert r.status_code == 200, r.text
    return r.json()


def ban(api, product_id: str = "p1", severity: str = "general", key=None):
    return api.call("POST", f"/v1/products/{product_id}/ban", key if key is not None else api.operator,
                    json={"reason": "low_positive_rate", "severity": severity, "statement": "好评率 41%（Wilson 下界 0.33），销量 812"})


def points_of(api, shop: str) -> list[tuple[str, int, str]]:
    with api.ctx.db.read() as s:
        return [(v.type, v.points, v.point_class) for v in s.scalars(select(Violation).where(Violation.shop_id == shop))]


def test_a_general_ban_takes_down_issues_a4_and_sweeps_the_catalogue(api, shops):
    assert put(api, "p1", "d1", BEDDING)["status"] == "published"
    put(api, "p2", "d1", BEDDING | {"title": "【新款】纯棉 床上用品四件套 枕套 被套 床单 1.8m"})
    put(api, "p3", "d2", TRANSLATED)
    put(api, "p4", "d2", OTHER)
    r = ban(api)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "banned" and out["violation"] | {"id": None} == {"id": None, "type": "low_positive_rate_product", "severity": "general", "points": 4, "point_class": "A"}
    swept = {s["product_id"]: s for s in out["swept"]}
    assert {p: (s["action"], s["rule"], s["points"]) for p, s in swept.items()} == {"p2": ("banned", "DY-LQ-3", 0), "p3": ("taken_down", "DY-LQ-4", 0)}
    assert "title" in swept["p3"]["match"]["matched"] and swept["p3"]["match"]["attributes"]["agree"]
    status = {p: api.call("GET", f"/v1/products/{p}").json()["status"] for p in ("p1", "p2", "p3", "p4")}
    assert status == {"p1": "banned", "p2": "banned", "p3": "taken_down", "p4": "published"}
    assert points_of(api, "d1") == [("low_positive_rate_product", 4, "A")] and points_of(api, "d2") == []
    assert ban(api).status_code == 409


def test_a_minor_ban_carries_no_points(api, shops):
    put(api, "p1", "d1", BEDDING)
    assert ban(api, severity="minor").json()["violation"]["points"] == 0


def test_the_gate_rejects_the_same_shop_intercepts_another_and_passes_other_products(api, shops):
    put(api, "p1", "d1", BEDDING)
    ban(api)
    same = put(api, "p5", "d1", BEDDING, shops["d1"])
    assert same["status"] == "rejected" and [f["rule"] for f in same["findings"] if f["detector"] == "same_product"] == ["DY-LQ-3"]
    other = put(api, "p6", "d2", TRANSLATED, shops["d2"])
    finding = next(f for f in other["findings"] if f["detector"] == "same_product")
    assert other["status"] == "rejected" and finding["rule"] == "DY-LQ-4" and finding["match"]["banned_product_id"] == "p1"
    assert other["violations"] == [] and points_of(api, "d2") == []
    assert put(api, "p7", "d1", OTHER, shops["d1"])["status"] == "published"
    assert put(api, "p1", "d1", BEDDING, shops["d1"])["findings"][-1]["rule"] == "DY-LQ-2"  # the banned listing itself


def test_matches_explain_and_a_dispute_opens_a_case(api, shops):
    put(api, "p1", "d1", BEDDING)
    ban(api)
    put(api, "p6", "d2", TRANSLATED, shops["d2"])
    r = api.call("GET", "/v1/products/p6/matches", shops["d2"])
    assert r.status_code == 200, r.text
    m = r.json()
    [match] = m["matches"]
    assert match["banned_product_id"] == "p1" and match["rule"] == "DY-LQ-4" and match["banned_shop_id"] is None
    assert match["same"] and match["score"] >= match["threshold"] and match["title"]["cosine"] > 0.75
    assert set(match["attributes"]["agree"]) >= {"brand", "size"} and m["actions"][0]["action"] == "intercepted"
    assert api.call("GET", "/v1/products/p7/matches", shops["d2"]).status_code == 404

    dispute = {"banned_product_id": "p1", "reason": "不同产地不同面料", "evidence": [{"kind": "text", "value": "质检报告 2026-001"}]}
    assert api.call("POST", "/v1/products/p6/match-disputes", shops["d1"], json=dispute).status_code == 403
    r = api.call("POST", "/v1/products/p6/match-disputes", shops["d2"], json=dispute)
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["subject"]["kind"] == "match_dispute" and case["rule"] == "DY-LQ-4" and case["status"] == "open"
    assert case["finding"]["match"]["banned_product_id"] == "p1" and case["finding"]["reason"] == "不同产地不同面料"
    assert api.call("POST", "/v1/products/p6/match-disputes", shops["d2"], json=dispute).status_code == 409
    queue = api.call("GET", "/v1/cases?status=open", api.operator).json()
    assert [c["id"] for c in queue if c["subject"]["kind"] == "match_dispute"] == [case["id"]]
    disputes = api.call("GET", "/v1/cases?status=open&subject_kind=match_dispute", api.operator).json()
    assert [c["id"] for c in disputes] == [case["id"]]
    assert case["id"] not in [c["id"] for c in api.call("GET", "/v1/cases?subject_kind=listing", api.operator).json()]
    assert api.call("GET", "/v1/cases?subject_kind=dispute", api.operator).status_code == 422
    decided = api.call("POST", f"/v1/cases/{case['id']}/decision", api.operator, json={"outcome": "dismiss", "reason": "同款：标题、品牌、尺寸一致"})
    assert decided.status_code == 200 and decided.json()["outcome"] == "dismiss"
    assert api.call("GET", "/v1/products/p6").json()["status"] == "rejected"  # the match stands


def test_roles(api, shops):
    put(api, "p1", "d1", BEDDING)
    put(api, "p4", "d2", OTHER)
    assert ban(api, key=shops["d1"]).status_code == 403
    assert ban(api, key=api.platform).status_code == 201
    unmatched = api.call("POST", "/v1/products/p4/match-disputes", shops["d2"], json={"banned_product_id": "p1", "reason": "x"})
    assert unmatched.status_code == 422
    assert api.call("GET", "/v1/products/p1/matches", shops["d2"]).status_code == 403


def dispute_case(api, product_id: str, key, banned: str = "p1") -> dict:
    r = api.call("POST", f"/v1/products/{product_id}/match-disputes", key, json={"banned_product_id": banned, "reason": "产地、面料不同", "evidence": [{"kind": "text", "value": "质检报告"}]})
    assert r.status_code == 201, r.text
    return r.json()


def decide(api, case_id: str, outcome: str):
    return api.call("POST", f"/v1/cases/{case_id}/decision", api.operator, json={"outcome": outcome, "reason": "面料与产地不同，非同款"})


def test_an_upheld_dispute_restores_an_intercepted_listing_and_it_is_not_caught_again(api, shops):
    """DY-LQ-4: the operator judges the intercepted listing a different product; it is published again,
    the match no longer shows, and re-submitting the same listing passes the gate."""
    put(api, "p1", "d1", BEDDING)
    ban(api)
    assert put(api, "p6", "d2", TRANSLATED, shops["d2"])["status"] == "rejected"
    case = dispute_case(api, "p6", shops["d2"])
    assert decide(api, case["id"], "violation").status_code == 422  # a dispute is upheld or dismissed, never a violation
    r = decide(api, case["id"], "upheld")
    assert r.status_code == 200, r.text and r.json()["outcome"] == "upheld"
    product = api.call("GET", "/v1/products/p6", shops["d2"]).json()
    assert product["status"] == "published" and product["findings"][-1]["detector"] == "match_dispute"
    assert "面料与产地不同" in product["findings"][-1]["explanation"]
    assert api.call("GET", "/v1/products/p6/matches", shops["d2"]).json()["matches"] == []
    assert put(api, "p6", "d2", TRANSLATED, shops["d2"])["status"] == "published"
    assert decide(api, case["id"], "upheld").status_code == 409


def test_an_upheld_dispute_of_a_sweep_restores_the_listing_and_lifts_the_derived_ban(api, shops):
    """DY-LQ-3: the sweep banned a same-shop listing (and registered it as banned); upheld, the
    listing goes back to its status before the sweep, and its derived ban stops catching others."""
    put(api, "p1", "d1", BEDDING)
    put(api, "p2", "d1", BEDDING | {"title": "【新款】纯棉 床上用品四件套 枕套 被套 床单 1.8m"})
    ban(api)
    assert api.call("GET", "/v1/products/p2").json()["status"] == "banned"
    case = dispute_case(api, "p2", shops["d1"])
    assert case["rule"] == "DY-LQ-3"
    assert decide(api, case["id"], "upheld").status_code == 200
    assert api.call("GET", "/v1/products/p2").json()["status"] == "published"
    matches = api.call("GET", "/v1/products/p2/matches", shops["d1"]).json()
    assert matches["matches"] == [] and {"banned", "exempted", "ban_lifted"} <= {a["action"] for a in matches["actions"]}
    put(api, "p8", "d1", BEDDING | {"title": "【新款】纯棉 床上用品四件套 枕套 被套 床单 1.8m"})  # p2's twin: still p1's product
    assert {f["match"]["banned_product_id"] for f in api.call("GET", "/v1/products/p8").json()["findings"] if f["detector"] == "same_product"} == {"p1"}


def test_a_dismissed_dispute_keeps_the_match_and_upheld_is_only_for_disputes(api, shops):
    put(api, "p1", "d1", BEDDING)
    ban(api)
    put(api, "p6", "d2", TRANSLATED, shops["d2"])
    case = dispute_case(api, "p6", shops["d2"])
    assert decide(api, case["id"], "dismiss").status_code == 200
    assert api.call("GET", "/v1/products/p6").json()["status"] == "rejected"
    assert api.call("GET", "/v1/products/p6/matches", shops["d2"]).json()["matches"] != []
