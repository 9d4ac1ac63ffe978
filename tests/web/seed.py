"""A small marketplace for the page tests, written through the service layer at a fixed time:
a TikTok Shop seller under a sanction, a second seller (for isolation), a Douyin shop with a pending
appeal (for the working-day SLA), keys for each role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from shopwarden.service import appeals, products, reviews, shops, violations
from shopwarden.service.auth import Principal, create_key
from shopwarden.service.context import Context

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # a Monday, 10:00 in Shanghai
PLATFORM = Principal("web-seed", "platform", None)
EVIDENCE = [{"kind": "text", "value": "listing photo shows a copied logo 商品图片含仿冒标识"}]


@dataclass
class Seeded:
    keys: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def _violation(ctx: Context, shop_id: str, vtype: str, severity: str, days_ago: float) -> str:
    body = {"shop_id": shop_id, "type": vtype, "severity": severity, "issued_at": ctx.clock() - timedelta(days=days_ago), "evidence": EVIDENCE}
    return violations.issue(ctx, PLATFORM, body)["id"]


def seed(ctx: Context) -> Seeded:
    out = Seeded()
    shops.put_shop(ctx, PLATFORM, "web-a", "潮流服饰 Trendy Wear", "enterprise", "tiktok-shop")
    shops.put_shop(ctx, PLATFORM, "web-b", "小林数码 Lin Digital", "individual", "tiktok-shop")
    shops.put_shop(ctx, PLATFORM, "web-d", "抖店好物 Douyin Goods", "enterprise", "douyin")
    out.ids["a_counterfeit"] = _violation(ctx, "web-a", "counterfeit", "general", 5)  # 12 points: medium, no campaigns for 30 days
    out.ids["a_chat"] = _violation(ctx, "web-a", "prohibited_customer_communication", "minor", 40)
    out.ids["b_snad"] = _violation(ctx, "web-b", "significantly_not_as_described", "general", 8)
    b_appeal = appeals.file(ctx, PLATFORM, out.ids["b_snad"], {"reason": "B 店的申诉 the buyer received the right item", "evidence": EVIDENCE,
                                                              "filed_at": ctx.clock() - timedelta(days=2)})
    out.ids["b_appeal"] = b_appeal["id"]
    out.ids["d_diversion"] = _violation(ctx, "web-d", "off_platform_diversion", "general", 3)
    d_appeal = appeals.file(ctx, PLATFORM, out.ids["d_diversion"], {"reason": "买家主动索要售后电话", "evidence": EVIDENCE,
                                                                   "filed_at": ctx.clock() - timedelta(days=1)})
    out.ids["d_appeal"] = d_appeal["id"]
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
