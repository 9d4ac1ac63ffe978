"""The creator centre in a real browser (Debian's Chromium through Playwright): a creator whose LIVE
was cut off sees the score drawn with its milestones, the measure and its end, the frozen
commission, opens the violation with the content and the statement of reasons and appeals; an
operator decides content in the creator queue. Screenshots land in docs/screenshots/ under `make screenshots` (CR-13)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from shopwarden.service import content, creators, products, reviews, violations
from shopwarden.service.auth import create_key
from tests.web.seed import PLATFORM
from tests.web.test_web_browser import DESKTOP, no_sideways_scroll, shot, sign_in


def _creator(ctx) -> tuple[str, str]:
    now = ctx.clock()
    creators.put(ctx, PLATFORM, "cr-lin", creators.CreatorInput("林的测评 Lin Reviews", "tiktok-shop-chr"))
    products.put(ctx, PLATFORM, "earbuds", {"shop_id": "web-a", "title": "蓝牙耳机 降噪 长续航", "category": "electronics/audio",
                                            "skus": [{"sku_id": "e1", "name": "黑色", "price": 199.0}]})
    for days, severity in ((40, "general"), (30, "minor"), (20, "minor")):  # 155: the cut LIVE's deduction crosses 150
        violations.issue(ctx, PLATFORM, violations.ViolationInput(creator_id="cr-lin", type="misleading_promotion", severity=severity, issued_at=now - timedelta(days=days), evidence=[{"kind": "text", "value": "全网最低价"}]))
    content.put(ctx, PLATFORM, "live-1", content.ContentInput("cr-lin", "live", now - timedelta(hours=3), title="晚间耳机专场", products=("earbuds",)))
    content.add_segment(ctx, PLATFORM, "live-1", content.SegmentInput(now - timedelta(hours=2, minutes=50), "今天讲讲这款降噪耳机的续航"))
    cut = content.add_segment(ctx, PLATFORM, "live-1", content.SegmentInput(now - timedelta(hours=2, minutes=40), "下单前加我V信 lin8899 返现二十"))
    reviews.post_order(ctx, PLATFORM, {"order_id": "o-live", "shop_id": "web-a", "product_id": "earbuds", "buyer_id": "b9", "status": "completed",
                                       "ordered_at": now - timedelta(hours=2, minutes=45), "creator_id": "cr-lin", "content_id": "live-1",
                                       "commission": {"amount": Decimal("19.90"), "currency": "CNY"}})
    return create_key(ctx, "creator", creator_id="cr-lin"), cut.violation_id


def test_a_creator_sees_the_cut_live_and_appeals_it(live, browser, tab):
    # rule CR-9, CR-10, CR-11, CR-13
    base, ctx, seeded = live
    key, vid = _creator(ctx)
    sign_in(tab, base, key)
    assert "达人中心" in tab.inner_text("main h1")
    assert tab.get_attribute("[data-band]", "data-band") == "unhealthy"
    assert tab.locator("svg.chart polyline.past").count() == 1 and tab.locator("svg.chart line.rule").count() >= 3
    assert tab.get_attribute("#commissions", "data-frozen") == "19.9"
    assert tab.locator("[data-measure=no_recommendation]").count() == 1
    assert no_sideways_scroll(tab)
    shot(tab, "creator-centre.png")
    tab.click(f"a[href='/creator/cr-lin/violations/{vid}']")
    tab.wait_for_load_state()
    assert tab.get_attribute("#content", "data-content") == "live-1"
    tab.fill("#reason", "主播口误，已当场纠正")
    tab.fill("#evidence", "直播回放 02:10")
    tab.click("#appeal-form button[type=submit]")
    tab.wait_for_load_state()
    assert tab.locator("[data-appeal][data-status=pending]").count() == 1


def test_an_operator_decides_content_from_the_creator_queue(live, browser):
    # rule CR-6, CR-9
    base, ctx, seeded = live
    now = ctx.clock()
    creators.put(ctx, PLATFORM, "cr-star", creators.CreatorInput("星星好物 Star Picks", "tiktok-shop-chr"))
    content.put(ctx, PLATFORM, "vid-s", content.ContentInput("cr-star", "video", now - timedelta(hours=1), title="震惊！这副耳机出大事了",
                                                              transcript="速看马上删，这副耳机真的好用"))
    context = browser.new_context(viewport=DESKTOP, locale="en")
    op = context.new_page()
    sign_in(op, base, seeded.keys["operator"])
    op.goto(f"{base}/console/queues/content")
    op.click("a[href='/console/contents/vid-s']")
    op.wait_for_load_state()
    op.click("#decide form button[type=submit]")  # claim
    op.wait_for_load_state()
    op.check("input[name=outcome][value=violation]")
    op.select_option("#severity", "minor")
    op.fill("#reason", "Clickbait that invents an emergency")
    shot(op, "creator-queue.png")
    op.click("#decision-form button[type=submit]")
    op.wait_for_load_state()
    assert op.locator("[data-status=decided]").count() == 1
    context.close()
