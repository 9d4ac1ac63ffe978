"""What every operator decision shares (service/decisions.py), through both use cases that use it:
a review case (TT-APL-6) and a review report (RV-1). An unknown item is 404 with its code; the first
decision is final, a second is refused with the item's rule and the decision it met."""

from __future__ import annotations

import pytest

from shopwarden.errors import AlreadyDecided, NotFound
from shopwarden.service import cases, review_reports
from shopwarden.service.auth import Principal
from tests.images.drawn import jpeg, product_photo
from tests.web.seed import EVIDENCE, T0, seed, seed_console, seed_reviews

OPERATOR = Principal("k-op", "operator", None)


def test_tt_apl_6_a_case_is_decided_once(ctx):
    ctx.clock.now = T0
    out = seed_console(ctx, seed(ctx), (jpeg(product_photo(300, 300, seed=5)), jpeg(product_photo(200, 260, seed=8))))
    with pytest.raises(NotFound) as unknown:
        cases.decide(ctx, OPERATOR, "case-none", cases.CaseDecisionInput(outcome="dismiss", reason="x"))
    assert (unknown.value.code, unknown.value.params) == ("not_found", {"what": "case", "id": "case-none"})
    first = cases.decide(ctx, OPERATOR, out.ids["d_dispute"], cases.CaseDecisionInput(outcome="dismiss", reason="the match stands"))
    assert (first.status, first.outcome) == ("decided", "dismiss")
    with pytest.raises(AlreadyDecided) as again:
        cases.decide(ctx, OPERATOR, out.ids["d_dispute"], cases.CaseDecisionInput(outcome="upheld", reason="changed my mind"))
    assert again.value.rule == "TT-APL-6" and f"({first.outcome} at {first.decided_at.isoformat()})" in again.value.detail


def test_rv1_a_review_report_is_decided_once(ctx):
    ctx.clock.now = T0
    ids = seed_reviews(ctx, seed(ctx)).ids
    seller = Principal("k-a", "seller", "web-a")
    filed = review_reports.file(ctx, seller, ids["a_review_bad"], review_reports.ReportInput("coercive", "要挟返现", EVIDENCE))
    with pytest.raises(NotFound) as unknown:
        review_reports.decide(ctx, OPERATOR, "rr-none", review_reports.ReportDecisionInput("rejected", "x"))
    assert unknown.value.params == {"what": "review report", "id": "rr-none"}
    review_reports.decide(ctx, OPERATOR, filed.report_id, review_reports.ReportDecisionInput("granted", "the chat shows the demand"))
    with pytest.raises(AlreadyDecided) as again:
        review_reports.decide(ctx, OPERATOR, filed.report_id, review_reports.ReportDecisionInput("rejected", "x"))
    assert again.value.rule == "RV-1" and again.value.detail.startswith(f"report {filed.report_id} was already decided (granted at ")
