"""A small brand registry and qualification factory for the brand detectors' tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shopwarden.core.brands import Brand, Qualification
from shopwarden.core.detect.base import DetectContext, ShopInfo
from shopwarden.core.detect.brand_index import BrandIndex

AT = datetime(2026, 3, 1, 12, tzinfo=UTC)

BRANDS = (
    Brand("nike", "Nike", ("耐克", "NIKE", "naike"), restricted=True, owner="Nike, Inc."),
    Brand("apple", "Apple", ("苹果", "iPhone", "AirPods"), restricted=False, owner="Apple Inc.", categories=("digital",)),
    Brand(
        "xiaomi",
        "小米",
        ("Xiaomi", "MI", "红米", "Redmi"),
        restricted=False,
        owner="小米科技",
        categories=("digital", "home/appliances"),
    ),
    Brand("huawei", "华为", ("HUAWEI", "Huawei"), restricted=False, owner="华为技术有限公司", categories=("digital",)),
    Brand("midea", "美的", ("Midea",), restricted=False, owner="美的集团"),
    Brand("tianyuan", "天元", ("Tianyuan",), restricted=False, owner="天元商标权利人"),
    Brand("lv", "Louis Vuitton", ("LV", "路易威登"), restricted=True, owner="Louis Vuitton Malletier"),
    Brand("hp", "HP", ("惠普",), restricted=False, owner="HP Inc.", categories=("digital",)),
    Brand("dior", "Dior", ("迪奥",), restricted=True, owner="Christian Dior"),
    Brand("xtep", "特步", ("Xtep",), restricted=False, owner="特步（中国）"),
    Brand("lining", "李宁", ("Li-Ning", "LINING"), restricted=False, owner="李宁（中国）"),
    Brand("samsung", "三星", ("Samsung", "SAMSUNG"), restricted=False, owner="Samsung Electronics"),
    Brand("coach", "Coach", ("蔻驰",), restricted=True, owner="Tapestry", categories=("bags", "apparel/accessories")),
    Brand("shanye", "山野集", ("Shanyeji",), restricted=False, owner=None, registered=False),
)
INDEX = BrandIndex(BRANDS)


def qualification(brand_id="nike", shop_id="s1", status="approved", categories=("shoes",), days_left=100, started=-300, mark="R"):
    """A qualification valid from `started` days before AT until `days_left` after it (None: open)."""
    valid_to = None if days_left is None else AT + timedelta(days=days_left)
    return Qualification(
        f"q-{brand_id}-{status}", shop_id, brand_id, "12345678", mark, categories, AT + timedelta(days=started), valid_to, status
    )


def context(kind="enterprise", *qualifications, shop_id="s1", at=AT, detectors=None) -> DetectContext:
    return DetectContext(
        detectors=detectors or {}, shop=ShopInfo(shop_id, kind), brands=INDEX, qualifications=tuple(qualifications), at=at
    )
