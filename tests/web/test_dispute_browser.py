"""A same-product dispute end to end in a real browser (Debian's Chromium): web-d's listing was
rejected as the same product as web-e's banned one (DY-LQ-4); the seller disputes the match from
the listing page; an operator finds it in the disputes queue, sees both products side by side,
claims it and upholds it with a reason; the seller sees the listing published again and reads the
reason on the listing and in its inbox."""

from __future__ import annotations

from shopwarden.service.auth import create_key
from tests.images.drawn import jpeg, product_photo
from tests.web.seed import PLATFORM, seed_console
from tests.web.test_console_queues import _striped_sheet
from tests.web.test_web_browser import DESKTOP, no_sideways_scroll, shot, sign_in

REASON = "面料与产地不同，非同款 different fabric and origin"


def test_dy_lq_4_a_seller_disputes_an_operator_upholds_and_the_seller_sees_the_listing_back(live, browser, tab):
    base, ctx, seeded = live
    seed_console(ctx, seeded, (jpeg(product_photo(600, 600, seed=5)), jpeg(_striped_sheet())), dispute=False)
    sign_in(tab, base, create_key(ctx, "seller", "web-d"))
    tab.goto(f"{base}/shop/web-d/listings/d-bedding")
    assert tab.get_attribute("h2 [data-status]", "data-status") == "rejected"
    form = tab.locator("#dispute-form-e-bedding")
    form.locator("textarea[name=reason]").fill("我店商品为新疆棉自有工厂生产 our own factory's cotton")
    form.locator("textarea[name=evidence_text]").fill("质检报告 QC-2026-001")
    form.locator("button[type=submit]").click()
    tab.wait_for_load_state()
    assert tab.get_attribute("[data-banned=e-bedding]", "data-dispute") == "open" and tab.locator(".flash").count() == 1
    assert no_sideways_scroll(tab)
    from shopwarden.service import cases

    [dispute] = [c.id for c in cases.search(ctx, PLATFORM, "open", None, "web-d", 10, subject_kind="match_dispute")]

    op_context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    op = op_context.new_page()
    op.set_default_timeout(15_000)
    sign_in(op, base, seeded.keys["operator"])
    op.click("nav a[href='/console/queues/disputes']")
    op.wait_for_load_state()
    op.locator(f"#queue tr[data-item='{dispute}'] a").first.click()
    op.wait_for_load_state()
    assert "d-bedding" in op.inner_text("#listing") and "e-bedding" in op.inner_text("#banned")
    assert op.locator("#listing img").count() == 1 and op.locator("#banned img").count() == 1
    op.locator("button[value=claim]").click()
    op.wait_for_load_state()
    op.check("input[name=outcome][value=upheld]")
    op.fill("#reason", REASON)
    assert no_sideways_scroll(op)  # both products fit side by side
    shot(op, "dispute.png")
    op.click("#decision-form button[type=submit]")
    op.wait_for_load_state()
    assert op.get_attribute("h1 [data-status]", "data-status") == "decided" and REASON in op.inner_text("[data-decided]")
    op_context.close()

    tab.goto(f"{base}/shop/web-d/listings/d-bedding")
    assert tab.get_attribute("h2 [data-status]", "data-status") == "published"
    assert tab.get_attribute("[data-banned=e-bedding]", "data-dispute") == "decided" and REASON in tab.inner_text("#disputes")
    tab.click("nav a[href='/shop/web-d/notices']")
    tab.wait_for_load_state()
    inbox = tab.inner_text("main")
    assert "同款申诉成立" in inbox and REASON in inbox and "DY-LQ-4" in inbox
    assert no_sideways_scroll(tab)
