"""The creators contract (API.md "Creators and their content", CR-7..12) as a black box: every
expected number is computed from what `GET /v1/policies/{id}` shows, never from the pack's YAML, as
a platform's client (and the acceptance test) would. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

T = datetime(2026, 1, 1, tzinfo=UTC)  # the frozen clock's now
EVIDENCE = [{"kind": "text", "value": "最好的面霜，第一品牌"}]


def iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def section(api, policy: str) -> dict:
    r = api.call("GET", f"/v1/policies/{policy}")
    assert r.status_code == 200, r.text
    return r.json()["creators"]


def creator(api, cid: str, policy: str, shop_id: str | None = None) -> None:
    r = api.call("PUT", f"/v1/creators/{cid}", json={"name": cid, "policy": policy, "shop_id": shop_id})
    assert r.status_code in (200, 201), r.text


def violation(api, cid: str, vtype: str, severity: str, at: datetime, **extra) -> dict:
    r = api.call("POST", "/v1/violations", json={"creator_id": cid, "type": vtype, "severity": severity, "issued_at": iso(at),
                                                 "evidence": EVIDENCE} | extra)
    assert r.status_code == 201, r.text
    return r.json()


def health(api, cid: str, at: datetime | None = None) -> dict:
    r = api.call("GET", f"/v1/creators/{cid}/health", params={"at": iso(at)} if at else None)
    assert r.status_code == 200, r.text
    return r.json()


def band_of(sec: dict, score: int) -> str:
    return next(b["band"] for b in sorted(sec["bands"], key=lambda b: -b["min"]) if score >= b["min"])


def deduction(sec: dict, vtype: str, severity: str) -> int:
    return next(c for c in sec["categories"] if c["type"] == vtype)["deductions"][severity]


def test_the_policy_shows_every_number_a_client_needs(api):
    # rule CR-7, CR-8, CR-10, CR-11: the creators section of each model, with each number's source
    sec = section(api, "tiktok-shop-chr")
    assert sec["model"] == "health_score"
    assert isinstance(sec["start_score"], int) and sec["max_score"] >= sec["start_score"]
    assert [set(b) >= {"band", "min"} for b in sec["bands"]] == [True] * len(sec["bands"])
    assert set(sec["deductions"]) >= {"minor", "general", "serious", "severe"}
    assert set(sec["earn"]) == {"order_content", "quiz", "daily_cap"} and all(isinstance(v, int) for v in sec["earn"].values())
    assert all({"score", "measures", "source"} <= set(m) for m in sec["milestones"])
    assert all({"kind", "days"} <= set(x) for m in sec["milestones"] for x in m["measures"])
    assert {"count", "days", "measures", "source"} <= set(sec["repeat_rule"])
    assert sec["commissions"]["frozen_days"] == sec["appeal_days"] and isinstance(sec["appeal_days"], int)
    for c in sec["categories"]:
        assert set(c["deductions"]) == set(c["severities"]) and c["name"] and c["name_zh"]
    assert sec["source"] and sec["earn_source"]
    pts = section(api, "tiktok-shop")
    assert pts["model"] == "points" and isinstance(pts["warning_margin"], int) and pts["expiry_days"] > 0
    for t in pts["violation_types"]:  # as a shop pack's (API.md Policies)
        assert t["min_points"] == min(t["severities"].values()) and t["max_points"] == max(t["severities"].values()) and t["name"]
    assert all({"points", "level", "sanctions"} <= set(t) for t in pts["thresholds"])


def test_health_score_deductions_bands_milestones_and_their_measures_follow_the_policy(api):
    # rule CR-7, CR-9
    sec = section(api, "tiktok-shop-chr")
    creator(api, "c1", "tiktok-shop-chr")
    h = health(api, "c1")
    start = sec["start_score"]
    assert (h["model"], h["score"], h["band"], h["points"]) == ("health_score", start, band_of(sec, start), None)
    top = max(sec["milestones"], key=lambda m: m["score"])
    score, issued, at = start, [], T - timedelta(days=20)
    while score > top["score"]:  # serious violations until the highest milestone is crossed
        v = violation(api, "c1", "misleading_promotion", "serious", at)
        assert v["deduction"] == deduction(sec, "misleading_promotion", "serious")
        score, issued = score - v["deduction"], issued + [v["id"]]
        at += timedelta(hours=1)
    crossed = at - timedelta(hours=1)
    h = health(api, "c1", crossed)
    assert (h["score"], h["band"]) == (max(0, score), band_of(sec, max(0, score)))
    below = [m for m in sec["milestones"] if m["score"] < max(0, score)]
    assert h["next_milestone"] == (max(m["score"] for m in below) if below else None)
    started = {(m["kind"], m["reason"]) for m in h["measures"]}
    for m in sec["milestones"]:
        if m["score"] >= score:
            for x in m["measures"]:
                assert (x["kind"], f"milestone-{m['score']}") in started
    for m in h["measures"]:
        days = next(x["days"] for ms in sec["milestones"] if f"milestone-{ms['score']}" == m["reason"] for x in ms["measures"] if x["kind"] == m["kind"])
        want = None if days is None else iso(datetime.fromisoformat(m["starts_at"].replace("Z", "+00:00")) + timedelta(days=days))
        assert m["ends_at"] == want
    assert [v["id"] for v in h["violations"]] == issued and all(v["status"] == "active" and "deduction" in v for v in h["violations"])


def test_credits_earn_the_policys_amounts_within_its_daily_cap(api):
    # rule CR-7: a credit past the day's cap is granted in part; the same ref counts once
    sec = section(api, "tiktok-shop-chr")
    earn, cap = sec["earn"], sec["earn"]["daily_cap"]
    creator(api, "c1", "tiktok-shop-chr")
    violation(api, "c1", "spam_fraud", "severe", T - timedelta(days=10))
    low = health(api, "c1")["score"]
    day = T - timedelta(days=5)
    n = cap // earn["quiz"] + 2  # more quizzes in one UTC day than the cap allows
    for i in range(n):
        r = api.call("POST", "/v1/creators/c1/credits", json={"kind": "quiz", "ref": f"q{i}", "at": iso(day + timedelta(minutes=i))})
        assert r.status_code == 201, r.text
    again = api.call("POST", "/v1/creators/c1/credits", json={"kind": "quiz", "ref": "q0", "at": iso(day)})
    assert again.status_code == 200
    assert health(api, "c1")["score"] == min(low + min(n * earn["quiz"], cap), sec["max_score"])


def test_the_repeat_rule_of_the_policy_applies_whatever_the_score(api):
    # rule CR-8
    sec = section(api, "tiktok-shop-chr")
    rule, cap = sec["repeat_rule"], sec["earn"]["daily_cap"]
    creator(api, "c1", "tiktok-shop-chr")
    first = T - timedelta(days=rule["days"] - 1)
    minor = deduction(sec, "spam_fraud", "minor")
    for d in range(rule["count"] * minor // cap + 2):  # earn enough first that the count, not the score, decides
        api.call("POST", "/v1/creators/c1/credits", json={"kind": "quiz", "ref": f"q{d}", "at": iso(first - timedelta(days=d + 1))})
    for i in range(rule["count"] - 1):
        violation(api, "c1", "spam_fraud", "minor", first + timedelta(days=i))
    before = health(api, "c1")
    assert before["measures"] == [] and before["score"] >= sec["start_score"]
    violation(api, "c1", "spam_fraud", "minor", first + timedelta(days=rule["count"]))
    h = health(api, "c1")
    assert sorted((m["kind"], m["ends_at"]) for m in h["measures"] if m["reason"] == "repeat-spam_fraud") == sorted(
        (m["kind"], None) for m in rule["measures"] if m["days"] is None)
    assert h["band"] == band_of(sec, h["score"]) and h["score"] > max(m["score"] for m in sec["milestones"])


def test_points_model_answers_as_a_shops_health(api):
    # rule CR-7 (points): points by the policy's severities, thresholds start measures, level, warning
    sec = section(api, "tiktok-shop")
    creator(api, "c2", "tiktok-shop")
    vt = next(t for t in sec["violation_types"] if t["type"] == "spam_fraud")
    first = min(sec["thresholds"], key=lambda t: t["points"])
    sev, pts = max(vt["severities"].items(), key=lambda kv: kv[1])
    v = violation(api, "c2", "spam_fraud", sev, T - timedelta(days=3))
    assert (v["points"], v["expires_at"]) == (pts, iso(T - timedelta(days=3) + timedelta(days=sec["expiry_days"])))
    h = health(api, "c2")
    assert (h["model"], h["points"], h["score"], h["band"]) == ("points", pts, None, None)
    assert {"level", "next_threshold", "points_to_next", "warning"} <= set(h)
    if pts >= first["points"]:
        assert {(m["kind"], m["reason"]) for m in h["measures"]} >= {(s["kind"], f"threshold-{first['points']}") for s in first["sanctions"]}
    revoking = [m for m in h["measures"] if m["kind"] == "privilege_revoked"]
    assert all(m["privilege"] for m in revoking)
    over = api.call("POST", "/v1/violations", json={"creator_id": "c2", "type": "spam_fraud", "severity": sev, "points": vt["max_points"] + 1,
                                                    "evidence": EVIDENCE})
    assert over.status_code == 422 and over.json()["errors"][0]["field"] == "points"
    assert len(health(api, "c2")["violations"]) == 1  # nothing stored


def test_appeal_window_and_a_granted_appeal_follow_the_policy(api):
    # rule CR-11: the window is the pack's; granted: the score back, the measures lifted
    sec = section(api, "tiktok-shop-chr")
    creator(api, "c1", "tiktok-shop-chr")
    late = violation(api, "c1", "misleading_promotion", "minor", T - timedelta(days=sec["appeal_days"] + 1))
    body = {"reason": "claim is true", "evidence": [{"kind": "text", "value": "certificate"}]}
    closed = api.call("POST", f"/v1/violations/{late['id']}/appeals", json=body)
    assert closed.status_code == 409 and closed.json()["status"] == 409
    v = violation(api, "c1", "misleading_promotion", "serious", T - timedelta(days=1))
    hit = health(api, "c1")
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json=body)
    assert a.status_code == 201 and a.json()["status"] == "pending" and a.json()["number"] == 1
    assert api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"reason": "x", "evidence": []}).status_code in (409, 422)
    d = api.call("POST", f"/v1/appeals/{a.json()['id']}/decision", api.operator, json={"outcome": "granted", "reason": "registered slogan"})
    assert d.status_code == 200, d.text
    h = health(api, "c1")
    assert h["score"] == hit["score"] + v["deduction"]
    assert [m for m in h["measures"] if m["starts_at"] >= iso(T - timedelta(days=1))] == []
    assert next(x for x in h["violations"] if x["id"] == v["id"])["status"] == "revoked"
    got = api.call("GET", f"/v1/violations/{v['id']}").json()
    assert got["status"] == "revoked" and got["appeals"][0]["outcome"] == "granted"
    kinds = [n["kind"] for n in api.call("GET", "/v1/creators/c1/notices").json()]
    assert "violation" in kinds and "appeal_decision" in kinds


def test_commissions_are_frozen_then_forfeited_to_the_cent_after_the_policys_window(api):
    # rule CR-10
    sec = section(api, "tiktok-shop-chr")
    api.shop("s1")
    creator(api, "c1", "tiktok-shop-chr")
    api.call("PUT", "/v1/products/p1", json={"shop_id": "s1", "title": "纯棉四件套", "category": "home/bedding", "skus": [{"sku_id": "a", "price": 99.0}]})
    r = api.call("PUT", "/v1/content/v1", json={"creator_id": "c1", "kind": "video", "title": "四件套", "products": ["p1"],
                                                "posted_at": iso(T - timedelta(days=10))})
    assert r.status_code == 200, r.text
    for i, amount in enumerate((0.1, 0.2)):  # 0.1 + 0.2 is 0.3 to the cent, not 0.30000000000000004
        o = api.call("POST", "/v1/orders", json={"order_id": f"o{i}", "shop_id": "s1", "product_id": "p1", "buyer_id": f"b{i}",
                                                 "ordered_at": iso(T - timedelta(days=9)), "creator_id": "c1", "content_id": "v1",
                                                 "commission": {"amount": amount, "currency": "USD"}})
        assert o.status_code == 201, o.text
        assert (o.json()["creator_id"], o.json()["content_id"], o.json()["commission"]) == ("c1", "v1", {"amount": amount, "currency": "USD"})
    issued = T - timedelta(days=5)
    violation(api, "c1", "misleading_promotion", "minor", issued, content_id="v1")
    c = health(api, "c1")["commissions"]
    assert (c["frozen"], c["forfeited"], c["currency"]) == (0.3, 0, "USD")
    after = health(api, "c1", issued + timedelta(days=sec["commissions"]["frozen_days"], seconds=1))["commissions"]
    assert (after["frozen"], after["forfeited"]) == (0, 0.3)


def test_an_own_accounts_violation_counts_on_its_shop_as_the_policy_maps_it(api):
    # rule CR-12
    sec = section(api, "tiktok-shop-chr")
    api.shop("s1")
    creator(api, "c1", "tiktok-shop-chr", shop_id="s1")
    cat = next(c for c in sec["categories"] if c["shop_type"])
    v = violation(api, "c1", cat["type"], cat["severities"][0], T - timedelta(days=1))
    assert v["shop_violation_id"]
    shop = api.call("GET", "/v1/shops/s1/health").json()
    assert [x["type"] for x in shop["violations"]] == [cat["shop_type"]]


def test_problems_name_the_field_and_store_nothing(api):
    # rule CR-7, CR-5: API.md's bad input for creators and content
    creator(api, "c1", "tiktok-shop-chr")
    api.shop("s1")
    base = {"type": "spam_fraud", "severity": "minor", "evidence": EVIDENCE}
    for body in (base | {"shop_id": "s1", "creator_id": "c1"}, base):
        r = api.call("POST", "/v1/violations", json=body)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["field"] in ("shop_id", "creator_id")
    wrong = api.call("POST", "/v1/violations", json=base | {"creator_id": "c1", "type": "counterfeit"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "type"
    scored = api.call("POST", "/v1/violations", json=base | {"creator_id": "c1", "points": 3})
    assert scored.status_code == 422 and scored.json()["errors"][0]["field"] == "points"
    assert health(api, "c1")["violations"] == []
    assert api.call("GET", "/v1/creators/nobody/health").status_code == 404
    assert api.call("POST", "/v1/content/nothing/segments", json={"transcript": "hi"}).status_code == 404
    api.call("PUT", "/v1/content/v1", json={"creator_id": "c1", "kind": "video", "title": "x"})
    assert api.call("POST", "/v1/content/v1/segments", json={"transcript": "hi"}).status_code == 409
    creator(api, "c2", "tiktok-shop-chr")
    from shopwarden.service.auth import create_key
    other = {"Authorization": f"Bearer {create_key(api.ctx, 'creator', creator_id='c2')}"}
    assert api.call("GET", "/v1/creators/c1/health", other).status_code == 403
