"""The transparency report's page (DSA Art. 24) in the console, its standalone file, and its picture."""

from __future__ import annotations

import re
from datetime import timedelta

from shopwarden.service import appeals, notices, products, shops, transparency, violations
from shopwarden.web.transparency import standalone
from tests.web.seed import PLATFORM

EVIDENCE = [{"kind": "text", "value": "the listing"}]


def seed_dsa(ctx) -> None:
    """Two EU shops with measures of several kinds and grounds, notices of each type, complaints decided both ways."""
    now = ctx.clock()
    notices.trust(ctx, PLATFORM, "tf-1", "Consumer Watch e.V.", "Bundesnetzagentur")
    for shop, vtype, sev, note in (("eu-a", "counterfeit", "general", "issued automatically from DY-IP-1"),
                                   ("eu-b", "prohibited_customer_communication", "serious", "case c1 (DY-DV-1): confirmed by an operator"),
                                   ("eu-b", "significantly_not_as_described", "critical", "")):
        shops.put_shop(ctx, PLATFORM, shop, shop, "enterprise", "tiktok-shop-eu")
        v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id=shop, type=vtype, severity=sev, evidence=EVIDENCE, note=note, issued_at=now - timedelta(days=20)))
    a = appeals.file(ctx, PLATFORM, v.id, appeals.AppealInput(reason="the parcel was as listed", evidence=EVIDENCE, filed_at=now - timedelta(days=19)))
    appeals.decide(ctx, PLATFORM, a.id, appeals.DecisionInput(outcome="rejected", reason="photos show another item", decided_by="operator Anna", decided_at=now - timedelta(days=17)))
    for i in range(4):
        products.put(ctx, PLATFORM, f"eu-p{i}", {"shop_id": "eu-a", "title": f"Sneakers {i}", "skus": [{"sku_id": "k", "price": 9.0}]})
    for i, (who, kind, ground, outcome) in enumerate((("acme", "rights_owner", "counterfeit", "action"), ("tf-1", "trusted_flagger", "prohibited_products", "action"),
                                                      ("tf-1", "trusted_flagger", "counterfeit", "action"), ("jo", "individual", "knockoff", "no_action"))):
        n = notices.file(ctx, PLATFORM, notices.NoticeInput(who, kind, "listing", f"eu-p{i}", ground, "Notifier", "n@example.com",
                                                            f"https://shop.example/p/eu-p{i}", "Goods bearing a mark that are not the brand's.", True,
                                                            filed_at=now - timedelta(days=10, hours=i)))
        notices.decide(ctx, PLATFORM, n["id"], notices.Decision(outcome, "checked against the register", "operator Li", now - timedelta(days=9, hours=i * 3)))


def test_the_console_shows_the_report_and_the_cli_file_is_self_contained(web_ctx, as_role, seeded):
    # DSA Art. 24(1): the console page and the standalone file say the same counts
    seed_dsa(web_ctx)
    op = as_role("operator")
    html = op.get("/console/transparency").text
    r = transparency.report(web_ctx, PLATFORM, web_ctx.clock() - timedelta(days=364), web_ctx.clock() + timedelta(days=1)).as_json()
    assert f'data-measures="{r["measures"]["total"]}"' in html and 'data-notices="4"' in html and "<svg" in html
    assert op.get("/console/transparency?from=2026-13-01").status_code == 422
    assert as_role("seller_a").get("/console/transparency").status_code == 403
    for lang, word in (("en", "Transparency report"), ("zh-CN", "透明度报告")):
        page = standalone(r, lang)
        assert word in page and "<style>" in page and "<script" not in page and 'data-notices="4"' in page
    assert re.search(r'data-suspensions="notifier">0<', html)


def test_the_report_in_the_browser(live, browser):
    # DSA Art. 24: the README's picture of the report
    from tests.web.test_web_browser import DESKTOP, shot, sign_in

    base, ctx, seeded = live
    seed_dsa(ctx)
    context = browser.new_context(viewport=DESKTOP, locale="en")
    tab = context.new_page()
    sign_in(tab, base, seeded.keys["operator"])
    tab.goto(f"{base}/console/transparency")
    assert tab.locator("#tr-measures svg").count() >= 3
    shot(tab, "transparency-report.png")
    context.close()
