"""DY-QL-3 determinations and their DY-QL-4 measures reach the seller as notices, in Chinese and English,
with rule, evidence (indicator, industry mean, counts, bound), policy version and how to appeal (DY-APL-1):
made, ended, lifted by a granted appeal, and a fraud finding with its compensation."""

from __future__ import annotations

from tests.api.test_experience import D, H, iso, setup, shop_orders
from tests.api.test_poor_quality import determine, poor_product
from tests.conftest import T0


def notices(api, shop="d1", at=None, lang="en") -> list[dict]:
    r = api.call("GET", f"/v1/shops/{shop}/notices", params={"lang": lang} | ({"at": iso(at)} if at else {}))
    assert r.status_code == 200, r.text
    return [n for n in r.json() if n["kind"].startswith("poor_quality")]


def _determined(api) -> dict:
    setup(api, "d1", "p1")
    setup(api, "d2", "p2")
    api.ctx.clock.now = T0 + 10 * D + H
    shop_orders(api, "d2", 200, T0, product="p2")
    poor_product(api)
    return determine(api, at=T0 + 10 * D)[0]


def test_a_determination_and_its_measures_reach_the_seller_in_both_languages(api):
    # rule DY-QL-4: every determination names the indicator, the industry mean, the counts and the bound, and can be appealed
    made = _determined(api)
    assert notices(api, at=T0 + 10 * D - H) == []  # not before it was made
    [n] = notices(api, at=T0 + 10 * D)
    f = made["figures"]
    assert (n["kind"], n["rule"], n["violation_id"], n["determination_id"]) == ("poor_quality_determined", "DY-QL-3, DY-QL-4", made["violation_id"], made["id"])
    en, zh = n["i18n"]["en"], n["i18n"]["zh"]
    assert "order limit" in en["title"] and "限单" in zh["title"]
    for text in (en["body"], zh["body"]):
        assert "negative-feedback" in text or "负反馈" in text
        assert f"{f['count']}" in text and f"{f['of']}" in text  # the counts
        assert f"{f['industry_mean'] * 100:.1f}%" in text and f"{f['lower_bound'] * 100:.1f}%" in text  # the industry mean and the bound
        assert "100" in text and "2026-01-18" in text  # the measure: 100 orders a day until the 18th
        assert f"douyin v{made['policy_version']}" in text and "DY-APL-1" in text and made["violation_id"] in text
        assert "2026-01-18 00:00 UTC" in text  # DY-APL-1: appeal within 7 calendar days of the ticket
    assert notices(api, at=T0 + 10 * D, lang="zh")[0]["title"] == zh["title"]
    ended = notices(api, at=T0 + 17 * D)[-1]
    assert ended["kind"] == "poor_quality_measure_ended" and "2026-01-18" in ended["body"] and "限单" in ended["i18n"]["zh"]["title"]


def test_a_granted_appeal_is_told_as_the_measures_lifted(api):
    # rule DY-APL-1: a granted appeal lifts the determination's measures, and the seller is told which
    made = _determined(api)
    appeal = api.call("POST", f"/v1/violations/{made['violation_id']}/appeals", api.key("seller", "d1"),
                      json={"reason": "恶意投诉", "evidence": [{"kind": "text", "value": "签收记录"}]})
    api.ctx.clock.now = T0 + 11 * D
    assert api.call("POST", f"/v1/appeals/{appeal.json()['id']}/decision", api.operator, json={"outcome": "granted", "reason": "核实"}).status_code == 200
    kinds = [n["kind"] for n in notices(api, at=T0 + 20 * D)]
    assert kinds == ["poor_quality_determined", "poor_quality_measures_lifted"]  # lifted before its end: no "ended"
    lifted = notices(api, at=T0 + 20 * D, lang="zh")[-1]
    assert "解除" in lifted["title"] and "限单" in lifted["body"] and made["violation_id"] in lifted["body"]


def test_a_fraud_finding_is_told_with_its_compensation(api):
    # rule DY-QL-4: an operator's finding of fraud adds compensation to the buyers affected
    made = _determined(api)
    api.ctx.clock.now = T0 + 12 * D
    r = api.call("POST", f"/v1/determinations/{made['id']}/fraud", api.operator, json={"kind": "intent", "reason": "刷单", "amount_per_order": 20.0})
    assert r.status_code == 201, r.text
    n = notices(api, at=T0 + 12 * D)[-1]
    assert n["kind"] == "poor_quality_fraud" and "30 affected orders" in n["body"] and "600" in n["body"]
    assert "主观故意" in n["i18n"]["zh"]["body"] and "DY-QL-4" in n["rule"]
