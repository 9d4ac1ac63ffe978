"""A small marketplace for the page tests, written through the service layer at a fixed time:
a TikTok Shop seller under a sanction, a second seller (for isolation), a Douyin shop with a pending
appeal (for the working-day SLA), keys for each role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from shopwarden.service import appeals, products, reviews, shops, violations
from shopwarden.service.auth import Principal, create_key
from shopwarden.service.context import Context

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in Shanghai
PLATFORM = Principal("web-seed", "platform", None)
EVIDENCE = [{"kind": "text", "value": "listing photo shows a copied logo 商品图片含仿冒标识"}]


@dataclass
class Seeded:
    keys: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def _violation(ctx: Context, shop_id: str, vtype: str, severity: str, days_ago: float) -> str:
    body = {"shop_id": shop_id, "type": vtype, "severity": severity, "issued_at": ctx.clock() - timedelta(days=days_ago), "evidence": EVIDENCE}
    return violations.issue(ctx, PLATFORM, violations.ViolationInput(**body)).id


def seed(ctx: Context) -> Seeded:
    out = Seeded()
    shops.put_shop(ctx, PLATFORM, "web-a", "潮流服饰 Trendy Wear", "enterprise", "tiktok-shop")
    shops.put_shop(ctx, PLATFORM, "web-b", "小林数码 Lin Digital", "individual", "tiktok-shop")
    shops.put_shop(ctx, PLATFORM, "web-d", "抖店好物 Douyin Goods", "enterprise", "douyin")
    out.ids["a_counterfeit"] = _violation(ctx, "web-a", "counterfeit", "general", 5)  # 12 points: medium, no campaigns for 30 days
    out.ids["a_chat"] = _violation(ctx, "web-a", "prohibited_customer_communication", "minor", 40)
    out.ids["b_snad"] = _violation(ctx, "web-b", "significantly_not_as_described", "general", 8)
    b_appeal = appeals.file(ctx, PLATFORM, out.ids["b_snad"], appeals.AppealInput(reason="B 店的申诉 the buyer received the right item", evidence=EVIDENCE, filed_at=ctx.clock() - timedelta(days=2)))
    out.ids["b_appeal"] = b_appeal.id
    out.ids["d_diversion"] = _violation(ctx, "web-d", "off_platform_diversion", "general", 3)
    d_appeal = appeals.file(ctx, PLATFORM, out.ids["d_diversion"], appeals.AppealInput(reason="买家主动索要售后电话", evidence=EVIDENCE, filed_at=ctx.clock() - timedelta(days=1)))
    out.ids["d_appeal"] = d_appeal.id
    out.keys = {
        "seller_a": create_key(ctx, "seller", "web-a", label="seller A"),
        "seller_b": create_key(ctx, "seller", "web-b", label="seller B"),
        "operator": create_key(ctx, "operator", label="operator Wang"),
        "operator2": create_key(ctx, "operator", label="operator Li"),
        "platform": create_key(ctx, "platform", label="platform"),
    }
    return out


def review(ctx: Context, shop_id: str, product_id: str, review_id: str, rating: int, text: str, days_ago: float) -> str:
    """An order of `product_id` and its review, posted `days_ago` (the order a day before)."""
    posted = ctx.clock() - timedelta(days=days_ago)
    reviews.post_order(ctx, PLATFORM, {"order_id": f"o-{review_id}", "shop_id": shop_id, "product_id": product_id, "buyer_id": f"buyer-{review_id}",
                                       "ordered_at": posted - timedelta(days=1), "status": "completed"})
    reviews.post_review(ctx, PLATFORM, {"review_id": review_id, "order_id": f"o-{review_id}", "rating": rating, "text": text, "images": [],
                                        "posted_at": posted})
    return review_id


def seed_reviews(ctx: Context, out: Seeded) -> Seeded:
    """Shop A's earphones and three reviews: a recent negative one (reportable, RV-2), a negative one
    past the 30-day window (RV-2) and a positive one (not negative, RV-2)."""
    products.put(ctx, PLATFORM, "a-earphones", {"shop_id": "web-a", "title": "无线蓝牙耳机 降噪", "description": "长续航蓝牙耳机",
                                                "skus": [{"sku_id": "1", "name": "黑色", "price": 199.0, "shipping_fee": 0.0}]})
    out.ids["a_review_bad"] = review(ctx, "web-a", "a-earphones", "rev-a-bad", 1, "差评！不给我返现五十元就不删", 2)
    out.ids["a_review_old"] = review(ctx, "web-a", "a-earphones", "rev-a-old", 1, "音质一般，用了一周就断连", 45)
    out.ids["a_review_good"] = review(ctx, "web-a", "a-earphones", "rev-a-good", 5, "很好用，音质清晰", 3)
    return out


BEDDING = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "description": "100%新疆长绒棉，活性印染，不起球不掉色，四件套含被套床单枕套两个。",
           "brand": "棉之家", "category": "家纺/床上用品", "attributes": {"材质": "纯棉", "尺寸": "1.8m", "件数": "4件"},
           "skus": [{"sku_id": "k1", "name": "1.8m", "price": 199.0, "shipping_fee": 0.0}]}


def seed_console(ctx: Context, out: Seeded, photos: tuple[bytes, bytes], dispute: bool = True) -> Seeded:
    """The console's other queues. A same-product dispute (DY-LQ-4): shop web-e's bedding set is
    banned, web-d's listing of the same set (its own photo) is rejected at the gate and web-d
    disputes the match. A brand qualification (DY-BQ-1): web-d files one for a registered brand, one category
    outside the brand's."""
    from shopwarden.service import bans, brands, images

    shops.put_shop(ctx, PLATFORM, "web-e", "家纺旗舰 Home Textiles", "enterprise", "douyin")
    theirs, _ = images.upload(ctx, PLATFORM, photos[0], "web-e")
    ours, _ = images.upload(ctx, PLATFORM, photos[1], "web-d")
    products.put(ctx, PLATFORM, "e-bedding", BEDDING | {"shop_id": "web-e", "images": [theirs.image_id]})
    bans.ban(ctx, PLATFORM, "e-bedding", bans.BanInput(reason="low_positive_rate", severity="minor", statement="好评率 41%（Wilson 下界 0.33），销量 812"))
    gated = products.put(ctx, PLATFORM, "d-bedding", BEDDING | {"shop_id": "web-d", "title": "新疆长绒棉 四件套 1.8m床 被套 床单 枕套", "images": [ours.image_id]}).as_json()
    assert gated["status"] == "rejected", gated
    seller_d = Principal("seed-seller-d", "seller", "web-d")
    if dispute:
        out.ids["d_dispute"] = bans.dispute(ctx, seller_d, "d-bedding", bans.DisputeInput(banned_product_id="e-bedding", reason="我店商品为新疆棉自有工厂生产，与该店商品不同 our own factory's cotton", evidence=[{"kind": "text", "value": "质检报告 QC-2026-001"}])).id
    brands.put_brand(ctx, PLATFORM, "mianzhijia", brands.BrandInput(name="棉之家", aliases=["Mianzhijia"], restricted=True, registered=True, owner="棉之家纺织有限公司", categories=["家纺"]))
    out.ids["d_qualification"] = brands.file(ctx, seller_d, "web-d", brands.QualificationInput(brand_id="mianzhijia", trademark_no="TM-38211290", mark="R", categories=["家纺/床上用品", "服饰/睡衣"], valid_from=ctx.clock() - timedelta(days=30), valid_to=ctx.clock() + timedelta(days=700))).id
    return out
