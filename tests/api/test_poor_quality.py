"""DY-QL-3 determinations and DY-QL-4 measures over the API, on SQLite and PostgreSQL: recorded with
their figures, escalating by repetition, listed in health, the order limit enforced at POST
/v1/orders, and lifted by a granted appeal within DY-APL-1's 7 days."""

from __future__ import annotations

from datetime import timedelta

from tests.api.test_experience import CUPS, D, H, after_sale, complaint, iso, order, setup, shop_orders
from tests.conftest import T0


def poor_product(api, shop="d1", product="p1", start=T0, tag="x"):
    """60 orders of `product`, half of them complained about; a clean peer shop for the industry."""
    for i in range(60):
        order(api, f"{tag}{i}", start + i * H, shop=shop, product=product)
    for i in range(30):
        complaint(api, f"{tag}c{i}", f"{tag}{i}", start + 4 * D)


def determine(api, shop="d1", at=None, key=None, expect=201) -> list[dict]:
    r = api.call("POST", f"/v1/shops/{shop}/experience/determinations", key, json={"at": iso(at)} if at else {})
    assert r.status_code == expect, r.text
    return r.json()


def health(api, shop="d1", at=None) -> dict:
    r = api.call("GET", f"/v1/shops/{shop}/health", params={"at": iso(at)} if at else None)
    assert r.status_code == 200, r.text
    return r.json()


def measures(doc: dict) -> list[dict]:
    return [s for s in doc["sanctions"] if s.get("rule") == "DY-QL-4"]


def test_a_poor_product_is_determined_with_its_figures_and_an_order_limit(api):
    # rule DY-QL-3: the determination names the indicator, the industry mean, the counts and the bound
    # rule DY-QL-4: the first determination limits the shop's orders
    setup(api, "d1", "p1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 30 * D
    shop_orders(api, "d2", 300, T0, product="p2")
    poor_product(api)
    at = T0 + 10 * D
    assert determine(api, key=api.key("seller", "d1"), expect=403)["status"] == 403  # platform or operator only
    made = determine(api, at=at)
    assert [d["subject"] for d in made] == ["product:p1"] and made[0]["rule"] == "DY-QL-3" and made[0]["occurrence"] == 1
    figures = made[0]["figures"]
    assert (figures["indicator"], figures["count"], figures["of"]) == ("negative_feedback_rate", 30, 60)
    assert figures["lower_bound"] > figures["factor"] * figures["industry_mean"] > 0 and "DY-APL-1" in figures["statement"]
    assert made[0]["measures"] == [{"kind": "order_limit", "starts_at": "2026-01-11T00:00:00Z", "ends_at": "2026-01-18T00:00:00Z",
                                    "limit_per_day": 100}]
    assert determine(api, at=at, expect=200) == []  # not again while its measures are in force
    page = api.call("GET", "/v1/shops/d1/experience", params={"at": iso(at)}).json()
    assert [d["id"] for d in page["determinations"]] == [made[0]["id"]]
    listed = measures(health(api, at=at + H))
    assert [(m["kind"], m["limit_per_day"], m["determination_id"]) for m in listed] == [("order_limit", 100, made[0]["id"])]
    assert health(api, at=at + H)["privileges"]["orders"] is False
    assert measures(health(api, at=at + 7 * D)) == [] and measures(health(api, at=at - H)) == []
    ticket = api.call("GET", f"/v1/violations/{made[0]['violation_id']}").json()
    assert (ticket["type"], ticket["points"]) == ("poor_quality", 0)


def test_the_order_beyond_the_day_s_limit_is_refused(api):
    # rule DY-QL-4: 限单, at most N orders a day
    setup(api, "d1", "p1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 30 * D
    shop_orders(api, "d2", 300, T0, product="p2")
    poor_product(api)
    at = T0 + 10 * D
    determine(api, at=at)
    day = T0 + 12 * D
    for i in range(100):
        order(api, f"lim{i}", day + i * timedelta(minutes=10))
    refused = api.call("POST", "/v1/orders", json={"order_id": "lim100", "shop_id": "d1", "product_id": "p1", "buyer_id": "b", "ordered_at": iso(day + 20 * H)})
    assert refused.status_code == 409 and refused.json()["rule"] == "DY-QL-4", refused.text
    assert refused.json()["until"].startswith("2026-01-14T00:00:00")
    order(api, "next-day", day + D + H)  # a new day, a new allowance
    order(api, "after", at + 8 * D)  # the limit has ended


def test_repetition_escalates_the_measures(api):
    # rule DY-QL-4: measures escalate by repetition
    setup(api, "d1", "p1")
    r = api.call("PUT", "/v1/products/p3", json=CUPS | {"shop_id": "d1"})
    assert r.status_code == 200
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 60 * D
    shop_orders(api, "d2", 300, T0, product="p2")
    poor_product(api)
    first = determine(api, at=T0 + 10 * D)
    poor_product(api, product="p3", start=T0 + 15 * D, tag="y")
    second = determine(api, at=T0 + 25 * D)
    # p1's first measures ended: still poor, it is determined again with p3, one run, one step of the ladder
    assert [d["subject"] for d in second] == ["product:p1", "product:p3"] and {d["occurrence"] for d in second} == {2}
    assert {m["kind"] for m in second[0]["measures"]} == {"order_limit", "payout_frozen"}
    doc = health(api, at=T0 + 25 * D + H)
    assert {m["kind"] for m in measures(doc)} == {"order_limit", "payout_frozen"} and doc["privileges"]["payouts"] is False
    assert first[0]["occurrence"] == 1


def test_a_granted_appeal_lifts_the_measures_within_dy_apl_1(api):
    # rule DY-APL-1: a determination can be appealed within 7 calendar days of its ticket
    setup(api, "d1", "p1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 10 * D + H
    shop_orders(api, "d2", 200, T0, product="p2")
    poor_product(api)
    made = determine(api, at=T0 + 10 * D)[0]
    appeal = api.call("POST", f"/v1/violations/{made['violation_id']}/appeals", api.key("seller", "d1"),
                      json={"reason": "投诉均为同一批恶意买家", "evidence": [{"kind": "text", "value": "物流签收记录"}]})
    assert appeal.status_code == 201, appeal.text
    api.ctx.clock.now = T0 + 11 * D
    decided = api.call("POST", f"/v1/appeals/{appeal.json()['id']}/decision", api.operator, json={"outcome": "granted", "reason": "核实为恶意投诉"})
    assert decided.status_code == 200, decided.text
    assert measures(health(api, at=T0 + 10 * D + 2 * H)) != [] and measures(health(api, at=T0 + 11 * D + H)) == []
    api.ctx.clock.now = T0 + 11 * D + 3 * H
    order(api, "free", T0 + 11 * D + H)

    late = determine(api, at=T0 + 11 * D + 2 * H)  # the product is still poor: determined again, as a first (the revoked one counts for nothing)
    assert late[0]["occurrence"] == 1
    api.ctx.clock.now = T0 + 19 * D
    refused = api.call("POST", f"/v1/violations/{late[0]['violation_id']}/appeals", api.key("seller", "d1"),
                       json={"reason": "迟到的申诉", "evidence": [{"kind": "text", "value": "x"}]})
    assert refused.status_code == 409 and refused.json()["rule"] == "DY-APL-1", refused.text


def test_a_shop_below_the_line_for_consecutive_days_is_determined(api):
    # rule DY-QL-3: a shop is of poor quality when its score stays below the line for N consecutive days
    setup(api, "good", "pg")
    setup(api, "bad", "pb")
    api.ctx.clock.now = T0 + 40 * D
    shop_orders(api, "good", 40, T0, product="pg")
    shop_orders(api, "bad", 40, T0, product="pb", late_every=1)
    for i in range(40):
        complaint(api, f"c{i}", f"bad-o{i}", T0 + 3 * D)
        after_sale(api, f"a{i}", f"bad-o{i}", T0 + 3 * D)
    rules = api.ctx.pack("douyin").experience.poor_quality_shop
    day_before_run = T0 + 3 * D + (rules.days - 1) * D  # the first bad day plus days − 2: one day short
    assert determine(api, "bad", at=day_before_run - H, expect=200) == []
    made = determine(api, "bad", at=T0 + 3 * D + rules.days * D)
    shop = [d for d in made if d["subject"] == "shop:bad"]
    assert shop and len(shop[0]["figures"]["scores"]) == rules.days and all(s < rules.below for s in shop[0]["figures"]["scores"])


def test_fraud_adds_compensation_to_the_affected_buyers(api):
    # rule DY-QL-4: an operator's finding of fraud (intent or batch risk) adds compensation to the buyers affected
    setup(api, "d1", "p1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 12 * D
    shop_orders(api, "d2", 200, T0, product="p2")
    poor_product(api)
    made = determine(api, at=T0 + 10 * D)[0]
    url = f"/v1/determinations/{made['id']}/fraud"
    body = {"kind": "batch_risk", "reason": "同批次暖手宝功能异常", "amount_per_order": 30.0}
    assert api.call("POST", url, api.key("seller", "d1"), json=body).status_code == 403
    assert api.call("POST", url, json=body | {"kind": "greed"}).status_code == 422
    assert api.call("POST", "/v1/determinations/nope/fraud", json=body).status_code == 404
    found = api.call("POST", url, api.operator, json=body)
    assert found.status_code == 201, found.text
    doc = found.json()
    assert (doc["rule"], len(doc["compensations"]), doc["total"]) == ("DY-QL-4", 30, 900.0)
    assert {c["order_id"] for c in doc["compensations"]} == {f"x{i}" for i in range(30)}
    assert api.call("POST", url, api.operator, json=body).status_code == 409  # once per determination
    listed = api.call("GET", "/v1/shops/d1/experience", params={"at": iso(T0 + 12 * D)}).json()["determinations"][0]
    assert listed["fraud"]["buyers"] == 30 and listed["fraud"]["kind"] == "batch_risk"
