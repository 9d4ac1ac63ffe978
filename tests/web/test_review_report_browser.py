"""A review report end to end in a real browser (Debian's Chromium) against a real server: a seller
reports a negative review from the shop's review list (RV-2, RV-5); an operator claims the report and
rejects it with a reason (RV-1); the seller sees the rejection and that reason."""

from __future__ import annotations

from tests.web.seed import seed_reviews
from tests.web.test_web_browser import DESKTOP, no_sideways_scroll, sign_in


def test_seller_reports_a_review_an_operator_rejects_it_and_the_seller_sees_why(live, browser, tab):
    base, ctx, seeded = live
    seed_reviews(ctx, seeded)
    sign_in(tab, base, seeded.keys["seller_a"])
    tab.click("nav a[href='/shop/web-a/reviews']")
    tab.wait_for_load_state()
    assert tab.get_attribute("tr[data-review=rev-a-bad]", "data-reportable") == "true"
    assert tab.get_attribute("tr[data-review=rev-a-good] [data-why-not]", "data-why-not") == "not_negative"
    assert tab.get_attribute("tr[data-review=rev-a-old] [data-why-not]", "data-why-not") == "too_old"
    assert no_sideways_scroll(tab)
    tab.click("tr[data-review=rev-a-bad] a[href$='/report']")
    tab.select_option("#kind", "coercive")
    tab.fill("#reason", "买家以差评要挟返现 the buyer demands cash back to delete it")
    tab.fill("#evidence_text", "聊天记录 2026-02-28：给我返现五十就删评")
    tab.click("#report-form button[type=submit]")
    tab.wait_for_load_state()
    assert "举报已提交" in tab.inner_text(".flash")
    assert tab.get_attribute("tr[data-review=rev-a-bad] .report", "data-status") == "pending"

    op_context = browser.new_context(viewport=DESKTOP, locale="en")
    op = op_context.new_page()
    op.set_default_timeout(15_000)
    sign_in(op, base, seeded.keys["operator"])
    op.goto(f"{base}/console/queues/review-reports")
    row = op.locator("#queue tr[data-item]").first
    item_id = row.get_attribute("data-item")
    row.locator("a").first.click()
    op.wait_for_load_state()
    assert "差评！不给我返现五十元就不删" in op.inner_text("#review") and "聊天记录 2026-02-28" in op.inner_text("#report")
    op.locator("button[value=claim]").click()
    op.wait_for_load_state()
    reason = "聊天记录中没有返现要求 the chat shows no cash-back demand"
    op.check("input[name=outcome][value=rejected]")
    op.fill("#reason", reason)
    op.click("#decision-form button[type=submit]")
    op.wait_for_load_state()
    assert op.get_attribute("h1 [data-status]", "data-status") == "rejected" and reason in op.inner_text("[data-decided]")
    op_context.close()

    tab.reload()
    report = tab.locator(f"tr[data-review=rev-a-bad] .report[data-report='{item_id}']")
    assert report.get_attribute("data-status") == "rejected"
    assert reason in report.inner_text() and "RV-1" in report.inner_text()
