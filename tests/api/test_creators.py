"""Creators over the API (CR-5, CR-7, CR-8, CR-11, CR-13): accounts, credits, violations, health
and notices by each model, appeals, and who may read what. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopwarden.service.auth import create_key

T = datetime(2026, 1, 1, tzinfo=UTC)  # the frozen clock's now


def iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def creator(api, cid: str = "c1", policy: str = "tiktok-shop-chr", shop_id: str | None = None):
    r = api.call("PUT", f"/v1/creators/{cid}", json={"name": f"creator {cid}", "policy": policy, "shop_id": shop_id})
    assert r.status_code in (200, 201), r.text
    return r.json()


def creator_violation(api, cid: str = "c1", severity: str = "serious", at: datetime = T - timedelta(days=10), **extra):
    body = {"creator_id": cid, "type": "misleading_promotion", "severity": severity, "issued_at": iso(at),
            "evidence": [{"kind": "text", "value": "最好的面霜，第一品牌"}]} | extra
    r = api.call("POST", "/v1/violations", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def creator_key(api, cid: str) -> dict:
    return {"Authorization": f"Bearer {create_key(api.ctx, 'creator', creator_id=cid)}"}


def test_put_creator_creates_then_updates(api):
    # rule CR-5
    r = api.call("PUT", "/v1/creators/c1", json={"name": "Lin", "policy": "tiktok-shop-chr", "shop_id": None})
    assert r.status_code == 201 and r.json()["model"] == "health_score" and r.json()["own_account"] is False
    api.shop("s1")
    r = api.call("PUT", "/v1/creators/c1", json={"name": "Lin", "policy": "tiktok-shop-chr", "shop_id": "s1"})
    assert r.status_code == 200 and r.json()["own_account"] is True


def test_a_new_creator_on_the_health_score_starts_at_200(api):
    # rule CR-7
    creator(api)
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert (h["model"], h["score"], h["band"], h["next_milestone"], h["points"]) == ("health_score", 200, "healthy", 150, None)
    assert h["measures"] == [] and all(h["privileges"].values())


def test_a_serious_violation_crosses_150_and_takes_recommendation_away(api):
    # rule CR-7, CR-9
    creator(api)
    v = creator_violation(api, severity="serious", at=T - timedelta(days=2))
    assert v["deduction"] == 50 and v["creator_id"] == "c1" and v["shop_id"] is None and v["expires_at"] is None
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert (h["score"], h["band"]) == (150, "unhealthy")
    assert [(m["kind"], m["reason"]) for m in h["measures"]] == [("no_recommendation", "milestone-150")]
    assert h["privileges"]["recommendation"] is False
    later = api.call("GET", "/v1/creators/c1/health", params={"at": iso(T + timedelta(days=6))}).json()
    assert later["measures"] == [] and later["score"] == 150  # the measure ran its 7 days; the deduction stays


def test_credits_earn_back_within_the_daily_cap_and_count_once(api):
    # rule CR-7
    creator(api)
    creator_violation(api, severity="serious", at=T - timedelta(days=3))
    day = T - timedelta(days=1)
    for ref in ("q1", "q2", "q3"):
        r = api.call("POST", "/v1/creators/c1/credits", json={"kind": "quiz", "ref": ref, "at": iso(day)})
        assert r.status_code == 201, r.text
    again = api.call("POST", "/v1/creators/c1/credits", json={"kind": "quiz", "ref": "q1", "at": iso(day)})
    assert again.status_code == 200  # the same quiz is the same credit
    assert api.call("GET", "/v1/creators/c1/health").json()["score"] == 170  # 150 + 10 + 10, the third past the cap of 20


def test_the_repeat_rule_removes_rights_whatever_the_score(api):
    # rule CR-8
    creator(api)
    for i in range(6):
        creator_violation(api, severity="minor", at=T - timedelta(days=80 - 10 * i))
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert h["score"] == 140
    kinds = sorted(m["kind"] for m in h["measures"] if m["rule"] == "CR-8")
    assert kinds == ["commission_frozen", "rights_removed"]
    assert h["privileges"]["promote_products"] is False and h["privileges"]["commission_payout"] is False


def test_a_creator_appeals_and_a_granted_appeal_restores_the_score(api):
    # rule CR-11
    creator(api)
    v = creator_violation(api, severity="serious", at=T - timedelta(days=2))
    key = creator_key(api, "c1")
    r = api.call("POST", f"/v1/violations/{v['id']}/appeals", key, json={"reason": "the claim is the brand's registered slogan",
                                                                          "evidence": [{"kind": "document", "value": "trademark.pdf"}]})
    assert r.status_code == 201, r.text
    d = api.call("POST", f"/v1/appeals/{r.json()['id']}/decision", json={"outcome": "granted", "reason": "registered slogan"})
    assert d.status_code == 200, d.text
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert h["score"] == 200 and h["measures"] == [] and h["violations"][0]["status"] == "revoked"
    kinds = [n["kind"] for n in api.call("GET", "/v1/creators/c1/notices", params={"lang": "zh"}).json()]
    assert kinds == ["violation", "measure", "appeal_decision", "measure_lifted"]


def test_the_creator_appeal_window_is_the_packs(api):
    # rule CR-11: 30 days from the violation
    creator(api)
    v = creator_violation(api, at=T - timedelta(days=31))
    r = api.call("POST", f"/v1/violations/{v['id']}/appeals", creator_key(api, "c1"), json={"reason": "late", "evidence": [{"kind": "text", "value": "x"}]})
    assert r.status_code == 409 and r.json()["rule"] == "CR-11"


def test_points_model_creators_fold_like_shops(api):
    # rule CR-7 (points): tiktok-shop's creators section
    creator(api, policy="tiktok-shop")
    creator_violation(api, severity="serious", at=T - timedelta(days=1))  # misleading_promotion serious: 12 points
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert (h["model"], h["points"], h["level"], h["next_threshold"], h["score"]) == ("points", 12, "warned", 24, None)
    assert [m["kind"] for m in h["measures"]] == ["no_recommendation"]
    r = api.call("POST", "/v1/creators/c1/credits", json={"kind": "quiz", "ref": "q"})
    assert r.status_code == 409 and r.json()["rule"] == "CR-7"


def test_notices_are_in_chinese_with_rule_and_policy_version(api):
    # rule CR-4, CR-13
    creator(api)
    creator_violation(api, severity="serious", at=T - timedelta(days=2))
    notes = api.call("GET", "/v1/creators/c1/notices", params={"lang": "zh"}).json()
    assert notes[0]["title"] == "内容违规处罚通知" and "tiktok-shop-chr" in notes[0]["body"] and "申诉" in notes[0]["body"]
    assert notes[1]["rule"] == "CR-7" and "取消流量" in notes[1]["body"]


def test_bad_input_is_refused_and_nothing_is_stored(api):
    creator(api)
    both = api.call("POST", "/v1/violations", json={"shop_id": "s1", "creator_id": "c1", "type": "spam_fraud", "severity": "minor"})
    neither = api.call("POST", "/v1/violations", json={"type": "spam_fraud", "severity": "minor"})
    assert both.status_code == neither.status_code == 422
    assert both.json()["errors"][0]["field"] == "shop_id"
    unknown = api.call("POST", "/v1/violations", json={"creator_id": "nobody", "type": "spam_fraud", "severity": "minor"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "creator_id"
    wrong_type = api.call("POST", "/v1/violations", json={"creator_id": "c1", "type": "prohibited_customer_communication", "severity": "minor"})
    assert wrong_type.status_code == 422 and "misleading_promotion" in wrong_type.json()["detail"]
    no_section = api.call("PUT", "/v1/creators/c2", json={"name": "x", "policy": "douyin"})
    assert no_section.status_code == 422 and no_section.json()["errors"][0]["field"] == "policy"
    assert api.call("GET", "/v1/creators/c2/health").status_code == 404
    assert api.call("GET", "/v1/creators/c1/health").json()["violations"] == []


def test_a_creator_key_reads_its_own_account_only(api):
    # rule CR-13
    creator(api, "c1")
    creator(api, "c2")
    api.shop("s1")
    v2 = creator_violation(api, "c2")
    mine = creator_key(api, "c1")
    assert api.call("GET", "/v1/creators/c1/health", mine).status_code == 200
    assert api.call("GET", "/v1/creators/c2/health", mine).status_code == 403
    assert api.call("GET", "/v1/creators/c2/notices", mine).status_code == 403
    assert api.call("GET", f"/v1/violations/{v2['id']}", mine).status_code == 403
    assert api.call("GET", "/v1/shops/s1/health", mine).status_code == 403
    assert api.call("POST", "/v1/creators/c1/credits", mine, json={"kind": "quiz", "ref": "self"}).status_code == 403
    seller = api.key("seller", "s1")
    assert api.call("GET", "/v1/creators/c1/health", seller).status_code == 403


def test_the_policy_shows_its_creators_section(api):
    # rule CR-7: any client can compute what the engine will do
    body = api.call("GET", "/v1/policies/tiktok-shop-chr").json()["creators"]
    assert body["model"] == "health_score" and body["start_score"] == 200 and body["earn"]["daily_cap"] == 20
    assert [b["band"] for b in body["bands"]] == ["healthy", "attention", "unhealthy"]
    assert body["repeat_rule"]["count"] == 6 and body["appeal_days"] == 30
    points = api.call("GET", "/v1/policies/tiktok-shop").json()["creators"]
    assert points["model"] == "points" and points["thresholds"][0]["points"] == 12


def _shop_points(api, shop_id: str) -> tuple[int, list]:
    h = api.call("GET", f"/v1/shops/{shop_id}/health").json()
    return h["points"], [(v["type"], v["severity"], v["status"]) for v in h["violations"]]


def test_an_own_accounts_violation_also_counts_on_its_shop_and_one_appeal_settles_both(api):
    # rule CR-12
    api.shop("s1")
    creator(api, shop_id="s1")
    v = creator_violation(api, severity="serious", at=T - timedelta(days=2))  # misleading_promotion -> inconsistent_product_promotion
    assert v["shop_violation_id"] is not None
    assert _shop_points(api, "s1") == (24, [("inconsistent_product_promotion", "serious", "active")])
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"reason": "slogan", "evidence": [{"kind": "text", "value": "x"}]}).json()
    api.call("POST", f"/v1/appeals/{a['id']}/decision", json={"outcome": "granted", "reason": "registered slogan"})
    assert _shop_points(api, "s1") == (0, [("inconsistent_product_promotion", "serious", "revoked")])


def test_an_operator_extends_an_affiliates_violation_to_the_shop_with_a_reason(api):
    # rule CR-12
    api.shop("s1")
    creator(api)
    v = creator_violation(api, severity="serious", at=T - timedelta(days=2))
    assert v["shop_violation_id"] is None and _shop_points(api, "s1") == (0, [])
    r = api.call("POST", f"/v1/violations/{v['id']}/extensions", api.operator, json={"shop_id": "s1", "reason": "the shop scripted the claim"})
    assert r.status_code == 201, r.text
    assert (r.json()["joint_of"], r.json()["rule"]) == (v["id"], "CR-12")
    assert _shop_points(api, "s1")[0] == 24
    again = api.call("POST", f"/v1/violations/{v['id']}/extensions", api.operator, json={"shop_id": "s1", "reason": "again"})
    assert again.status_code == 409
    shop_v = api.violation("s1")
    not_creator = api.call("POST", f"/v1/violations/{shop_v['id']}/extensions", api.operator, json={"shop_id": "s1", "reason": "x"})
    assert not_creator.status_code == 422
    seller = api.key("seller", "s1")
    assert api.call("POST", f"/v1/violations/{v['id']}/extensions", seller, json={"shop_id": "s1", "reason": "x"}).status_code == 403


def test_a_deactivated_shop_takes_its_own_accounts_rights(api):
    # rule CR-12
    api.shop("s1")
    creator(api, shop_id="s1")
    for i in range(2):
        api.violation("s1", type="prohibited_products", severity="critical",
                      issued_at=iso(T - timedelta(days=5 - i)))
    h = api.call("GET", "/v1/creators/c1/health").json()
    assert ("rights_removed", "shop-deactivated", "CR-12") in [(m["kind"], m["reason"], m["rule"]) for m in h["measures"]]
    assert h["privileges"]["promote_products"] is False and h["score"] == 200
