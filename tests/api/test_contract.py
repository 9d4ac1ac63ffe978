"""The API.md contract end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import T0


def test_healthz_and_openapi_need_no_key(api):
    assert api.client.get("/healthz").json() == {"status": "ok"}
    doc = api.client.get("/openapi.json").json()
    for path in ("/v1/shops/{shop_id}", "/v1/policies", "/v1/policies/{policy_id}", "/v1/violations",
                 "/v1/violations/{violation_id}", "/v1/shops/{shop_id}/health", "/v1/violations/{violation_id}/appeals",
                 "/v1/appeals/{appeal_id}/decision", "/v1/shops/{shop_id}/notices"):
        assert path in doc["paths"], path


def test_put_shop_is_idempotent(api):
    body = {"name": "Acme Home", "kind": "enterprise", "policy": "tiktok-shop"}
    first = api.call("PUT", "/v1/shops/s1", json=body)
    again = api.call("PUT", "/v1/shops/s1", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["policy"] == "tiktok-shop"


def test_unknown_policy_is_422_listing_allowed(api):
    r = api.call("PUT", "/v1/shops/s1", json={"name": "x", "kind": "enterprise", "policy": "nope"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "tiktok-shop" in r.json()["errors"][0]["message"]


def test_policies_list_and_pack(api):
    ids = {p["id"] for p in api.call("GET", "/v1/policies").json()}
    assert {"tiktok-shop", "douyin", "shopee"} <= ids
    pack = api.call("GET", "/v1/policies/tiktok-shop").json()
    assert [t["points"] for t in pack["thresholds"]] == [12, 24, 36, 48]
    assert pack["warning_margin"] == 5
    pp = next(t for t in pack["violation_types"] if t["type"] == "prohibited_products")
    assert (pp["min_points"], pp["max_points"]) == (6, 48)
    assert api.call("GET", "/v1/policies/nope").status_code == 404


def test_violation_issue_and_read(api):
    # rule TT-PTS-1 TT-PTS-2
    api.shop()
    v = api.violation(issued_at="2025-12-01T00:00:00Z")
    assert v["points"] == 6 and v["status"] == "active"
    assert v["expires_at"].startswith("2026-05-30")
    got = api.call("GET", f"/v1/violations/{v['id']}?at=2026-06-01T00:00:00Z").json()
    assert got["status"] == "expired" and got["appeals"] == []


def test_violation_type_and_points_validated(api):
    api.shop()
    bad = api.call("POST", "/v1/violations", json={"shop_id": "s1", "type": "nope", "severity": "minor"})
    assert bad.status_code == 422 and "prohibited_products" in bad.json()["detail"]
    out = api.call("POST", "/v1/violations", json={"shop_id": "s1", "type": "prohibited_products", "severity": "minor", "points": 99})
    assert out.status_code == 422 and out.json()["errors"][0]["field"] == "points"
    ok = api.call("POST", "/v1/violations", json={"shop_id": "s1", "type": "prohibited_products", "severity": "minor", "points": 20, "issued_at": "2025-12-01T00:00:00Z"})
    assert ok.status_code == 201 and ok.json()["points"] == 20


def test_health_overview_and_sanctions(api):
    # rule TT-PTS-3 TT-PTS-6
    api.shop()
    for day in ("2025-12-01", "2025-12-02"):
        api.violation(issued_at=f"{day}T00:00:00Z")
    h = api.call("GET", "/v1/shops/s1/health?at=2025-12-03T00:00:00Z").json()
    assert (h["points"], h["level"], h["next_threshold"], h["points_to_next"]) == (12, "medium", 24, 12)
    assert [s["kind"] for s in h["sanctions"]] == ["no_campaigns"]
    assert h["privileges"] == {"campaigns": False, "affiliate": True, "selling": True}
    assert sum(v["points"] for v in h["violations"] if v["status"] == "active") == h["points"]


def test_appeal_granted_restores_privileges(api, clock):
    # rule TT-APL-5 TT-APL-6
    clock.now = datetime(2025, 12, 5, tzinfo=UTC)  # the operator decides at server time
    api.shop()
    api.violation(issued_at="2025-12-01T00:00:00Z")
    v = api.violation(issued_at="2025-12-02T00:00:00Z")
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"filed_at": "2025-12-03T00:00:00Z", "reason": "wrong", "evidence": [{"kind": "text", "value": "invoice"}]})
    assert a.status_code == 201 and a.json()["number"] == 1 and a.json()["status"] == "pending"
    d = api.call("POST", f"/v1/appeals/{a.json()['id']}/decision", key=api.operator,
                 json={"outcome": "granted", "reason": "invoice proves authorization", "decided_by": "agent-7"})
    assert d.status_code == 200, d.text
    after = api.call("GET", "/v1/shops/s1/health?at=2025-12-06T00:00:00Z").json()
    assert after["points"] == 6 and after["sanctions"] == [] and after["privileges"]["campaigns"]
    before = api.call("GET", "/v1/shops/s1/health?at=2025-12-04T00:00:00Z").json()
    assert before["points"] == 12 and before["privileges"]["campaigns"] is False
    kinds = [n["kind"] for n in api.call("GET", "/v1/shops/s1/notices?at=2025-12-06T00:00:00Z").json()]
    assert "appeal_decision" in kinds and "sanction_lifted" in kinds
    assert api.call("GET", f"/v1/violations/{v['id']}?at=2025-12-06T00:00:00Z").json()["status"] == "revoked"


def test_appeal_rules_give_409_and_422(api):
    # rule TT-APL-1 TT-APL-2 TT-APL-3 TT-APL-4
    api.shop()
    v = api.violation(issued_at="2025-12-01T00:00:00Z")
    url = f"/v1/violations/{v['id']}/appeals"
    ev = [{"kind": "text", "value": "proof"}]
    assert api.call("POST", url, json={"filed_at": "2025-12-02T00:00:00Z", "reason": "x"}).status_code == 422
    late = api.call("POST", url, json={"filed_at": "2025-12-31T00:00:01Z", "reason": "x", "evidence": ev})
    assert late.status_code == 409 and late.json()["rule"] == "TT-APL-2"
    first = api.call("POST", url, json={"filed_at": "2025-12-02T00:00:00Z", "reason": "x", "evidence": ev}).json()
    assert api.call("POST", url, json={"filed_at": "2025-12-03T00:00:00Z", "reason": "x", "evidence": ev}).status_code == 409
    api.call("POST", f"/v1/appeals/{first['id']}/decision", json={"outcome": "rejected", "reason": "no proof", "decided_at": "2025-12-04T00:00:00Z"})
    second = api.call("POST", url, json={"filed_at": "2025-12-10T00:00:00Z", "reason": "x", "evidence": ev})
    assert second.status_code == 201 and second.json()["number"] == 2
    api.call("POST", f"/v1/appeals/{second.json()['id']}/decision", json={"outcome": "rejected", "reason": "still no", "decided_at": "2025-12-11T00:00:00Z"})
    third = api.call("POST", url, json={"filed_at": "2025-12-12T00:00:00Z", "reason": "x", "evidence": ev})
    assert third.status_code == 409 and third.json()["rule"] == "TT-APL-1"


def test_decision_is_final(api):
    api.shop()
    v = api.violation()
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"filed_at": "2025-12-02T00:00:00Z", "reason": "x", "evidence": [{"kind": "text", "value": "p"}]}).json()
    body = {"outcome": "rejected", "reason": "no", "decided_at": "2025-12-03T00:00:00Z"}
    assert api.call("POST", f"/v1/appeals/{a['id']}/decision", json=body).status_code == 200
    assert api.call("POST", f"/v1/appeals/{a['id']}/decision", json=body | {"outcome": "granted"}).status_code == 409


def test_keys_and_roles(api):
    api.shop("s1")
    api.shop("s2")
    v2 = api.violation("s2")
    seller = api.key("seller", "s1")
    assert api.call("GET", "/v1/shops/s1/health", key={}).status_code == 401
    assert api.call("GET", "/v1/shops/s1/health", key={"Authorization": "Bearer sw_nope_nope"}).status_code == 401
    assert api.call("GET", "/v1/shops/s1/health", key=seller).status_code == 200
    assert api.call("GET", "/v1/shops/s2/health", key=seller).status_code == 403
    assert api.call("GET", f"/v1/violations/{v2['id']}", key=seller).status_code == 403
    assert api.call("GET", "/v1/shops/s2/notices", key=seller).status_code == 403
    assert api.call("PUT", "/v1/shops/s1", key=seller, json={"name": "x", "kind": "enterprise", "policy": "tiktok-shop"}).status_code == 403
    assert api.call("POST", "/v1/violations", key=seller, json={"shop_id": "s1", "type": "knockoff", "severity": "minor"}).status_code == 403


def test_seller_cannot_backdate_but_platform_can(api, clock):
    api.shop()
    clock.now = T0
    v = api.violation(issued_at=(T0 - timedelta(days=2)).isoformat())
    seller = api.key("seller", "s1")
    url = f"/v1/violations/{v['id']}/appeals"
    ev = [{"kind": "text", "value": "p"}]
    r = api.call("POST", url, key=seller, json={"reason": "x", "evidence": ev, "filed_at": (T0 - timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "filed_at"
    ok = api.call("POST", url, key=seller, json={"reason": "x", "evidence": ev})
    assert ok.status_code == 201 and ok.json()["filed_at"].startswith("2026-01-01")
    future = api.call("POST", "/v1/violations", json={"shop_id": "s1", "type": "knockoff", "severity": "minor", "issued_at": "2030-01-01T00:00:00Z"})
    assert future.status_code == 422


def test_malformed_requests_are_problems_not_500(api):
    api.shop()
    for method, url, kw in [
        ("POST", "/v1/violations", {"content": b"{not json", "headers_extra": {"content-type": "application/json"}}),
        ("GET", "/v1/shops/s1/health?at=yesterday", {}),
        ("GET", "/v1/shops/s1/health?at=2026-01-01T00:00:00", {}),
        ("GET", "/v1/shops/s1/health?at=9999-12-31T23:59:59Z", {}),
        ("PUT", "/v1/shops/s1", {"json": {"name": "", "kind": "x", "policy": 3}}),
    ]:
        headers = dict(api.platform) | kw.pop("headers_extra", {})
        r = api.client.request(method, url, headers=headers, **kw)
        assert r.status_code == 422, (url, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"], r.text


def test_body_limit_is_413(api):
    r = api.client.post(
        "/v1/violations", content=b"x" * (2 << 20), headers=dict(api.platform) | {"content-type": "application/json"})
    assert r.status_code == 413


def test_unknown_ids_are_404(api):
    assert api.call("GET", "/v1/shops/nope/health").status_code == 404
    assert api.call("GET", "/v1/violations/nope").status_code == 404
    assert api.call("POST", "/v1/appeals/nope/decision", json={"outcome": "granted", "reason": "r"}).status_code == 404


def test_a_violation_says_how_and_until_when_to_appeal(api):
    # rule TT-APL-2 TT-APL-3: the statement of reasons carries rule, evidence, policy version and the appeal window
    api.shop()
    v = api.violation(issued_at="2025-12-01T00:00:00Z")
    got = api.call("GET", f"/v1/violations/{v['id']}?at=2025-12-02T00:00:00Z").json()
    assert got["rules"] == ["TT-PTS-1"] and got["policy_version"] and got["evidence"][0]["value"] == "listing text"
    assert got["appeal"]["open"] is True
    assert got["appeal"]["closes_at"].startswith("2025-12-31") and got["appeal"]["remaining"] == 2
    late = api.call("GET", f"/v1/violations/{v['id']}?at=2026-01-05T00:00:00Z").json()["appeal"]
    assert late["open"] is False and late["rule"] == "TT-APL-2" and "closed" in late["why_closed"]
    a = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"filed_at": "2025-12-02T00:00:00Z", "reason": "x", "evidence": [{"kind": "text", "value": "p"}]}).json()
    api.call("POST", f"/v1/appeals/{a['id']}/decision", json={"outcome": "rejected", "reason": "no", "decided_at": "2025-12-04T00:00:00Z"})
    second = api.call("GET", f"/v1/violations/{v['id']}?at=2025-12-05T00:00:00Z").json()["appeal"]
    assert second["open"] and second["next_number"] == 2 and second["closes_at"].startswith("2025-12-19") and second["rule"] == "TT-APL-3"


def test_an_outright_revocation_lifts_sanctions_and_is_told_to_the_seller(api, clock):
    # rule TT-APL-5: a platform or operator reversal works like a granted appeal, with a reason
    api.shop()
    api.violation(issued_at="2025-12-01T00:00:00Z")
    v = api.violation(issued_at="2025-12-02T00:00:00Z")
    seller = api.key("seller", "s1")
    assert api.call("POST", f"/v1/violations/{v['id']}/revocations", key=seller, json={"reason": "x"}).status_code == 403
    bad = api.call("POST", f"/v1/violations/{v['id']}/revocations", json={"reason": "x", "revoked_at": "2025-11-01T00:00:00Z"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "revoked_at"
    r = api.call("POST", f"/v1/violations/{v['id']}/revocations", json={"reason": "自动判罚有误 automatic ticket was wrong", "revoked_at": "2025-12-05T00:00:00Z"})
    assert r.status_code == 201 and r.json()["status"] == "revoked" and r.json()["revocation"]["reason"].startswith("自动")
    assert api.call("POST", f"/v1/violations/{v['id']}/revocations", json={"reason": "again"}).status_code == 409
    after = api.call("GET", "/v1/shops/s1/health?at=2025-12-06T00:00:00Z").json()
    assert after["points"] == 6 and after["privileges"]["campaigns"] is True
    before = api.call("GET", "/v1/shops/s1/health?at=2025-12-04T00:00:00Z").json()
    assert before["privileges"]["campaigns"] is False
    notices = api.call("GET", "/v1/shops/s1/notices?at=2025-12-06T00:00:00Z&lang=zh", key=seller).json()
    revoked = [n for n in notices if n["kind"] == "violation_revoked"]
    assert len(revoked) == 1 and "自动判罚有误" in revoked[0]["body"] and "sanction_lifted" in [n["kind"] for n in notices]
    appeal = api.call("POST", f"/v1/violations/{v['id']}/appeals", json={"filed_at": "2025-12-06T00:00:00Z", "reason": "x", "evidence": [{"kind": "text", "value": "p"}]})
    assert appeal.status_code == 409
