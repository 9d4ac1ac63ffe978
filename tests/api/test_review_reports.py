"""Sellers' reports of malicious reviews over the API, rule by rule (RULES.md §2, RV-1..RV-6),
with the RV-4 abuse warning, block, refusal and expiry, and the notices the seller reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from shopwarden.core.detect.base import Evidence, Explanation, Finding
from shopwarden.core.reviews import signals

LISTING = {"title": "无线蓝牙耳机 降噪 长续航", "category": "数码/耳机", "skus": [{"sku_id": "k1", "price": 299.0}]}
REPORT = {"kind": "coercive", "reason": "买家要求返现才删差评", "evidence": [{"kind": "chat", "value": "聊天截图：给我返现50就删评", "note": "2026-01-01"}]}


@pytest.fixture
def seller(api):
    api.call("PUT", "/v1/shops/t1", json={"name": "耳机店", "kind": "enterprise", "policy": "tiktok-shop"})
    assert api.call("PUT", "/v1/products/p1", json=LISTING | {"shop_id": "t1"}).status_code == 200
    return api.key("seller", "t1")


def post(api, n: int, rating: int = 1, text: str = "音质很差，用两天就断连") -> str:
    """The n-th order and its review; returns the review id."""
    r = api.call("POST", "/v1/orders", json={"order_id": f"o{n}", "shop_id": "t1", "product_id": "p1", "buyer_id": f"b{n}"})
    assert r.status_code == 201, r.text
    r = api.call("POST", "/v1/reviews", json={"review_id": f"r{n}", "order_id": f"o{n}", "rating": rating, "text": text})
    assert r.status_code == 201, r.text
    return f"r{n}"


def report(api, key, review_id: str, body: dict | None = None):
    return api.call("POST", f"/v1/reviews/{review_id}/reports", key, json=REPORT if body is None else body)


def decide(api, report_id: str, outcome: str, reason: str = "checked the chat") -> dict:
    r = api.call("POST", f"/v1/review-reports/{report_id}/decision", api.operator, json={"outcome": outcome, "reason": reason})
    assert r.status_code == 200, r.text
    return r.json()


def test_rv1_a_report_is_judged_not_granted_by_default(api, seller, monkeypatch):
    """RV-1: even a review every signal flags stays up, counted, until a person grants the report."""
    def strong(review, history, context, encode=None, calibration=None):
        return [Finding("RV-K-2", "coercive_review", "serious", 0.99, Explanation("demands cash back", "索要返现"),
                        (Evidence("text", 0, 2, review.text[:2]),))]

    monkeypatch.setattr(signals, "review_signals", strong)
    rid = post(api, 1)
    filed = report(api, seller, rid)
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert (body["status"], body["decision"], body["kind_rule"]) == ("pending", None, "RV-K-2")
    assert "signals" not in body  # for the operator
    queued = api.call("GET", "/v1/review-reports?status=pending", api.operator).json()["reports"]
    assert [q["report_id"] for q in queued] == [body["report_id"]] and queued[0]["signals"][0]["rule"] == "RV-K-2"
    full = api.call("GET", f"/v1/review-reports/{body['report_id']}", api.operator).json()
    assert full["signals"][0]["score"] == 0.99 and full["evidence"] == REPORT["evidence"] and full["review"]["text"] == "音质很差，用两天就断连"
    assert api.call("GET", f"/v1/reviews/{rid}?view=public").status_code == 200
    assert api.call("GET", "/v1/products/p1/rating").json()["reviews"] == 1
    rejected = decide(api, body["report_id"], "rejected", "a genuine complaint about the product")
    assert rejected["status"] == "rejected" and rejected["review"]["visibility"] == "public" and rejected["reporting"] is None
    assert api.call("GET", f"/v1/reviews/{rid}?view=public").status_code == 200


def test_rv2_only_negative_reviews(api, seller):
    """RV-2: a 3-star review cannot be reported (the pack's negative line is 2 stars)."""
    rid = post(api, 1, rating=3, text="一般般")
    r = report(api, seller, rid)
    assert r.status_code == 409 and r.json()["rule"] == "RV-2" and "rated 2 or less" in r.json()["detail"]
    assert report(api, seller, post(api, 2, rating=2)).status_code == 201


def test_rv2_only_within_30_days_of_posting(api, seller, clock):
    """RV-2 / TIME-1: open while t < posted_at + 30 days."""
    early, late = post(api, 1), post(api, 2)
    clock.now += timedelta(days=30) - timedelta(seconds=1)
    assert report(api, seller, early).status_code == 201
    clock.now += timedelta(seconds=1)
    r = report(api, seller, late)
    assert r.status_code == 409 and r.json()["rule"] == "RV-2" and "closed" in r.json()["detail"]


def test_rv3_each_review_is_reported_once(api, seller):
    """RV-3: a second report is refused, also after the first was rejected; another seller cannot report at all."""
    rid = post(api, 1)
    first = report(api, seller, rid).json()
    again = report(api, seller, rid)
    assert again.status_code == 409 and again.json()["rule"] == "RV-3"
    decide(api, first["report_id"], "rejected")
    assert report(api, seller, rid).json()["rule"] == "RV-3"
    api.call("PUT", "/v1/shops/t2", json={"name": "t2", "kind": "enterprise", "policy": "tiktok-shop"})
    assert report(api, api.key("seller", "t2"), post(api, 2)).status_code == 403


@pytest.mark.parametrize("missing", ["kind", "reason", "evidence"])
def test_rv5_kind_reason_and_evidence_are_required(api, seller, missing):
    """RV-5: say why the review is malicious and carry evidence; nothing is stored otherwise."""
    rid = post(api, 1)
    body = {k: v for k, v in REPORT.items() if k != missing}
    r = report(api, seller, rid, body)
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == [missing]
    assert "RV-5" in r.json()["errors"][0]["message"]
    blank = report(api, seller, rid, REPORT | {"reason": "   ", "evidence": []})
    assert {e["field"] for e in blank.json()["errors"]} == {"reason", "evidence"}
    assert api.call("GET", "/v1/review-reports", api.operator).json()["reports"] == []
    bad_kind = report(api, seller, rid, REPORT | {"kind": "rude"})
    assert bad_kind.status_code == 422 and bad_kind.json()["errors"][0]["field"] == "kind"


def test_rv6_a_granted_report_hides_the_review_from_public_view_and_the_rating(api, seller):
    """RV-6: hidden, not deleted: the product page and the rating drop it; the platform, operators
    and the shop still read it, marked hidden with the reason; the row is append-only."""
    keep, hide = post(api, 1, rating=5, text="音质很好"), post(api, 2)
    before = api.call("GET", "/v1/products/p1/rating").json()
    assert (before["reviews"], before["average"]) == (2, 3.0)
    granted = decide(api, report(api, seller, hide).json()["report_id"], "granted", "chat shows the buyer demanding cash back")
    assert granted["status"] == "granted" and granted["decision"]["rule"] == "RV-6" and granted["review"]["visibility"] == "hidden"
    assert api.call("GET", f"/v1/reviews/{hide}?view=public").status_code == 404
    assert [r["review_id"] for r in api.call("GET", "/v1/products/p1/reviews").json()["reviews"]] == [keep]
    after = api.call("GET", "/v1/products/p1/rating").json()
    assert (after["reviews"], after["hidden"], after["average"], after["histogram"]["1"]) == (1, 1, 5.0, 0)
    for key in (api.platform, api.operator, seller):
        full = api.call("GET", f"/v1/reviews/{hide}", key).json()
        assert full["visibility"] == "hidden" and full["hidden"]["reason"] == "chat shows the buyer demanding cash back"
        assert full["hidden"]["rule"] == "RV-6" and full["text"] == "音质很差，用两天就断连"
    past = api.call("GET", "/v1/products/p1/rating?at=2025-12-31T23:59:59Z").json()
    assert past["hidden"] == 0
    with api.ctx.db.engine.connect() as c, pytest.raises(sa.exc.DBAPIError):
        c.execute(sa.text("DELETE FROM reviews WHERE review_id = :r"), {"r": hide})
    with api.ctx.db.engine.connect() as c, pytest.raises(sa.exc.DBAPIError):
        c.execute(sa.text("DELETE FROM review_hides WHERE review_id = :r"), {"r": hide})


def test_a_decision_is_final_needs_a_reason_and_a_deciding_role(api, seller):
    rid = post(api, 1)
    report_id = report(api, seller, rid).json()["report_id"]
    url = f"/v1/review-reports/{report_id}/decision"
    assert api.call("POST", url, seller, json={"outcome": "granted", "reason": "mine"}).status_code == 403
    no_reason = api.call("POST", url, api.operator, json={"outcome": "granted"})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    decide(api, report_id, "granted")
    twice = api.call("POST", url, api.operator, json={"outcome": "rejected", "reason": "changed my mind"})
    assert twice.status_code == 409 and twice.json()["title"] == "Already decided"
    assert api.call("POST", "/v1/review-reports/nope/decision", api.operator, json={"outcome": "granted", "reason": "x"}).status_code == 404


def test_the_queue_filters_by_status_and_shop_and_sellers_see_their_own(api, seller):
    ids = [report(api, seller, post(api, n)).json()["report_id"] for n in range(3)]
    decide(api, ids[0], "granted")
    decide(api, ids[1], "rejected")
    status = lambda s: [r["report_id"] for r in api.call("GET", f"/v1/review-reports?status={s}", api.operator).json()["reports"]]  # noqa: E731
    assert (status("pending"), status("granted"), status("rejected")) == ([ids[2]], [ids[0]], [ids[1]])
    assert api.call("GET", "/v1/review-reports?shop_id=t9", api.operator).json()["reports"] == []
    mine = api.call("GET", "/v1/review-reports", seller).json()
    assert mine["shop_id"] == "t1" and len(mine["reports"]) == 3 and all("signals" not in r for r in mine["reports"])
    assert api.call("GET", "/v1/review-reports?shop_id=t9", seller).status_code == 403
    assert api.call("GET", "/v1/review-reports?status=lost", api.operator).status_code == 422


def _kinds(api, key, lang: str = "en") -> list[dict]:
    return [n for n in api.call("GET", f"/v1/shops/t1/notices?lang={lang}", key).json() if n["rule"] in ("RV-1", "RV-4", "RV-6")]


def test_rv4_abuse_warns_first_then_blocks_refuses_and_expires(api, seller, clock):
    """RV-4 with tiktok-shop's values (10 decided in 30 days; warned at 60% rejected, blocked 30 days at 80%)."""
    reviews = [post(api, n) for n in range(13)]
    reports = [report(api, seller, r).json()["report_id"] for r in reviews[:12]]
    outcomes = []
    for report_id in reports[:9]:
        clock.now += timedelta(minutes=1)
        outcomes.append(decide(api, report_id, "rejected")["reporting"])
    assert outcomes == [None] * 9  # under the minimum of 10 decided reports
    clock.now += timedelta(minutes=1)
    warned = decide(api, reports[9], "granted")["reporting"]  # 9 of 10 rejected: over 80%, but a warning comes first
    assert warned["kind"] == "warning" and warned["figures"]["rejected"] == 9
    assert (warned["figures"]["decided"], warned["figures"]["share"], warned["until"]) == (10, 0.9, None)
    clock.now += timedelta(minutes=1)
    blocked = decide(api, reports[10], "rejected")["reporting"]
    until = clock.now + timedelta(days=30)
    assert blocked["kind"] == "block" and blocked["figures"]["share"] == pytest.approx(10 / 11, abs=1e-4)
    assert blocked["until"].replace("Z", "+00:00") == until.isoformat()

    refused = report(api, seller, reviews[12])
    assert refused.status_code == 409 and refused.json()["rule"] == "RV-4"
    assert refused.json()["until"] == until.isoformat() and "10 of 11" in refused.json()["detail"]
    assert decide(api, reports[11], "rejected")["reporting"] is None  # pending reports are still decided; a running block is not extended

    notices = _kinds(api, seller)
    warning = next(n for n in notices if n["kind"] == "reporting_warning")
    assert "9 of your 10 review reports" in warning["body"] and "80%" in warning["body"] and warning["policy_version"] == "2025.06"
    block = next(n for n in notices if n["kind"] == "reporting_blocked")
    assert until.strftime("%Y-%m-%d %H:%M") in block["body"] and "10 of your 11" in block["body"]
    assert "近 30 天内已审核的 11 条举报中有 10 条未通过" in block["i18n"]["zh"]["body"]
    assert [n["kind"] for n in notices].count("report_decision") == 12
    assert all(n["violation_id"] is None and n["i18n"]["zh"]["body"] for n in notices)

    clock.now = until - timedelta(seconds=1)
    fresh = post(api, 20)
    assert report(api, seller, fresh).json()["rule"] == "RV-4"  # TIME-1: in force while t < until
    clock.now = until
    assert report(api, seller, fresh).status_code == 201  # the block expired by time
    assert "reporting_restored" in [n["kind"] for n in _kinds(api, seller)]
    assert [n["kind"] for n in _kinds(api, seller)][-1] == "reporting_restored"
    zh = _kinds(api, seller, "zh")
    assert next(n for n in zh if n["kind"] == "reporting_restored")["title"] == "评价举报功能已恢复"


def test_rv4_below_the_warning_share_nothing_happens(api, seller, clock):
    """RV-4: 5 of 10 rejected (50%) is under the 60% warning line."""
    ids = [report(api, seller, post(api, n)).json()["report_id"] for n in range(10)]
    for i, report_id in enumerate(ids):
        clock.now += timedelta(minutes=1)
        assert decide(api, report_id, "rejected" if i % 2 else "granted")["reporting"] is None
    assert report(api, seller, post(api, 11)).status_code == 201


def test_rv4_old_decisions_leave_the_window(api, seller, clock):
    """RV-4: only decisions of the last 30 days count; rejections a month old no longer do."""
    ids = [report(api, seller, post(api, n)).json()["report_id"] for n in range(9)]
    for report_id in ids:
        decide(api, report_id, "rejected")
    clock.now += timedelta(days=31)
    late = [report(api, seller, post(api, 100 + n)).json()["report_id"] for n in range(2)]
    assert [decide(api, r, "rejected")["reporting"] for r in late] == [None, None]  # 2 decided in the window, under 10
