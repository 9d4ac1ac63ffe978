"""The console's poor-quality determinations queue (DY-QL-3/4): open, appealed and with fraud findings,
each linking to the shop's experience page and to what an operator can do (the ticket's appeal, a fraud
finding recorded on the determination's page while holding its claim); and the seller's experience tab,
shown only where the shop's pack scores one, named as the pack names it, its forecast in each language."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shopwarden.service import after_sales, appeals, poor_quality, products, reviews
from shopwarden.service.shops import put_shop
from tests.web.conftest import Pages
from tests.web.seed import EVIDENCE, PLATFORM


def poor_market(ctx) -> dict:
    """web-d sells a mug that 40 of 80 buyers complained about; a clean peer sells 300: web-d's mug is
    determined of poor quality (DY-QL-3), and the shop limited to 100 orders a day (DY-QL-4)."""
    now = ctx.clock()
    put_shop(ctx, PLATFORM, "web-d2", "同行 Peer", "enterprise", "douyin")
    for shop, n, bad in (("web-d2", 300, 0), ("web-d", 80, 40)):
        products.put(ctx, PLATFORM, f"{shop}-mug", {"shop_id": shop, "title": "马克杯", "category": "home/cups", "skus": [{"sku_id": "k", "price": 9.0}]})
        for i in range(n):
            reviews.post_order(ctx, PLATFORM, {"order_id": f"{shop}-m{i}", "shop_id": shop, "product_id": f"{shop}-mug", "buyer_id": f"b{i}",
                                               "status": "paid", "ordered_at": now - timedelta(days=20, hours=i)})
        for i in range(bad):
            after_sales.post_complaint(ctx, PLATFORM, after_sales.ComplaintInput(f"{shop}-mc{i}", f"{shop}-m{i}", "fake_goods", now - timedelta(days=3)))
    [made] = [d.as_json() for d in poor_quality.determine(ctx, PLATFORM, "web-d", None)[0]]
    return made


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-item="([^"]+)"', html)


def test_the_queue_lists_open_determinations_with_their_evidence_and_links(web_ctx, as_role, seeded):
    # rule DY-QL-4: every determination names the indicator, the industry mean, the counts and the bound
    made = poor_market(web_ctx)
    op = as_role("operator")
    html = op.get("/console/queues/determinations").text
    assert _rows(html) == [made["id"]]
    row = re.search(r'<tr data-item=.*?</tr>', html, re.S).group(0)
    assert 'href="/shop/web-d/experience"' in row and f'href="/console/determinations/{made["id"]}"' in row
    assert "40/80" in row and 'data-measure="order_limit"' in row and 'data-status="open"' in row
    assert _rows(op.get("/console/queues/determinations?status=fraud").text) == []
    assert op.get("/console/queues/determinations?status=nope").status_code == 422
    assert op.get("/shop/web-d/experience").status_code == 200  # the link leads somewhere an operator may go
    counts = dict(re.findall(r'data-queue="([^"]+)".*?data-count="(\d+)"', op.get("/console").text, re.S))
    assert counts["determinations"] == "1"
    assert as_role("seller_a").get("/console/queues/determinations").status_code == 403


def test_an_appealed_determination_links_to_its_appeal(web_ctx, as_role, seeded):
    # rule DY-APL-1: the ticket's appeal is decided in the appeals queue
    made = poor_market(web_ctx)
    appeal = appeals.file(web_ctx, PLATFORM, made["violation_id"], appeals.AppealInput(reason="恶意投诉", evidence=EVIDENCE, filed_at=web_ctx.clock()))
    html = as_role("operator").get("/console/queues/determinations?status=appealed").text
    assert _rows(html) == [made["id"]] and f'href="/console/appeals/{appeal.id}"' in html and 'data-status="appealed"' in html


def test_an_operator_records_fraud_holding_the_claim(web_ctx, as_role, seeded):
    # rule DY-QL-4: an operator's finding of fraud adds compensation to the buyers affected
    made = poor_market(web_ctx)
    op, other = as_role("operator"), as_role("operator2")
    url = f"/console/determinations/{made['id']}"
    page = op.get(url)
    assert page.status_code == 200 and "40/80" in page.text and 'name="amount_per_order"' not in page.text  # claim first
    assert op.post(f"/console/claims/determination/{made['id']}", {"action": "claim"}).status_code == 303
    assert other.post(f"{url}/decision", {"outcome": "intent", "reason": "刷单", "amount_per_order": "20"}).status_code == 409
    bad = op.post(f"{url}/decision", {"outcome": "intent", "reason": "刷单", "amount_per_order": "-3"})
    assert bad.status_code == 422 and "amount_per_order" in bad.text
    assert poor_quality.queue(web_ctx, PLATFORM, "fraud", None, 10) == []  # nothing stored half-way
    done = op.post(f"{url}/decision", {"outcome": "batch_risk", "reason": "同批次质量问题", "amount_per_order": "20"})
    assert done.status_code == 303
    after = op.get(done.headers["location"]).text
    assert "data-decided" in after and "40" in after and "800" in after  # 40 buyers, 20 each
    assert _rows(op.get("/console/queues/determinations?status=fraud").text) == [made["id"]]
    assert _rows(op.get("/console/queues/determinations").text) == []  # no longer open


def _tabs(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="tabs".*?</nav>', html, re.S).group(0)
    return dict(re.findall(r'<a href="(/shop/[^"]+)"[^>]*>([^<]+)</a>', nav))


@pytest.mark.parametrize("lang, douyin, tiktok", [("en", "Experience score", "Shop Performance Score"), ("zh-CN", "体验分", "店铺表现分")])
def test_the_experience_tab_shows_where_the_pack_scores_and_as_it_names_it(web_ctx, seeded, web_app, lang, douyin, tiktok):
    # rule DY-QL-5: the page exists for shops whose pack scores an experience; DY-QL-2: the pack names the score
    put_shop(web_ctx, PLATFORM, "web-s", "Shopee shop", "enterprise", "shopee")
    p = Pages(web_app, seeded.keys["platform"])
    p.get(f"/lang/{lang}?next=/")
    assert _tabs(p.get("/shop/web-d").text)["/shop/web-d/experience"] == douyin
    assert _tabs(p.get("/shop/web-a").text)["/shop/web-a/experience"] == tiktok
    assert "/shop/web-s/experience" not in _tabs(p.get("/shop/web-s").text)
    assert f"<h2>{tiktok} <small>" in p.get("/shop/web-a/experience").text


def test_the_forecast_says_why_in_the_page_s_language(web_ctx, seeded, web_app):
    # rule DY-QL-5: the day each bad order leaves the window, told in Chinese first
    poor_market(web_ctx)
    p = Pages(web_app, seeded.keys["platform"])
    p.get("/lang/en?next=/")
    en = p.get("/shop/web-d/experience").text
    assert re.search(r"<td [^>]*data-why>40 complaints recorded before \d{4}-\d\d-\d\d leave the window</td>", en)
    p.get("/lang/zh-CN?next=/")
    zh = p.get("/shop/web-d/experience").text
    assert re.search(r"<td [^>]*data-why>\d{4}-\d\d-\d\d 之前记录的 40 条投诉将移出统计窗口</td>", zh) and "leave the window" not in zh


def test_the_determinations_queue_in_the_browser(live, browser):
    # rule DY-QL-4: the operator sees the queue, opens a determination and records fraud
    from tests.web.test_web_browser import DESKTOP, shot, sign_in

    base, ctx, seeded = live
    made = poor_market(ctx)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    op = context.new_page()
    sign_in(op, base, seeded.keys["operator"])
    op.goto(f"{base}/console/queues/determinations")
    assert op.locator(f"tr[data-item='{made['id']}'] a[data-experience]").count() == 1
    shot(op, "determinations-queue.png")
    op.click(f"a[href='/console/determinations/{made['id']}']")
    op.wait_for_load_state()
    op.click("#decide form button[type=submit]")  # claim
    op.wait_for_load_state()
    op.check("input[name=outcome][value=batch_risk]")
    op.fill("#amount_per_order", "20")
    op.fill("#reason", "同批次质量问题")
    op.click("#decision-form button[type=submit]")
    op.wait_for_load_state()
    assert op.locator("[data-decided]").count() == 1
    context.close()
