"""The small demo marketplace `make run` seeds on a new database: shops at different levels,
violations, a granted and a pending appeal, and three keys to try them with."""

from __future__ import annotations

from datetime import timedelta

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
]


def seed_if_new(ctx: Context, fresh: bool) -> dict | None:
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
            body = {"shop_id": shop_id, "type": vtype, "severity": severity, "issued_at": now - timedelta(days=days),
                    "evidence": [{"kind": "text", "value": "demo evidence 演示证据"}], "note": "demo"}
            issued.setdefault(shop_id, []).append(violations.issue(ctx, SYSTEM, body)["id"])
    _appeals(ctx, issued, now)
    if "douyin" in ctx.packs:
        _scanning(ctx)
    return {
        "platform_key": create_key(ctx, "platform", label="demo platform"),
        "operator_key": create_key(ctx, "operator", label="demo operator"),
        "seller_key": create_key(ctx, "seller", "demo-medium", label="demo seller"),
        "seller_shop": "demo-medium",
        "sample_shop": "demo-medium",
    }


def _scanning(ctx: Context) -> None:
    """A brand registry, a listing the gate rejects (with a rectification task and a case), a
    seller's chat message that diverts buyers, and a brand qualification waiting for review."""
    from shopwarden.service import brands, messages, products

    for brand_id, name, aliases, restricted in (("nike", "Nike", ["耐克"], True), ("dyson", "Dyson", ["戴森"], True), ("midea", "Midea", ["美的"], False)):
        brands.put_brand(ctx, SYSTEM, brand_id, {"name": name, "aliases": aliases, "restricted": restricted, "registered": True, "owner": f"{name} (demo)", "categories": []})
    sku = lambda sid, name, price, fee=0.0: {"sku_id": sid, "name": name, "price": price, "shipping_fee": fee}  # noqa: E731
    products.put(ctx, SYSTEM, "demo-tissue", {"shop_id": "demo-douyin", "title": "原木抽纸 3层加厚 1包", "description": "家用实惠装", "category": "home/paper",
                                             "skus": [sku("t1", "1包", 0.57, 25.0)]})
    products.put(ctx, SYSTEM, "demo-shoe", {"shop_id": "demo-douyin", "title": "耐克 Air 跑鞋 男款 透气", "description": "正品保证", "category": "shoes/running",
                                           "skus": [sku("s41", "41码", 699.0), sku("s42", "42码", 699.0)]})
    products.put(ctx, SYSTEM, "demo-cup", {"shop_id": "demo-douyin", "title": "316不锈钢保温杯 500ml", "description": "办公室学生通用，无品牌", "category": "home/cups",
                                          "skus": [sku("c1", "白色", 59.0), sku("c2", "黑色", 59.0)]})
    messages.post(ctx, SYSTEM, {"shop_id": "demo-douyin", "sender": "seller", "text": "亲，这边下单不方便的话加我薇信 lin_8899，私下转账便宜20"})
    brands.file(ctx, SYSTEM, "demo-douyin", {"brand_id": "nike", "trademark_no": "G12345678", "mark": "R", "categories": ["shoes"],
                                             "valid_from": ctx.clock(), "valid_to": None})


def _appeals(ctx: Context, issued: dict[str, list[str]], now) -> None:
    evidence = [{"kind": "document", "value": "invoice-2026-001.pdf", "note": "品牌授权书 brand authorization"}]
    if len(issued.get("demo-medium", [])) >= 3:
        appeals.file(ctx, SYSTEM, issued["demo-medium"][2], {"reason": "客户主动询问售后电话 the buyer asked for the after-sales line", "evidence": evidence, "filed_at": now - timedelta(days=1)})
    if len(issued.get("demo-high", [])) >= 2:
        a = appeals.file(ctx, SYSTEM, issued["demo-high"][1], {"reason": "the item matched its description", "evidence": evidence, "filed_at": now - timedelta(days=55)})
        appeals.decide(ctx, SYSTEM, a["id"], {"outcome": "granted", "reason": "photos show the delivered item matches the listing", "decided_at": now - timedelta(days=50), "decided_by": "demo-operator"})
