"""Review reports through the pages, in-process on SQLite and PostgreSQL: the seller's reviews page
offers a report only where RV-2..4 allow and says why not otherwise (the service's own checks); the
form needs kind, reason and evidence (RV-5) and a CSRF token; the operator claims and decides with a
reason (RV-1) that the seller then reads."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shopwarden.service import review_reports
from shopwarden.store import review_reports as report_store
from shopwarden.web import i18n
from tests.web.seed import PLATFORM, seed_reviews

REPORT = {"kind": "coercive", "reason": "买家以差评要挟返现 the buyer demands cash back", "evidence_text": "聊天记录：给我返现五十就删评"}


@pytest.fixture
def with_reviews(web_ctx, seeded):
    return seed_reviews(web_ctx, seeded)


def _row(html: str, review_id: str) -> str:
    return re.search(rf'<tr data-review="{review_id}".*?</tr>', html, re.S).group(0)


def test_rv2_rv3_the_reviews_page_offers_a_report_only_where_the_rules_allow(as_role, with_reviews):
    """RV-2: a positive review and one past the 30-day window cannot be reported, and the page says
    which; RV-3: once reported, a review cannot be reported again."""
    p = as_role("seller_a")
    page = p.get("/shop/web-a/reviews")
    assert page.status_code == 200
    bad, old, good = (_row(page.text, with_reviews.ids[k]) for k in ("a_review_bad", "a_review_old", "a_review_good"))
    assert 'data-reportable="true"' in bad and "/reviews/rev-a-bad/report" in bad
    assert 'data-why-not="too_old"' in old and "RV-2" in old and "/report" not in old
    assert 'data-why-not="not_negative"' in good and "RV-2" in good
    r = p.post("/shop/web-a/reviews/rev-a-bad/report", REPORT)
    assert r.status_code == 303 and r.headers["location"] == "/shop/web-a/reviews?done=reported"
    again = _row(p.get("/shop/web-a/reviews").text, "rev-a-bad")
    assert 'data-why-not="reported"' in again and "RV-3" in again and 'data-status="pending"' in again
    assert p.post("/shop/web-a/reviews/rev-a-bad/report", REPORT).status_code == 409


def test_rv5_the_report_form_names_each_missing_field_and_files_nothing(web_ctx, as_role, with_reviews):
    p = as_role("seller_a")
    for missing in ("kind", "reason", "evidence_text"):
        r = p.post("/shop/web-a/reviews/rev-a-bad/report", REPORT | {missing: ""})
        assert r.status_code == 422 and f"<strong>{i18n.translations('zh-CN').gettext(missing)}</strong>" in r.text, missing
    assert p.post("/shop/web-a/reviews/rev-a-bad/report", REPORT | {"kind": "slander"}).status_code == 422
    assert p.post("/shop/web-a/reviews/rev-a-bad/report", REPORT, token="forged").status_code == 403
    assert review_reports.queue(web_ctx, PLATFORM, None, "web-a", 10, 0).reports == ()


def test_rv4_a_blocked_shop_is_told_until_when_and_cannot_report(web_ctx, as_role, with_reviews):
    now = web_ctx.clock()
    with web_ctx.db.transaction() as s:
        report_store.add_action(s, {"action_id": "ra-test", "shop_id": "web-a", "kind": "block", "at": now - timedelta(days=1),
                                    "until": now + timedelta(days=6), "figures": {"decided": 10, "rejected": 9}, "report_id": "rr-earlier",
                                    "policy_version": "1"})
    p = as_role("seller_a")
    page = p.get("/shop/web-a/reviews").text
    assert 'id="reporting-blocked"' in page and 'data-why-not="blocked"' in _row(page, "rev-a-bad")
    assert 'id="report-form"' not in p.get("/shop/web-a/reviews/rev-a-bad/report").text
    r = p.post("/shop/web-a/reviews/rev-a-bad/report", REPORT)
    assert r.status_code == 409 and "RV-4" in r.text


def test_rv1_an_operator_decides_a_claimed_report_with_a_reason_the_seller_reads(web_ctx, as_role, with_reviews):
    seller, op, op2 = as_role("seller_a"), as_role("operator"), as_role("operator2")
    seller.post("/shop/web-a/reviews/rev-a-bad/report", REPORT)
    rid = review_reports.queue(web_ctx, PLATFORM, "pending", "web-a", 10, 0).reports[0].report_id
    queue = op.get("/console/queues/review-reports")
    assert queue.status_code == 200 and f'data-item="{rid}"' in queue.text
    item = f"/console/review_reports/{rid}"
    page = op.get(item).text
    assert REPORT["reason"] in page and REPORT["evidence_text"] in page and "差评！不给我返现五十元就不删" in page and 'id="signals"' in page
    decision = {"outcome": "rejected", "reason": "聊天记录未显示返现要求 no demand in the chat"}
    assert op.post(item + "/decision", decision).status_code == 409  # not claimed
    assert op.post(f"/console/claims/review_report/{rid}", {"action": "claim"}).status_code == 303
    assert op2.post(f"/console/claims/review_report/{rid}", {"action": "claim"}).status_code == 409
    assert op.post(item + "/decision", decision | {"reason": ""}).status_code == 422
    assert op.post(item + "/decision", decision).status_code == 303
    row = _row(seller.get("/shop/web-a/reviews").text, "rev-a-bad")
    assert 'data-status="rejected"' in row and decision["reason"] in row and "RV-1" in row
    assert seller.get(item).status_code == 403


def test_rv5_a_chat_screenshot_is_evidence_enough_and_the_operator_sees_it(web_ctx, as_role, with_reviews):
    """RV-5 asks for evidence: a text, an image (a chat screenshot, stored by the image service with
    its type limits), or both; neither is a 422 naming the field, and a non-image is refused."""
    from tests.images.drawn import png, product_photo

    seller, op = as_role("seller_a"), as_role("operator")
    without = {k: v for k, v in REPORT.items() if k != "evidence_text"}
    r = seller.post("/shop/web-a/reviews/rev-a-bad/report", without)
    assert r.status_code == 422 and "RV-5" in r.text
    r = seller.post("/shop/web-a/reviews/rev-a-bad/report", without, files={"evidence_image": ("chat.png", b"%PDF-1.4 not an image", "image/png")})
    assert r.status_code == 422
    assert review_reports.queue(web_ctx, PLATFORM, None, "web-a", 10, 0).reports == ()
    shot = png(product_photo(320, 480, seed=9))
    r = seller.post("/shop/web-a/reviews/rev-a-bad/report", without, files={"evidence_image": ("chat.png", shot, "image/png")})
    assert r.status_code == 303, r.text
    [report] = review_reports.queue(web_ctx, PLATFORM, "pending", "web-a", 10, 0).reports
    [item] = report.evidence
    assert item["kind"] == "image" and item["note"] == "chat.png"
    assert f'src="/images/{item["value"]}"' in op.get(f"/console/review_reports/{report.report_id}").text
    assert seller.get(f"/images/{item['value']}").status_code == 200 and as_role("seller_b").get(f"/images/{item['value']}").status_code == 404


def test_rv2_a_refusal_in_the_seller_centre_reads_in_chinese_from_its_code(web_ctx, as_role, with_reviews):
    """The page words RV-2's refusal from its code (`review.report_window_closed`) and params, in
    Chinese for a seller and in English after the language switch; the English detail is not shown."""
    p = as_role("seller_a")
    old = with_reviews.ids["a_review_old"]
    r = p.post(f"/shop/web-a/reviews/{old}/report", REPORT)
    assert r.status_code == 409 and "RV-2" in r.text
    assert "评价须在发布后 30 天内举报；该评价的举报期已于" in r.text and "reviews can be reported within" not in r.text
    p.get("/lang/en")
    r = p.post(f"/shop/web-a/reviews/{old}/report", REPORT)
    assert r.status_code == 409 and "reviews can be reported within 30 days of posting; this one&#39;s window closed at" in r.text
