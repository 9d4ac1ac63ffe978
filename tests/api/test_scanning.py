"""Issue 3 over the API, on SQLite and PostgreSQL: scan, the listing gate, cases, rectification,
brand qualifications, contact declarations, and bad input that changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import T0

BEDDING = {"title": "纯棉四件套 床单被套枕套", "description": "100%新疆长绒棉", "category": "home/bedding",
           "skus": [{"sku_id": "set", "name": "四件套 1.8m", "price": 299}, {"sku_id": "pc", "name": "枕套 单只", "price": 1.9}]}


def listing(**over) -> dict:
    return {"shop_id": "d1", "title": "加厚保温杯 316不锈钢 500ml", "description": "办公室学生通用", "category": "home/cups",
            "skus": [{"sku_id": "a", "name": "500ml 白", "price": 59, "shipping_fee": 0}]} | over


@pytest.fixture
def douyin(api):
    api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    api.call("PUT", "/v1/brands/nike", json={"name": "Nike", "aliases": ["耐克", "naike"], "restricted": True, "owner": "Nike, Inc."})
    return api


def test_scan_message_blocks_disguised_wechat(douyin):
    # rule DY-DV
    r = douyin.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "d1", "text": "亲，加我V信 abc_8888 发你优惠"})
    assert r.status_code == 200
    body = r.json()
    assert body["decision"] == "block" and body["policy_version"]
    [f] = body["findings"]
    assert f["rule"] == "DY-DV" and "abc_8888" in f["evidence"][0]["text"]
    zh = douyin.call("POST", "/v1/scan?lang=zh", json={"kind": "message", "shop_id": "d1", "text": "亲，加我V信 abc_8888 发你优惠"}).json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["findings"][0]["explanation"])


def test_scan_is_stateless_and_quiet_on_ordinary_text(douyin):
    r = douyin.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "d1", "text": "订单号 4200001234567890123 已发货，V领款，13800mAh"})
    assert r.json() == r.json() | {"decision": "allow", "findings": []}
    assert douyin.call("GET", "/v1/cases", key=douyin.operator).json() == []


def test_shipping_fee_case_rejects_then_rectifies(douyin, clock):
    # rule DY-PR DY-IP-R DY-FLOW: the seed's ¥0.57 item with ¥25 shipping
    bad = listing(skus=[{"sku_id": "a", "name": "纸巾 1包", "price": 0.57, "shipping_fee": 25}])
    r = douyin.call("PUT", "/v1/products/p1", json=bad).json()
    assert r["status"] == "rejected" and r["version"] == 1
    assert any(f["rule"] == "DY-PR" and f["decision"] == "block" for f in r["findings"])
    [task] = douyin.call("GET", "/v1/shops/d1/rectification-tasks").json()
    assert task["status"] == "open" and task["rule"] == "DY-PR"
    clock.now = T0 + timedelta(days=1)
    fixed = douyin.call("PUT", "/v1/products/p1", json=listing(skus=[{"sku_id": "a", "name": "纸巾 1包", "price": 5.9, "shipping_fee": 0}])).json()
    assert fixed["status"] == "published" and fixed["version"] == 2 and fixed["rectification_closed"] == [task["id"]]
    assert douyin.call("GET", "/v1/shops/d1/rectification-tasks").json()[0]["status"] == "closed"


def test_overdue_rectification_escalates_to_a_violation(douyin, clock):
    douyin.call("PUT", "/v1/products/p1", json=listing(skus=[{"sku_id": "a", "name": "x", "price": 0.57, "shipping_fee": 25}]))
    assert douyin.call("POST", "/v1/rectification/sweep").json() == []
    clock.now = T0 + timedelta(days=3)
    [done] = douyin.call("POST", "/v1/rectification/sweep").json()
    v = douyin.call("GET", f"/v1/violations/{done['violation_id']}").json()
    assert (v["type"], v["severity"], v["points"], v["point_class"]) == ("unreasonable_pricing", "general", 4, "A")
    assert douyin.call("GET", "/v1/shops/d1/rectification-tasks").json()[0]["status"] == "escalated"


def test_bait_pillowcase_sku(douyin):
    # rule DY-PR: the pillowcase SKU inside a bedding set
    r = douyin.call("PUT", "/v1/products/bed", json={"shop_id": "d1"} | BEDDING).json()
    assert r["status"] != "published"
    assert any(f["rule"] == "DY-PR" and any(e["field"].startswith("skus[1]") for e in f["evidence"]) for f in r["findings"])


def test_brand_without_qualification_then_qualified(douyin, clock):
    # rule DY-BR DY-BQ-1
    shoe = listing(title="耐克 Air Zoom 跑鞋 男款", category="shoes/running", skus=[{"sku_id": "a", "name": "42", "price": 699}])
    first = douyin.call("PUT", "/v1/products/shoe", json=shoe).json()
    assert first["status"] == "rejected" and [f["rule"] for f in first["findings"]] == ["DY-BR"]
    assert first["cases"], "a DY-BR block goes to an operator"
    q = douyin.call("POST", "/v1/shops/d1/brand-qualifications", json={"brand_id": "nike", "trademark_no": "G1234567", "mark": "R",
                    "categories": ["shoes"], "valid_from": "2025-01-01T00:00:00Z", "valid_to": "2027-01-01T00:00:00Z"})
    assert q.status_code == 201 and q.json()["status"] == "pending" and q.json()["review_due"]
    assert douyin.call("PUT", "/v1/products/shoe", json=shoe).json()["status"] == "rejected", "pending is not valid yet"
    queue = douyin.call("GET", "/v1/brand-qualifications", key=douyin.operator).json()
    assert [x["id"] for x in queue] == [q.json()["id"]]
    approved = douyin.call("POST", f"/v1/brand-qualifications/{q.json()['id']}/review", key=douyin.operator, json={"status": "approved", "reason": "商标注册证核验通过"})
    assert approved.json()["status"] == "approved"
    assert douyin.call("PUT", "/v1/products/shoe", json=shoe).json()["status"] == "published"


def test_personal_shop_may_not_sell_a_restricted_brand(douyin):
    # rule DY-BR: personal shops may not sell restricted brands at all
    douyin.call("PUT", "/v1/shops/p9", json={"name": "个人小铺", "kind": "personal", "policy": "douyin"})
    q = douyin.call("POST", "/v1/shops/p9/brand-qualifications", json={"brand_id": "nike", "trademark_no": "G1234567", "mark": "R",
                    "categories": [], "valid_from": "2025-01-01T00:00:00Z"}).json()
    douyin.call("POST", f"/v1/brand-qualifications/{q['id']}/review", key=douyin.operator, json={"status": "approved", "reason": "ok"})
    r = douyin.call("PUT", "/v1/products/p9-shoe", json=listing(shop_id="p9", title="耐克 跑鞋", category="shoes/running")).json()
    assert any(f["rule"] == "DY-BR" for f in r["findings"]) and r["status"] != "published"


def test_trademark_in_a_shop_name_opens_a_case(douyin):
    # rule DY-IP: another owner's trademark in the shop name
    r = douyin.call("PUT", "/v1/shops/d2", json={"name": "耐克运动旗舰店", "kind": "enterprise", "policy": "douyin"}).json()
    assert [f["rule"] for f in r["name_findings"]] == ["DY-IP"] and r["cases"]
    case = douyin.call("GET", f"/v1/cases/{r['cases'][0]}", key=douyin.operator).json()
    assert case["subject"]["kind"] == "shop" and case["rule"] == "DY-IP"


def test_declared_after_sales_contact_is_allowed(douyin):
    # rule DY-DV: the exception for a filed after-sales contact
    text = "售后问题请致电 13812345678"
    assert douyin.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "d1", "text": text}).json()["decision"] != "allow"
    seller = douyin.key("seller", "d1")
    d = douyin.call("POST", "/v1/shops/d1/contact-declarations", key=seller, json={"kind": "phone", "value": "13812345678", "reason": "售后热线"})
    assert d.status_code == 201
    assert douyin.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "d1", "text": text}).json()["decision"] == "allow"


def test_seller_message_issues_a_ticket_and_buyer_message_does_not(douyin):
    # rule DY-DV: a confident finding blocks and issues the minor (0-point) ticket; a case is opened
    seller = douyin.call("POST", "/v1/messages", json={"shop_id": "d1", "sender": "seller", "text": "加我薇信 shop_9988 便宜点"}).json()
    assert seller["decision"] == "block" and len(seller["violations"]) == 1 and len(seller["cases"]) == 1
    v = douyin.call("GET", f"/v1/violations/{seller['violations'][0]}").json()
    assert (v["type"], v["points"]) == ("off_platform_diversion", 0) and v["evidence"]
    buyer = douyin.call("POST", "/v1/messages", json={"shop_id": "d1", "sender": "buyer", "text": "加我薇信 buyer_1 吧"}).json()
    assert buyer["decision"] == "block" and buyer["violations"] == [] and buyer["cases"] == []


def test_case_decision_issues_a_violation_with_evidence(douyin):
    m = douyin.call("POST", "/v1/messages", json={"shop_id": "d1", "sender": "seller", "text": "加我薇信 shop_9988 便宜点"}).json()
    case_id = m["cases"][0]
    assert douyin.call("GET", "/v1/cases?status=open&rule=DY-DV", key=douyin.operator).json()[0]["id"] == case_id
    no_type = douyin.call("POST", f"/v1/cases/{case_id}/decision", key=douyin.operator, json={"outcome": "violation", "reason": "引流"})
    assert no_type.status_code == 422 and no_type.json()["errors"][0]["field"] == "type"
    d = douyin.call("POST", f"/v1/cases/{case_id}/decision", key=douyin.operator,
                    json={"outcome": "violation", "reason": "私聊引导加微信", "type": "off_platform_diversion", "severity": "general"}).json()
    assert d["status"] == "decided" and d["violation_id"]
    v = douyin.call("GET", f"/v1/violations/{d['violation_id']}").json()
    assert v["points"] == 4 and "shop_9988" in " ".join(e["value"] for e in v["evidence"])
    again = douyin.call("POST", f"/v1/cases/{case_id}/decision", key=douyin.operator, json={"outcome": "dismiss", "reason": "x"})
    assert again.status_code == 409


def test_bad_input_changes_nothing(douyin):
    too_long = douyin.call("PUT", "/v1/products/px", json=listing(description="好" * 30000))
    assert too_long.status_code == 413 and too_long.headers["content-type"].startswith("application/problem+json")
    no_skus = douyin.call("PUT", "/v1/products/px", json=listing(skus=[]))
    assert no_skus.status_code == 422 and no_skus.json()["errors"][0]["field"] == "skus"
    negative = douyin.call("PUT", "/v1/products/px", json=listing(skus=[{"sku_id": "a", "name": "x", "price": -1}]))
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "skus.0.price"
    unknown = douyin.call("PUT", "/v1/products/px", json=listing(shop_id="nope"))
    assert unknown.status_code == 404
    assert douyin.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "nope", "text": "x"}).status_code == 404
    assert douyin.call("GET", "/v1/products/px").status_code == 404


def test_roles_for_scanning(douyin):
    douyin.call("PUT", "/v1/shops/d3", json={"name": "别家店", "kind": "enterprise", "policy": "douyin"})
    seller = douyin.key("seller", "d1")
    assert douyin.call("PUT", "/v1/products/own", key=seller, json=listing()).status_code == 200
    assert douyin.call("PUT", "/v1/products/theirs", key=seller, json=listing(shop_id="d3")).status_code == 403
    assert douyin.call("GET", "/v1/cases", key=seller).status_code == 403
    assert douyin.call("POST", "/v1/messages", key=seller, json={"shop_id": "d1", "sender": "seller", "text": "hi"}).status_code == 403
    assert douyin.call("PUT", "/v1/brands/x", key=seller, json={"name": "X"}).status_code == 403
