"""Statements of reasons over the API (DSA Art. 17): each measure point states its measure, in the
transaction that applies it; GET /v1/statements by role; the export in valid batches."""

from __future__ import annotations

from test_bans import BEDDING, TRANSLATED, ban, put
from test_review_reports import LISTING, decide, report

from tests.service.tdb_validator import batch_errors


def _kinds(api, key=None, query: str = "") -> dict[str, list[dict]]:
    r = api.call("GET", f"/v1/statements?limit=500{query}", key)
    assert r.status_code == 200, r.text
    out: dict[str, list[dict]] = {}
    for item in r.json()["items"]:
        out.setdefault(item["measure"]["kind"], []).append(item)
    return out


def test_a_ban_its_sweep_and_the_gate_are_each_stated(api):
    # DY-LQ-6 by a person; DY-LQ-3/4 by the fingerprint match alone, disputed rather than appealed
    for shop in ("d1", "d2"):
        api.call("PUT", f"/v1/shops/{shop}", json={"name": shop, "kind": "enterprise", "policy": "douyin"})
    put(api, "p1", "d1", BEDDING)
    put(api, "p3", "d2", TRANSLATED)
    assert ban(api).status_code == 201
    put(api, "p6", "d2", TRANSLATED, api.key("seller", "d2"))
    kinds = _kinds(api)
    banned, down = kinds["listing.banned"][0], kinds["listing.taken_down"][0]
    assert banned["measure"]["subject_id"] == "p1" and banned["automation"] == {"detection": True, "decision": "fully"}  # reason low_positive_rate
    assert down["measure"]["subject_id"] == "p3" and down["redress"]["route"] == "dispute" and down["automation"]["decision"] == "fully"
    assert [i["measure"]["subject_id"] for i in kinds["listing.intercepted"]] == ["p6"]  # DY-LQ-4: another shop's listing
    assert all(i["transparency_database"] is None for v in kinds.values() for i in v)  # douyin: not an EU market


def test_a_hidden_review_is_stated_as_decided_by_a_person_on_a_report(api):
    # RV-6 / DSA Art. 17: the review is hidden on the seller's report, by an operator's decision
    api.call("PUT", "/v1/shops/t1", json={"name": "t1", "kind": "enterprise", "policy": "tiktok-shop-eu"})
    api.call("PUT", "/v1/products/p1", json=LISTING | {"shop_id": "t1"})
    api.call("POST", "/v1/orders", json={"order_id": "o1", "shop_id": "t1", "product_id": "p1", "buyer_id": "b1"})
    api.call("POST", "/v1/reviews", json={"review_id": "r1", "order_id": "o1", "rating": 1, "text": "给我返现不然差评"})
    filed = report(api, api.key("seller", "t1"), "r1").json()
    decide(api, filed["report_id"], "granted")
    hidden = _kinds(api)["review.hidden"][0]
    assert hidden["source"] == "report" and hidden["automation"] == {"detection": False, "decision": "not"}
    tdb = hidden["transparency_database"]
    assert tdb["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"] and tdb["content_type"] == ["CONTENT_TYPE_TEXT"]
    assert tdb["source_type"] == "SOURCE_TYPE_OTHER_NOTIFICATION" and tdb["category_specification"] == ["KEYWORD_INAUTHENTIC_USER_REVIEWS"]
    assert batch_errors({"statements": [tdb]}) == []


def test_roles_and_bad_input(api):
    for shop in ("e1", "e2"):
        api.shop(shop, policy="tiktok-shop-eu")
        api.violation(shop, type="counterfeit", severity="general")
    mine = _kinds(api, api.key("seller", "e1"))
    assert {i["measure"]["shop_id"] for v in mine.values() for i in v} == {"e1"}
    assert {i["measure"]["shop_id"] for v in _kinds(api, api.operator).values() for i in v} == {"e1", "e2"}
    assert api.call("GET", "/v1/statements/export", api.key("seller", "e1")).status_code == 403
    r = api.call("GET", "/v1/statements?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z")
    assert r.status_code == 422 and "until" in r.text
    assert api.call("GET", "/v1/statements?kind=sanction.nothing").status_code == 422
    out = api.call("GET", "/v1/statements/export?since=2025-01-01T00:00:00Z").json()
    assert [len(b["statements"]) for b in out["batches"]] == [2] and out["withheld"] == []
    assert api.call("GET", "/v1/statements/export?since=2030-01-01T00:00:00Z").json() == {"batches": [], "withheld": [], "next": None}


def test_the_health_record_links_and_the_notice_carries_the_statement(api):
    # DSA Art. 17: shown on the record (health's sanction links it) and in the notice, in zh and en
    api.shop("e1", policy="tiktok-shop-eu")
    api.violation("e1", type="counterfeit", severity="general")
    sanction = api.call("GET", "/v1/shops/e1/health?at=2025-12-02T00:00:00Z").json()["sanctions"][0]
    linked = api.call("GET", sanction["statement"]).json()["items"]
    assert [i["measure"]["kind"] for i in linked] == ["sanction.no_campaigns"]
    notice = next(n for n in api.call("GET", "/v1/shops/e1/notices").json() if n["kind"] == "sanction")
    assert [s["puid"] for s in notice["statements"]] == [linked[0]["puid"]]
    assert "183" in notice["statements"][0]["text"]["en"] and "措施" in notice["statements"][0]["text"]["zh"]
