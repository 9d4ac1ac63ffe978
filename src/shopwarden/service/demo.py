"""The small demo marketplace `make run` seeds on a new database: shops at different levels,
violations, a granted and a pending appeal, a rejected listing with its case, a brand
qualification to review, a banned product and a disputed same-product match, and three keys to
try them with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shopwarden.service import appeals, shops, violations
from shopwarden.service.auth import Principal, create_key
from shopwarden.service.context import Context

SYSTEM = Principal("demo-seed", "platform", None)

# (shop_id, name, kind, policy, [(days ago, type, severity)])
SHOPS = [
    ("demo-clean", "清风家居 Breeze Home", "enterprise", "tiktok-shop", [(40, "knockoff", "minor")]),
    ("demo-medium", "小林数码 Lin Digital", "individual", "tiktok-shop", [(50, "prohibited_products", "minor"), (20, "ip_infringement", "general"), (3, "prohibited_customer_communication", "minor")]),
    ("demo-high", "潮流服饰 Trendy Wear", "enterprise", "tiktok-shop", [(90, "counterfeit", "general"), (60, "significantly_not_as_described", "general"), (10, "missing_qualifications", "serious")]),
    ("demo-douyin", "抖店好物 Douyin Goods", "enterprise", "douyin", [(5, "off_platform_diversion", "general"), (2, "unreasonable_pricing", "serious")]),
    ("demo-textile", "棉之家家纺 Cotton Home", "enterprise", "douyin", []),
    # EU (DSA): its sanctions' statements of reasons export to the Transparency Database (GET /v1/statements/export)
    ("demo-eu", "Lindenhaus Home (EU)", "enterprise", "tiktok-shop-eu",
     [(45, "counterfeit", "general"), (20, "prohibited_products", "general"), (4, "ip_infringement", "serious")]),
]


@dataclass(frozen=True, slots=True)
class DemoKeys:
    """The demo marketplace's keys (secrets, shown once) and the shops to try them on."""

    platform_key: str
    operator_key: str
    seller_key: str
    seller_shop: str
    sample_shop: str
    creator_key: str | None
    creator: str | None


def seed_if_new(ctx: Context, fresh: bool) -> DemoKeys | None:
    """Seed only a database that was new before migrating; return the keys and a sample shop."""
    if not fresh:
        return None
    now = ctx.clock()
    issued: dict[str, list[str]] = {}
    for shop_id, name, kind, policy, records in SHOPS:
        if policy not in ctx.packs:
            continue
        shops.put_shop(ctx, SYSTEM, shop_id, name, kind, policy)
        pack = ctx.packs[policy]
        for days, vtype, severity in records:
            if vtype not in pack.types or severity not in pack.types[vtype].severities:
                severity = next(iter(pack.types[vtype].severities)) if vtype in pack.types else severity
            if vtype not in pack.types:
                continue
            body: dict[str, Any] = {"shop_id": shop_id, "type": vtype, "severity": severity, "issued_at": now - timedelta(days=days),
                    "evidence": [{"kind": "text", "value": "demo evidence 演示证据"}], "note": "demo"}
            issued.setdefault(shop_id, []).append(violations.issue(ctx, SYSTEM, violations.ViolationInput(**body)).id)
    _appeals(ctx, issued, now)
    if "demo-medium" in issued:
        _reviews(ctx, now)
    if "demo-eu" in issued:
        _eu_review(ctx, now)
        _eu_notices(ctx, now)
    if "douyin" in ctx.packs:
        _scanning(ctx)
    creator_key = _creators(ctx, now) if "tiktok-shop-chr" in ctx.packs and "demo-medium" in issued else None
    if "douyin" in ctx.packs and ctx.packs["douyin"].experience is not None:
        _poor_quality(ctx, now)
    return DemoKeys(create_key(ctx, "platform", label="demo platform"), create_key(ctx, "operator", label="demo operator"),
                    create_key(ctx, "seller", "demo-medium", label="demo seller"), "demo-medium", "demo-medium",
                    creator_key, "demo-creator-lin" if creator_key else None)


def _poor_quality(ctx: Context, now: datetime) -> None:
    """DY-QL: a cup of demo-douyin's with a complaint on most orders, against demo-textile's clean
    record in the same industry: a poor-quality product (DY-QL-3) and the shop under an order limit (DY-QL-4)."""
    from shopwarden.service import after_sales, poor_quality, products, reviews

    for shop, n, bad in (("demo-textile", 150, 0), ("demo-douyin", 100, 60)):
        products.put(ctx, SYSTEM, f"{shop}-cup", {"shop_id": shop, "title": "陶瓷马克杯 350ml", "category": "home/cups",
                                                  "skus": [{"sku_id": "c1", "name": "白色", "price": 19.9}]})
        for i in range(n):
            paid = now - timedelta(days=30, hours=i)
            reviews.post_order(ctx, SYSTEM, {"order_id": f"{shop}-cup-{i}", "shop_id": shop, "product_id": f"{shop}-cup", "buyer_id": f"buyer-{i}",
                                             "status": "delivered", "ordered_at": paid, "paid_at": paid, "shipped_at": paid + timedelta(hours=20),
                                             "delivered_at": paid + timedelta(days=3)})
        for i in range(bad):
            after_sales.post_complaint(ctx, SYSTEM, after_sales.ComplaintInput(f"{shop}-cup-c{i}", f"{shop}-cup-{i}", "quality", now - timedelta(days=20)))
    poor_quality.determine(ctx, SYSTEM, "demo-douyin", now)


# (creator id, name, shop it is the own account of, [(days ago, type, severity)], quiz credits): one per band
CREATORS = [
    ("demo-creator-star", "星星好物 Star Picks", None, [(30, "misleading_promotion", "minor")], 3),
    ("demo-creator-lin", "林的测评 Lin Reviews", None, [(40, "misleading_promotion", "minor")], 0),
    ("demo-creator-own", "小林数码官方号 Lin Digital Official", "demo-medium", [(25, "spam_fraud", "severe")], 0),
]


def _creators(ctx: Context, now: datetime) -> str:
    """Creators in each health band, a LIVE whose second segment is cut off, an order through content
    with its commission frozen, and a key for the creator in the attention band (CR-5..13)."""
    from decimal import Decimal

    from shopwarden.service import content, creators, products, reviews

    for cid, name, shop_id, records, quizzes in CREATORS:
        creators.put(ctx, SYSTEM, cid, creators.CreatorInput(name, "tiktok-shop-chr", shop_id))
        for i in range(quizzes):
            creators.add_credit(ctx, SYSTEM, cid, creators.CreditInput("quiz", f"demo-quiz-{i}", now - timedelta(days=20 - i)))
        for days, vtype, severity in records:
            violations.issue(ctx, SYSTEM, violations.ViolationInput(creator_id=cid, type=vtype, severity=severity, issued_at=now - timedelta(days=days),
                                                                   evidence=[{"kind": "text", "value": "demo evidence 演示证据"}], note="demo"))
    products.put(ctx, SYSTEM, "demo-earbuds-creator", {"shop_id": "demo-medium", "title": "蓝牙耳机 降噪 长续航", "category": "electronics/audio",
                                                        "skus": [{"sku_id": "e1", "name": "黑色", "price": 199.0}]})
    content.put(ctx, SYSTEM, "demo-video-lin", content.ContentInput("demo-creator-lin", "video", now - timedelta(days=9), title="蓝牙耳机一周实测",
                                                                     transcript="这款耳机续航很长，降噪也不错，想要优惠的加我微信 lin_8899 私聊",
                                                                     products=("demo-earbuds-creator",)))
    content.put(ctx, SYSTEM, "demo-live-lin", content.ContentInput("demo-creator-lin", "live", now - timedelta(hours=3), title="晚间耳机专场",
                                                                    products=("demo-earbuds-creator",)))
    content.add_segment(ctx, SYSTEM, "demo-live-lin", content.SegmentInput(now - timedelta(hours=2, minutes=50), "大家好，今天讲讲这款降噪耳机的续航"))
    content.add_segment(ctx, SYSTEM, "demo-live-lin", content.SegmentInput(now - timedelta(hours=2, minutes=40), "下单前加我V信 lin8899 返现二十"))
    content.put(ctx, SYSTEM, "demo-video-star", content.ContentInput("demo-creator-star", "video", now - timedelta(days=1), title="震惊！这副耳机出大事了",
                                                                      transcript="速看马上删", products=("demo-earbuds-creator",)))
    reviews.post_order(ctx, SYSTEM, {"order_id": "demo-order-creator", "shop_id": "demo-medium", "product_id": "demo-earbuds-creator",
                                     "buyer_id": "demo-buyer-9", "ordered_at": now - timedelta(days=8), "status": "completed",
                                     "creator_id": "demo-creator-lin", "content_id": "demo-video-lin",
                                     "commission": {"amount": Decimal("19.90"), "currency": "CNY"}})
    return create_key(ctx, "creator", label="demo creator", creator_id="demo-creator-lin")


def _scanning(ctx: Context) -> None:
    """A brand registry, a listing the gate rejects (with a rectification task and a case), a
    seller's chat message that diverts buyers, and a brand qualification waiting for review."""
    from shopwarden.service import brands, messages, products

    for brand_id, name, aliases, restricted in (("nike", "Nike", ["耐克"], True), ("dyson", "Dyson", ["戴森"], True), ("midea", "Midea", ["美的"], False)):
        brands.put_brand(ctx, SYSTEM, brand_id, brands.BrandInput(name=name, aliases=aliases, restricted=restricted, registered=True, owner=f"{name} (demo)", categories=[]))
    def sku(sid: str, name: str, price: float, fee: float = 0.0) -> dict[str, Any]:
        return {"sku_id": sid, "name": name, "price": price, "shipping_fee": fee}

    products.put(ctx, SYSTEM, "demo-tissue", {"shop_id": "demo-douyin", "title": "原木抽纸 3层加厚 1包", "description": "家用实惠装", "category": "home/paper",
                                             "skus": [sku("t1", "1包", 0.57, 25.0)]})
    products.put(ctx, SYSTEM, "demo-shoe", {"shop_id": "demo-douyin", "title": "耐克 Air 跑鞋 男款 透气", "description": "正品保证", "category": "shoes/running",
                                           "skus": [sku("s41", "41码", 699.0), sku("s42", "42码", 699.0)]})
    products.put(ctx, SYSTEM, "demo-cup", {"shop_id": "demo-douyin", "title": "316不锈钢保温杯 500ml", "description": "办公室学生通用，无品牌", "category": "home/cups",
                                          "skus": [sku("c1", "白色", 59.0), sku("c2", "黑色", 59.0)]})
    messages.post(ctx, SYSTEM, messages.MessageInput("demo-douyin", "seller", "亲，这边下单不方便的话加我薇信 lin_8899，私下转账便宜20"))
    brands.file(ctx, SYSTEM, "demo-douyin", brands.QualificationInput(brand_id="nike", trademark_no="G12345678", mark="R", categories=["shoes"], valid_from=ctx.clock(), valid_to=None))
    _same_product(ctx)


def _reviews(ctx: Context, now: datetime) -> None:
    """demo-medium's earbuds and their reviews: a recent coercive one-star review it may report
    (RV-2), a good one it may not, and a report already filed and waiting for an operator."""
    from shopwarden.service import products, review_reports, reviews

    products.put(ctx, SYSTEM, "demo-earbuds", {"shop_id": "demo-medium", "title": "无线蓝牙耳机 降噪 长续航", "description": "蓝牙5.3，续航30小时",
                                              "skus": [{"sku_id": "e1", "name": "黑色", "price": 199.0, "shipping_fee": 0.0}]})
    posted = {}
    for review_id, rating, text, days in (("demo-rev-1", 1, "差评！不给我返现五十元就不删", 2), ("demo-rev-2", 5, "音质清晰，降噪效果好，续航很长", 4),
                                         ("demo-rev-3", 1, "垃圾，同行都比你家好，大家去隔壁店买", 3)):
        at = now - timedelta(days=days)
        reviews.post_order(ctx, SYSTEM, {"order_id": f"o-{review_id}", "shop_id": "demo-medium", "product_id": "demo-earbuds", "buyer_id": f"buyer-{review_id}",
                                         "ordered_at": at - timedelta(days=1), "status": "completed"})
        posted[review_id] = reviews.post_review(ctx, SYSTEM, {"review_id": review_id, "order_id": f"o-{review_id}", "rating": rating, "text": text, "images": [], "posted_at": at})
    review_reports.file(ctx, Principal("demo-seed-medium", "seller", "demo-medium"), "demo-rev-3",
                        review_reports.ReportInput("competitor", "评价引导买家去其他店铺，疑似同行恶意差评 steers buyers to a rival shop",
                                                   [{"kind": "text", "value": "该买家账号近30天给5家同类店铺差评 the account left 5 such reviews in 30 days"}]))


def _eu_review(ctx: Context, now: datetime) -> None:
    """demo-eu reports a one-star review that demands cash back; an operator grants it and the review is
    hidden (RV-6), with its statement of reasons (DSA Art. 17)."""
    from shopwarden.service import products, review_reports, reviews

    products.put(ctx, SYSTEM, "demo-eu-lamp", {"shop_id": "demo-eu", "title": "LED desk lamp, dimmable", "description": "USB-C, 3 colour temperatures",
                                              "skus": [{"sku_id": "l1", "name": "white", "price": 29.0, "shipping_fee": 0.0}]})
    at = now - timedelta(days=3)
    reviews.post_order(ctx, SYSTEM, {"order_id": "o-demo-eu-1", "shop_id": "demo-eu", "product_id": "demo-eu-lamp", "buyer_id": "buyer-eu-1",
                                     "ordered_at": at - timedelta(days=2), "status": "completed"})
    reviews.post_review(ctx, SYSTEM, {"review_id": "demo-eu-rev-1", "order_id": "o-demo-eu-1", "rating": 1,
                                      "text": "One star until you refund me 20 euros, then I delete it", "images": [], "posted_at": at})
    filed = review_reports.file(ctx, Principal("demo-seed-eu", "seller", "demo-eu"), "demo-eu-rev-1",
                                review_reports.ReportInput("coercive", "the buyer demands a refund to remove the review",
                                                           [{"kind": "text", "value": "chat: refund 20 euros and I delete the review"}]))
    review_reports.decide(ctx, SYSTEM, filed.report_id, review_reports.ReportDecisionInput("granted", "the chat shows the demand"))


def _eu_notices(ctx: Context, now: datetime) -> None:
    """DSA Art. 16, 22: a trusted flagger's notice on demo-eu's lamp decided with action (a statement, source
    trusted flagger), a rights owner's counterfeit notice waiting in the console's queue, and one decided
    manifestly unfounded (counted for Art. 23)."""
    from shopwarden.service import notices, products

    products.put(ctx, SYSTEM, "demo-eu-sneaker", {"shop_id": "demo-eu", "title": "Running sneakers, breathable", "description": "sizes 38-46",
                                                 "skus": [{"sku_id": "s1", "name": "42", "price": 59.0, "shipping_fee": 0.0}]})
    notices.trust(ctx, SYSTEM, "demo-tf-consumer-watch", "Consumer Watch e.V. (demo)", "Bundesnetzagentur (DE Digital Services Coordinator)",
                  now - timedelta(days=200))
    text = "The lamp's mains adapter lacks the CE marking and is sold as a child's night light."
    filed: list[tuple[str, str, str, str, str, str, str | None, int]] = [
        ("demo-tf-consumer-watch", "trusted_flagger", "demo-eu-lamp", "prohibited_products", "Consumer Watch e.V.", text, "action", 6),
        ("demo-acme-legal", "rights_owner", "demo-eu-sneaker", "counterfeit", "Acme Sports GmbH (demo)",
         "The sneakers carry our registered three-stripe mark; we never made or licensed them.", None, 1),
        ("demo-individual-1", "individual", "demo-eu-lamp", "knockoff", "A. Buyer (demo)",
         "This lamp looks too much like the one I bought elsewhere, surely a copy.", "manifestly_unfounded", 4),
    ]
    for notifier, kind, item, ground, name, explanation, outcome, days in filed:  # each in good faith
        n = notices.file(ctx, SYSTEM, notices.NoticeInput(notifier, kind, "listing", item, ground, name, f"{notifier}@example.com",
                                                          f"https://shop.example/eu/{item}", explanation, True,
                                                          filed_at=now - timedelta(days=days)))
        if outcome is not None:
            notices.decide(ctx, SYSTEM, n["id"], notices.Decision(outcome, "checked against the listing and the product safety rules",
                                                                  "demo-operator", now - timedelta(days=days - 1)))


def _same_product(ctx: Context) -> None:
    """DY-LQ-1..4: demo-textile's bedding set is banned for its positive rate; demo-douyin's listing
    of the same set is stopped at the gate, and demo-douyin disputes the match (the console's
    disputes queue)."""
    from shopwarden.service import bans, products

    bedding = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "description": "100%新疆长绒棉，活性印染，不起球不掉色，四件套含被套床单枕套两个。",
               "brand": "棉之家", "category": "家纺/床上用品", "attributes": {"材质": "纯棉", "尺寸": "1.8m", "件数": "4件"},
               "skus": [{"sku_id": "k1", "name": "1.8m", "price": 199.0, "shipping_fee": 0.0}]}
    products.put(ctx, SYSTEM, "demo-bedding", bedding | {"shop_id": "demo-textile"})
    bans.ban(ctx, SYSTEM, "demo-bedding", bans.BanInput("low_positive_rate", "minor", "好评率 41%（Wilson 下界 0.33），销量 812 positive rate 41%"))
    gated = products.put(ctx, SYSTEM, "demo-bedding-2", bedding | {"shop_id": "demo-douyin", "title": "新疆长绒棉 四件套 1.8m床 被套 床单 枕套"})
    if gated.status == "rejected":
        bans.dispute(ctx, Principal("demo-seed-douyin", "seller", "demo-douyin"), "demo-bedding-2",
                     bans.DisputeInput(banned_product_id="demo-bedding", reason="我店为自有工厂生产，面料与该商品不同 our own factory, a different fabric", evidence=[{"kind": "text", "value": "质检报告 QC-2026-001 test report"}]))


def _appeals(ctx: Context, issued: dict[str, list[str]], now: datetime) -> None:
    evidence = [{"kind": "document", "value": "invoice-2026-001.pdf", "note": "品牌授权书 brand authorization"}]
    if len(issued.get("demo-medium", [])) >= 3:
        appeals.file(ctx, SYSTEM, issued["demo-medium"][2], appeals.AppealInput("客户主动询问售后电话 the buyer asked for the after-sales line", evidence, now - timedelta(days=1)))
    if len(issued.get("demo-high", [])) >= 2:
        a = appeals.file(ctx, SYSTEM, issued["demo-high"][1], appeals.AppealInput("the item matched its description", evidence, now - timedelta(days=55)))
        appeals.decide(ctx, SYSTEM, a.id, appeals.DecisionInput("granted", "photos show the delivered item matches the listing", now - timedelta(days=50), "demo-operator"))
