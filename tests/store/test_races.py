"""Every "at most N" rule holds under a burst of simultaneous requests, on SQLite and PostgreSQL:
eight threads, each in its own transaction through the service functions, released together by a
barrier. Exactly the allowed number is stored; every loser gets a Conflict naming the rule."""

from __future__ import annotations

import threading
from datetime import timedelta

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
        except Exception as exc:  # noqa: BLE001 - every outcome is collected and judged by the test
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
    ok, errors = burst(lambda i: report_service.file(ctx, seller, rid, dict(REPORT)))
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
    return violation_service.issue(ctx, platform, body)["id"]


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
    ok, errors = burst(lambda i: appeal_service.file(ctx, seller, violation, appeal_body(i)))
    stored = stored_appeals(ctx, violation)
    assert [a.number for a, _ in stored] == [1] and len(ok) == 1, (len(ok), errors)
    only_conflicts(errors, "TT-APL-3", AppealPending)


def test_tt_apl_1_at_most_two_appeals_under_a_burst(ctx, violation, operator, clock):
    """TT-APL-1: after the first appeal's rejection, eight simultaneous second appeals store one;
    the losers hear that the limit of two is reached."""
    from shopwarden.errors import AppealLimitReached
    from shopwarden.service import appeals as appeal_service

    seller = principal(ctx, "seller", "t1")
    first = appeal_service.file(ctx, seller, violation, appeal_body(0))
    clock.now += timedelta(days=1)
    appeal_service.decide(ctx, operator, first["id"], {"outcome": "rejected", "reason": "the listing shows the item"})
    ok, errors = burst(lambda i: appeal_service.file(ctx, seller, violation, appeal_body(i)))
    stored = stored_appeals(ctx, violation)
    assert [a.number for a, _ in stored] == [1, 2] and len(ok) == 1, (len(ok), errors)
    only_conflicts(errors, "TT-APL-1", AppealLimitReached)


# ---------------------------------------------------------------- decisions are final


def test_appeal_decision_is_final_under_a_burst(ctx, violation, operator):
    """TT-APL-6: eight simultaneous decisions of one appeal store one; seven get AlreadyDecided."""
    from shopwarden.errors import AlreadyDecided
    from shopwarden.service import appeals as appeal_service

    appeal = appeal_service.file(ctx, principal(ctx, "seller", "t1"), violation, appeal_body(0))
    outcomes = ("granted", "rejected")
    ok, errors = burst(lambda i: appeal_service.decide(ctx, operator, appeal["id"], {"outcome": outcomes[i % 2], "reason": f"checked ({i})"}))
    stored = stored_appeals(ctx, violation)
    assert len(ok) == 1 and stored[0][1] is not None and stored[0][1].outcome == ok[0]["status"], (ok, errors)
    only_conflicts(errors, "TT-APL-6", AlreadyDecided)


def test_report_decision_is_final_under_a_burst(ctx, platform, shop, operator):
    """RV-1: a report is decided once; of eight simultaneous decisions one is stored."""
    from shopwarden.errors import AlreadyDecided

    rid = a_review(ctx, platform, 1)
    report = report_service.file(ctx, principal(ctx, "seller", shop), rid, dict(REPORT))
    outcomes = ("granted", "rejected")
    ok, errors = burst(lambda i: report_service.decide(ctx, operator, report["report_id"], {"outcome": outcomes[i % 2], "reason": f"chat read ({i})"}))
    with ctx.db.read() as s:
        _, decision = review_reports.get(s, report["report_id"])
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
    ok, errors = burst(lambda i: case_service.decide(ctx, operator, case_id, bodies[i % 2] | {"reason": f"looked ({i})"}))
    with ctx.db.read() as s:
        _, decision = cases.get(s, case_id)
        issued = violations.of_shop(s, shop)
    assert len(ok) == 1 and decision.reason == ok[0]["reason"], (ok, errors)
    assert len(issued) == (1 if decision.outcome == "violation" else 0)
    only_conflicts(errors, "TT-APL-6", AlreadyDecided)


def test_one_revocation_per_violation_under_a_burst(ctx, violation, operator):
    """TT-APL-5: a violation is revoked once; of eight simultaneous revocations one is stored."""
    from shopwarden.service import violations as violation_service
    from shopwarden.store.revocations import Revocation

    ok, errors = burst(lambda i: violation_service.revoke(ctx, operator, violation, {"reason": f"platform reversal ({i})"}))
    with ctx.db.read() as s:
        stored = s.query(Revocation).filter_by(violation_id=violation).all()
    assert len(stored) == 1 and len(ok) == 1, (ok, errors)
    only_conflicts(errors, "TT-APL-5")
