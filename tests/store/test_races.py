"""Every "at most N" rule holds under a burst of simultaneous requests, on SQLite and PostgreSQL:
eight threads, each in its own transaction through the service functions, released together by a
barrier. Exactly the allowed number is stored; every loser gets a Conflict naming the rule."""

from __future__ import annotations

import threading
from datetime import UTC, timedelta

import pytest

from shopwarden.errors import Conflict
from shopwarden.service import review_reports as report_service
from shopwarden.service import reviews as review_service
from shopwarden.service.auth import authenticate, create_key
from shopwarden.service.products import put as put_product
from shopwarden.service.shops import put_shop
from shopwarden.store import review_reports

N = 8
LISTING = {"title": "无线蓝牙耳机 降噪 长续航", "category": "数码/耳机", "skus": [{"sku_id": "k1", "price": 299.0}]}
REPORT = {"kind": "coercive", "reason": "买家要求返现才删差评", "evidence": [{"kind": "chat", "value": "聊天截图：给我返现50就删评"}]}


def burst(fn, n: int = N) -> tuple[list, list[Exception]]:
    """Run `fn(i)` in `n` threads released at once; their results and their errors."""
    gate = threading.Barrier(n)
    results, errors, lock = [], [], threading.Lock()

    def run(i: int) -> None:
        gate.wait()
        try:
            out = fn(i)
        except Exception as exc:
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(out)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def only_conflicts(errors: list[Exception], rule: str, kind: type[Conflict] = Conflict) -> None:
    assert all(isinstance(e, kind) for e in errors), [repr(e) for e in errors]
    assert {e.rule for e in errors} <= {rule}, [e.rule for e in errors]


def principal(ctx, role: str, shop: str | None = None):
    return authenticate(ctx, create_key(ctx, role, shop))


@pytest.fixture
def platform(ctx):
    return principal(ctx, "platform")


@pytest.fixture
def operator(ctx):
    return principal(ctx, "operator")


@pytest.fixture
def shop(ctx, platform):
    put_shop(ctx, platform, "t1", "耳机店", "enterprise", "tiktok-shop")
    put_product(ctx, platform, "p1", LISTING | {"shop_id": "t1"})
    return "t1"


def a_review(ctx, platform, n: int) -> str:
    review_service.post_order(ctx, platform, {"order_id": f"o{n}", "shop_id": "t1", "product_id": "p1", "buyer_id": f"b{n}", "status": "completed"})
    review_service.post_review(ctx, platform, {"review_id": f"r{n}", "order_id": f"o{n}", "rating": 1, "text": "音质很差，用两天就断连", "images": []})
    return f"r{n}"


# ---------------------------------------------------------------- RV-3


def test_rv3_one_report_per_review_under_a_burst(ctx, platform, shop):
    """RV-3: eight simultaneous reports of one review store one; seven get 409 RV-3."""
    seller = principal(ctx, "seller", shop)
    rid = a_review(ctx, platform, 1)
    ok, errors = burst(lambda i: report_service.file(ctx, seller, rid, report_service.ReportInput(**REPORT)))
    with ctx.db.read() as s:
        stored = review_reports.of_review(s, rid)
    assert len(stored) == 1 and len(ok) == 1, (len(stored), len(ok), errors)
    only_conflicts(errors, "RV-3")


# ---------------------------------------------------------------- appeals (TT-APL-1, one pending at a time)

EVIDENCE = [{"kind": "text", "value": "invoice"}]


@pytest.fixture
def violation(ctx, platform, shop):
    from shopwarden.service import violations as violation_service

    body = {"shop_id": shop, "type": "prohibited_products", "severity": "minor", "evidence": [{"kind": "text", "value": "listing text"}]}
    return violation_service.issue(ctx, platform, violation_service.ViolationInput(**body)).id


def appeal_body(i: int) -> dict:
    return {"reason": f"not ours ({i})", "evidence": EVIDENCE}


def stored_appeals(ctx, violation_id: str):
    from shopwarden.store import appeals

    with ctx.db.read() as s:
        return appeals.of_violation(s, violation_id)


def test_one_pending_appeal_under_a_burst(ctx, violation):
    """One appeal at a time (TT-APL-3): eight simultaneous first appeals store one, numbered 1."""
    from shopwarden.errors import AppealPending
    from shopwarden.service import appeals as appeal_service

    seller = principal(ctx, "seller", "t1")
    ok, errors = burst(lambda i: appeal_service.file(ctx, seller, violation, appeal_service.AppealInput(**appeal_body(i))))
    stored = stored_appeals(ctx, violation)
    assert [a.number for a, _ in stored] == [1] and len(ok) == 1, (len(ok), errors)
    only_conflicts(errors, "TT-APL-3", AppealPending)


def test_tt_apl_1_at_most_two_appeals_under_a_burst(ctx, violation, operator, clock):
    """TT-APL-1: after the first appeal's rejection, eight simultaneous second appeals store one;
    the losers hear that the limit of two is reached."""
    from shopwarden.errors import AppealLimitReached
    from shopwarden.service import appeals as appeal_service

    seller = principal(ctx, "seller", "t1")
    first = appeal_service.file(ctx, seller, violation, appeal_service.AppealInput(**appeal_body(0)))
    clock.now += timedelta(days=1)
    appeal_service.decide(ctx, operator, first.id, appeal_service.DecisionInput(outcome="rejected", reason="the listing shows the item"))
    ok, errors = burst(lambda i: appeal_service.file(ctx, seller, violation, appeal_service.AppealInput(**appeal_body(i))))
    stored = stored_appeals(ctx, violation)
    assert [a.number for a, _ in stored] == [1, 2] and len(ok) == 1, (len(ok), errors)
    only_conflicts(errors, "TT-APL-1", AppealLimitReached)


# ---------------------------------------------------------------- decisions are final


def test_appeal_decision_is_final_under_a_burst(ctx, violation, operator):
    """TT-APL-6: eight simultaneous decisions of one appeal store one; seven get AlreadyDecided."""
    from shopwarden.errors import AlreadyDecided
    from shopwarden.service import appeals as appeal_service

    appeal = appeal_service.file(ctx, principal(ctx, "seller", "t1"), violation, appeal_service.AppealInput(**appeal_body(0)))
    outcomes = ("granted", "rejected")
    ok, errors = burst(lambda i: appeal_service.decide(ctx, operator, appeal.id, appeal_service.DecisionInput(outcome=outcomes[i % 2], reason=f"checked ({i})")))
    stored = stored_appeals(ctx, violation)
    assert len(ok) == 1 and stored[0][1] is not None and stored[0][1].outcome == ok[0].status, (ok, errors)
    only_conflicts(errors, "TT-APL-6", AlreadyDecided)


def test_report_decision_is_final_under_a_burst(ctx, platform, shop, operator):
    """RV-1: a report is decided once; of eight simultaneous decisions one is stored."""
    from shopwarden.errors import AlreadyDecided

    rid = a_review(ctx, platform, 1)
    report = report_service.file(ctx, principal(ctx, "seller", shop), rid, report_service.ReportInput(**REPORT))
    outcomes = ("granted", "rejected")
    ok, errors = burst(lambda i: report_service.decide(ctx, operator, report.report_id, report_service.ReportDecisionInput(outcomes[i % 2], f"chat read ({i})")).as_json())
    with ctx.db.read() as s:
        _, decision = review_reports.get(s, report.report_id)
    assert len(ok) == 1 and decision.outcome == ok[0]["status"], (ok, errors)
    only_conflicts(errors, "RV-1", AlreadyDecided)


def a_case(ctx, shop: str, case_id: str = "c1") -> str:
    from shopwarden.store import cases

    with ctx.db.transaction() as s:
        cases.add(s, {"case_id": case_id, "shop_id": shop, "subject_kind": "listing", "subject_id": "p1", "subject_version": 1, "rule": "TT-PRO-1",
                      "detector": "toy", "severity": "minor", "score": 0.9, "finding": {"evidence": []}, "decision": "review", "opened_at": ctx.clock()})
    return case_id


def test_case_decision_is_final_under_a_burst(ctx, shop, operator):
    """A case is decided once: of eight simultaneous decisions (half of them issuing a violation)
    one is stored, and no violation of a losing decision is left behind."""
    from shopwarden.errors import AlreadyDecided
    from shopwarden.service import cases as case_service
    from shopwarden.store import cases, violations

    case_id = a_case(ctx, shop)
    bodies = ({"outcome": "violation", "type": "prohibited_products", "severity": "minor"}, {"outcome": "dismiss"})
    ok, errors = burst(lambda i: case_service.decide(ctx, operator, case_id, case_service.CaseDecisionInput(**bodies[i % 2] | {"reason": f"looked ({i})"})))
    with ctx.db.read() as s:
        _, decision = cases.get(s, case_id)
        issued = violations.of_shop(s, shop)
    assert len(ok) == 1 and decision.reason == ok[0].reason, (ok, errors)
    assert len(issued) == (1 if decision.outcome == "violation" else 0)
    only_conflicts(errors, "TT-APL-6", AlreadyDecided)


def test_one_revocation_per_violation_under_a_burst(ctx, violation, operator):
    """TT-APL-5: a violation is revoked once; of eight simultaneous revocations one is stored."""
    from shopwarden.service import violations as violation_service
    from shopwarden.store.revocations import Revocation

    ok, errors = burst(lambda i: violation_service.revoke(ctx, operator, violation, violation_service.RevocationInput(reason=f"platform reversal ({i})")))
    with ctx.db.read() as s:
        stored = s.query(Revocation).filter_by(violation_id=violation).all()
    assert len(stored) == 1 and len(ok) == 1, (ok, errors)
    only_conflicts(errors, "TT-APL-5")


def test_brand_qualification_review_is_final_under_a_burst(ctx, shop, operator):
    """DY-BQ-1: a qualification's review is its decision; of eight simultaneous reviews one is stored."""
    from datetime import datetime

    from shopwarden.errors import AlreadyDecided
    from shopwarden.service import brands as brand_service
    from shopwarden.store import brands

    platform = principal(ctx, "platform")
    brand_service.put_brand(ctx, platform, "bd1", brand_service.BrandInput(name="棉之家", aliases=[], restricted=False, registered=True, owner=None, categories=[]))
    q = brand_service.file(ctx, platform, shop, brand_service.QualificationInput(brand_id="bd1", trademark_no="TM123456", mark="R", categories=[], valid_from=datetime(2025, 1, 1, tzinfo=UTC), valid_to=None))
    statuses = ("approved", "rejected")
    ok, errors = burst(lambda i: brand_service.review(ctx, operator, q.id, brand_service.QualificationReviewInput(status=statuses[i % 2], reason=f"certificate checked ({i})")))
    with ctx.db.read() as s:
        stored = brands.reviews_of(s, [q.id])[q.id]
    assert len(stored) == 1 and len(ok) == 1 and ok[0].status == stored[0].status, (ok, errors)
    only_conflicts(errors, "DY-BQ-1", AlreadyDecided)


# ---------------------------------------------------------------- RV-4: one warning, then one block


def test_rv4_one_warning_and_one_block_under_a_burst_of_decisions(ctx, platform, shop, operator):
    """RV-4: eight report decisions of one shop decided at once cross the warning and the block
    lines together; the shop gets one warning and one block, as if they came one by one."""
    seller = principal(ctx, "seller", shop)
    reports = [report_service.file(ctx, seller, a_review(ctx, platform, n), report_service.ReportInput(**REPORT)).report_id for n in range(16)]
    for rid in reports[:8]:  # 8 decided, all rejected: under min_reports (10), nothing yet
        assert report_service.decide(ctx, operator, rid, report_service.ReportDecisionInput("rejected", "a genuine complaint")).reporting is None
    ok, errors = burst(lambda i: report_service.decide(ctx, operator, reports[8 + i], report_service.ReportDecisionInput("rejected", "a genuine complaint")))
    assert len(ok) == N, errors
    with ctx.db.read() as s:
        issued = review_reports.actions(s, shop, ctx.clock() + timedelta(days=365))
    assert sorted(a.kind for a in issued) == ["block", "warning"], [(a.kind, a.number) for a in issued]
    assert sorted(r.reporting.kind for r in ok if r.reporting) == ["block", "warning"]


# ---------------------------------------------------------------- product bans and match disputes (DY-LQ-2..4)

BEDDING = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "description": "100%新疆长绒棉，活性印染，不起球不掉色，四件套含被套床单枕套两个。",
           "brand": "棉之家", "category": "家纺/床上用品", "attributes": {"材质": "纯棉", "尺寸": "1.8m", "件数": "4件"},
           "skus": [{"sku_id": "k1", "price": 199.0}]}
BAN = {"reason": "low_positive_rate", "severity": "general", "statement": "好评率 41%（Wilson 下界 0.33），销量 812"}


@pytest.fixture
def douyin(ctx, platform):
    for shop_id in ("d1", "d2"):
        put_shop(ctx, platform, shop_id, f"店铺{shop_id}", "enterprise", "douyin")
    put_product(ctx, platform, "p1", BEDDING | {"shop_id": "d1"})
    return "p1"


def test_one_ban_per_product_under_a_burst(ctx, douyin, operator):
    """DY-LQ-2: eight simultaneous bans of one listing store one ban and one violation."""
    from shopwarden.service import bans as ban_service
    from shopwarden.store import bans, violations

    ok, errors = burst(lambda i: ban_service.ban(ctx, operator, douyin, ban_service.BanInput(**dict(BAN))))
    with ctx.db.read() as s:
        stored, issued = bans.of_product(s, douyin), violations.of_shop(s, "d1")
    assert len(stored) == 1 and len(issued) == 1 and len(ok) == 1, (ok, errors)
    only_conflicts(errors, "DY-LQ-2")


def test_one_open_dispute_per_match_under_a_burst(ctx, douyin, operator, platform):
    """DY-LQ-4: a listing taken down as the same product as a banned one is disputed once at a
    time; of eight simultaneous disputes of that match one case is opened."""
    from shopwarden.errors import AppealPending
    from shopwarden.service import bans as ban_service
    from shopwarden.store import cases

    put_product(ctx, platform, "p3", BEDDING | {"shop_id": "d2", "title": "cotton bedding set 4 pieces 1.8m duvet cover sheet pillowcase", "description": ""})
    assert [s["product_id"] for s in ban_service.ban(ctx, operator, douyin, ban_service.BanInput(**dict(BAN))).as_json()["swept"]] == ["p3"]
    seller = principal(ctx, "seller", "d2")
    ok, errors = burst(lambda i: ban_service.dispute(ctx, seller, "p3", ban_service.DisputeInput(banned_product_id=douyin, reason=f"not the same product ({i})")))
    with ctx.db.read() as s:
        stored = cases.of_subject(s, cases.DISPUTE, "p3")
    assert len(stored) == 1 and len(ok) == 1, (ok, errors)
    only_conflicts(errors, "DY-LQ-4", AppealPending)


# ---------------------------------------------------------------- claims


def test_one_claim_per_queue_item_under_a_burst(ctx, violation):
    """Eight operators claiming one appeal at once: one holds it, seven are told who does."""
    from shopwarden.service import appeals as appeal_service
    from shopwarden.service import claims

    appeal = appeal_service.file(ctx, principal(ctx, "seller", "t1"), violation, appeal_service.AppealInput(**appeal_body(0)))
    operators = [principal(ctx, "operator") for _ in range(N)]
    ok, errors = burst(lambda i: claims.claim(ctx, operators[i], "appeal", appeal.id))
    held = claims.holders(ctx, operators[0], "appeal", [appeal.id])
    assert len(ok) == 1 and held[appeal.id].holder == ok[0].holder, (ok, errors)
    assert all(isinstance(e, Conflict) and "is claimed by" in e.detail for e in errors), errors


# ---------------------------------------------------------------- rectification (DY-FLOW)


def test_an_overdue_task_is_escalated_once_under_concurrent_sweeps(ctx, douyin, platform, clock):
    """DY-FLOW / DY-IP-R: eight sweeps at once escalate an overdue rectification task once and
    issue its violation once; the other sweeps find nothing left to do."""
    from shopwarden.service import rectification as rectification_service
    from shopwarden.store import rectification, violations

    with ctx.db.transaction() as s:
        rectification.add(s, {"task_id": "r1", "shop_id": "d1", "product_id": douyin, "product_version": 1, "rule": "DY-PR",
                               "findings": [{"explanation": "price far above the reference"}], "opened_at": clock.now, "deadline": clock.now + timedelta(days=3)})
    clock.now += timedelta(days=4)
    ok, errors = burst(lambda i: rectification_service.sweep(ctx, platform))
    with ctx.db.read() as s:
        events = rectification.events_of(s, ["r1"])["r1"]
        issued = [v for v in violations.of_shop(s, "d1") if v.type == "unreasonable_pricing"]
    assert not errors, errors
    assert [e.kind for e in events] == ["escalated"] and len(issued) == 1 and sorted(len(r) for r in ok) == [0] * (N - 1) + [1]
    assert events[0].violation_id == issued[0].violation_id


# ---------------------------------------------------------------- one review per order


def test_one_review_per_order_under_a_burst(ctx, platform, shop):
    """One review per order: eight reviews of one order posted at once store one; the same review
    posted eight times at once is one 201 and seven 200s with what was stored."""
    review_service.post_order(ctx, platform, {"order_id": "o1", "shop_id": "t1", "product_id": "p1", "buyer_id": "b1", "status": "completed"})
    ok, errors = burst(lambda i: review_service.post_review(ctx, platform, {"review_id": f"r{i}", "order_id": "o1", "rating": 1, "text": f"差评 {i}", "images": []}))
    assert len(ok) == 1 and all(isinstance(e, Conflict) and "one review per order" in e.detail for e in errors), (ok, errors)
    review_service.post_order(ctx, platform, {"order_id": "o2", "shop_id": "t1", "product_id": "p1", "buyer_id": "b2", "status": "completed"})
    same = {"review_id": "r-same", "order_id": "o2", "rating": 1, "text": "音质很差", "images": []}
    ok, errors = burst(lambda i: review_service.post_review(ctx, platform, dict(same)))
    assert not errors and sorted(code for _, code in ok) == [200] * (N - 1) + [201], errors


def test_a_message_is_scanned_once_under_a_burst(ctx, platform, shop):
    """A chat message posted eight times at once is stored and acted on once; seven are refused."""
    from shopwarden.service import messages as message_service
    from shopwarden.store import violations
    from shopwarden.store.messages import MessageRow

    body = {"message_id": "m1", "shop_id": shop, "sender": "seller", "text": "加我微信 wxid_abc123 便宜20，别在平台下单"}
    ok, errors = burst(lambda i: message_service.post(ctx, platform, message_service.MessageInput(**body)))
    with ctx.db.read() as s:
        stored = s.query(MessageRow).filter_by(message_id="m1").count()
        issued = violations.of_shop(s, shop)
    assert stored == 1 and len(ok) == 1 and len(issued) == len(ok[0].as_json()["violations"]), (ok, errors)
    assert all(isinstance(e, Conflict) and "already scanned" in e.detail for e in errors), errors


def test_an_approval_is_revoked_once_under_a_burst(ctx, shop, operator):
    """DY-BQ-1: an approved qualification can be revoked, once: of eight simultaneous revocations
    one is stored; a rejected one cannot be reviewed again."""
    from datetime import datetime

    from shopwarden.errors import AlreadyDecided
    from shopwarden.service import brands as brand_service
    from shopwarden.store import brands

    platform = principal(ctx, "platform")
    brand_service.put_brand(ctx, platform, "bd1", brand_service.BrandInput(name="棉之家", aliases=[], restricted=False, registered=True, owner=None, categories=[]))
    filed = [brand_service.file(ctx, platform, shop, brand_service.QualificationInput(brand_id="bd1", trademark_no=f"TM12345{n}", mark="R", categories=[], valid_from=datetime(2025, 1, 1, tzinfo=UTC), valid_to=None)).id for n in range(2)]
    brand_service.review(ctx, operator, filed[0], brand_service.QualificationReviewInput(status="approved", reason="certificate checked"))
    ok, errors = burst(lambda i: brand_service.review(ctx, operator, filed[0], brand_service.QualificationReviewInput(status="revoked", reason=f"certificate withdrawn ({i})")))
    with ctx.db.read() as s:
        stored = brands.reviews_of(s, [filed[0]])[filed[0]]
    assert [r.status for r in stored] == ["approved", "revoked"] and len(ok) == 1, (ok, errors)
    only_conflicts(errors, "DY-BQ-1", AlreadyDecided)
    brand_service.review(ctx, operator, filed[1], brand_service.QualificationReviewInput(status="rejected", reason="the certificate is for another class"))
    with pytest.raises(AlreadyDecided):
        brand_service.review(ctx, operator, filed[1], brand_service.QualificationReviewInput(status="approved", reason="second look"))


def test_a_credit_reported_eight_times_at_once_counts_once(ctx, platform):
    # rule CR-7: one credit per thing earned; the daily cap cannot be filled by repeats
    from shopwarden.service import content, creators

    creators.put(ctx, platform, "c-race", creators.CreatorInput("racer", "tiktok-shop-chr"))
    results, errors = burst(lambda i: creators.add_credit(ctx, platform, "c-race", creators.CreditInput("quiz", "quiz-1")))
    assert errors == [] and sorted(created for _, created in results) == [False] * (N - 1) + [True]
    assert len({out.credit_id for out, _ in results}) == 1
    with ctx.db.read() as s:
        from shopwarden.store import creators as store

        assert len(store.credits(s, "c-race")) == 1
    # rule CR-6: content waiting for a person is decided once
    content.put(ctx, platform, "live-race", content.ContentInput("c-race", "live", title="震惊！出大事了"))
    results, errors = burst(lambda i: content.decide(ctx, platform, "live-race", content.DecisionInput("violation" if i % 2 else "dismiss", "decided")))
    assert len(results) == 1 and len(errors) == N - 1
    only_conflicts(errors, "CR-6")


def test_an_appeal_racing_an_outright_revocation_is_refused_once_the_revocation_stands(ctx, violation, operator, monkeypatch):
    # rule TT-APL-5: nothing is left to appeal once revoked; the revocation commits between the appeal's check and its insert
    from shopwarden.service import appeals as appeal_service
    from shopwarden.service import violations as violation_service
    from shopwarden.store import revocations

    real_get = revocations.get
    calls = {"n": 0}

    def revoked_meanwhile(session, violation_id):
        calls["n"] += 1
        if calls["n"] == 1:  # the appeal's first check: not revoked yet; the revocation lands right after it
            violation_service.revoke(ctx, operator, violation_id, violation_service.RevocationInput(reason="wrong ticket"))
            return None
        return real_get(session, violation_id)

    monkeypatch.setattr(revocations, "get", revoked_meanwhile)
    seller = principal(ctx, "seller", "t1")
    with pytest.raises(Conflict) as refused:
        appeal_service.file(ctx, seller, violation, appeal_service.AppealInput(**appeal_body(0)))
    assert "already revoked" in refused.value.detail
    assert stored_appeals(ctx, violation) == []


def test_a_report_racing_an_rv4_block_is_refused_once_the_block_stands(ctx, monkeypatch):
    # rule RV-4: a shop blocked from reporting files nothing; the block is written between the report's check and its insert
    from datetime import timedelta as td

    from shopwarden.service import review_reports as report_service
    from shopwarden.store import review_reports as report_store

    calls = {"n": 0}
    real_active = report_service.active_block

    def block_lands(session, shop_id, at):
        calls["n"] += 1
        if calls["n"] == 1:
            return None  # the first check passes: the block is written after it
        from types import SimpleNamespace

        return real_active(session, shop_id, at) or SimpleNamespace(until=at + td(days=30), figures={"rejected": 9, "decided": 10})

    monkeypatch.setattr(report_service, "active_block", block_lands)
    platform_p = principal(ctx, "platform")
    put_shop(ctx, platform_p, "rs1", "rs1", "enterprise", "tiktok-shop")
    put_product(ctx, platform_p, "rp1", LISTING | {"shop_id": "rs1"})
    review_service.post_order(ctx, platform_p, {"order_id": "ro1", "shop_id": "rs1", "product_id": "rp1", "buyer_id": "rb1",
                                                "ordered_at": ctx.clock() - td(days=2), "status": "completed"})
    review_service.post_review(ctx, platform_p, {"review_id": "rr1", "order_id": "ro1", "rating": 1, "text": "不给返现就差评", "images": [],
                                                 "posted_at": ctx.clock() - td(days=1)})
    seller = principal(ctx, "seller", "rs1")
    with pytest.raises(Conflict) as refused:
        report_service.file(ctx, seller, "rr1", report_service.ReportInput(**REPORT))
    assert refused.value.rule == "RV-4"
    with ctx.db.read() as s:
        assert report_store.of_review(s, "rr1") == []
