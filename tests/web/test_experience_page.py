"""The 体验分 page in the seller centre (DY-QL-5): the score, each indicator drawn beside the industry
mean, the products pulling it down, the trend and forecast, determinations with their measures."""

from __future__ import annotations

from datetime import timedelta

from shopwarden.service import after_sales, experience, products, reviews
from shopwarden.service.shops import put_shop
from tests.web.conftest import Pages
from tests.web.seed import PLATFORM


def _market(ctx) -> None:
    now = ctx.clock()
    put_shop(ctx, PLATFORM, "web-d2", "同行 Peer", "enterprise", "douyin")
    for shop in ("web-d", "web-d2"):
        products.put(ctx, PLATFORM, f"{shop}-cup", {"shop_id": shop, "title": "马克杯", "category": "home/cups", "skus": [{"sku_id": "k", "price": 9.0}]})
    for shop, n, bad in (("web-d2", 120, 0), ("web-d", 80, 30)):
        for i in range(n):
            reviews.post_order(ctx, PLATFORM, {"order_id": f"{shop}-o{i}", "shop_id": shop, "product_id": f"{shop}-cup", "buyer_id": f"b{i}",
                                               "status": "paid", "ordered_at": now - timedelta(days=20, hours=i)})
        for i in range(bad):
            after_sales.post_complaint(ctx, PLATFORM, after_sales.ComplaintInput(f"{shop}-c{i}", f"{shop}-o{i}", "fake_goods", now - timedelta(days=10)))


def test_the_experience_page_draws_the_indicators_beside_the_industry(web_app, web_ctx, seeded):
    # rule DY-QL-5
    _market(web_ctx)
    p = Pages(web_app, seeded.keys["platform"])
    html = p.get("/shop/web-d/experience").text
    assert 'class="chart bars"' in html and 'data-indicator="complaint_rate"' in html
    assert 'data-product="web-d-cup"' in html and "DY-QL-3" in html
    page = experience.page(web_ctx, PLATFORM, "web-d", None).as_json()
    assert (page["score"] is None) == ('data-no-score' in html)
    p.get("/lang/zh-CN?next=/shop/web-d/experience")
    assert "体验分" in p.get("/shop/web-d/experience").text


def test_a_pack_without_an_experience_score_says_so(web_ctx, as_role):
    put_shop(web_ctx, PLATFORM, "web-s", "Shopee shop", "enterprise", "shopee")  # a pack without an experience section
    html = as_role("platform").get("/shop/web-s/experience").text
    assert "no experience score" in html or "没有体验分" in html
    assert as_role("seller_b").get("/shop/web-a/experience").status_code == 403


def test_the_experience_page_in_the_browser(live, browser):
    # rule DY-QL-5: people would rather look than read
    from tests.web.test_web_browser import DESKTOP, shot, sign_in

    base, ctx, seeded = live
    _market(ctx)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    tab = context.new_page()
    sign_in(tab, base, seeded.keys["platform"])
    tab.goto(f"{base}/shop/web-d/experience")
    assert tab.locator("svg.chart.bars rect.mine").count() >= 4
    shot(tab, "experience-score.png")
    context.close()
