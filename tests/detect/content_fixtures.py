"""Creator content subjects (CR-5) for the content detectors' tests: anchored products in the
listing shape and a context carrying the tiktok-shop pack's content checks."""

from __future__ import annotations

from functools import lru_cache

from shopwarden.core.detect.base import DetectContext, Subject

PRODUCTS = {
    "cream": {"product_id": "p1", "title": "玻尿酸保湿面霜 50g", "category": "beauty/skincare", "brand": "无品牌",
              "skus": [{"sku_id": "s1", "name": "50g", "price": 89}]},
    "tea": {"product_id": "p2", "title": "菊花枸杞茶 30包", "category": "food/tea", "skus": [{"sku_id": "s1", "name": "30包", "price": 39.9}]},
    "cup": {"product_id": "p3", "title": "316不锈钢保温杯 500ml", "category": "home/kitchen", "skus": [{"sku_id": "s1", "name": "500ml", "price": 59}]},
    "pan": {"product_id": "p4", "title": "麦饭石不粘锅 28cm", "category": "home/kitchen", "skus": [{"sku_id": "s1", "name": "28cm", "price": 129}]},
    "medicine": {"product_id": "p5", "title": "布洛芬缓释胶囊", "category": "medicine/otc", "skus": [{"sku_id": "s1", "name": "20粒", "price": 18}]},
    "serum": {"product_id": "p6", "title": "Vitamin C Brightening Serum 30ml", "category": "beauty/skincare",
              "skus": [{"sku_id": "s1", "name": "30ml", "price": 25.9}]},
}  # fmt: skip


def content(*products: str, kind: str = "video", segment: bool = False, shop_id: str | None = "s1", **fields: str) -> Subject:
    data = {"content_kind": kind, "segment": segment, "products": [PRODUCTS[p] for p in products]}
    return Subject("content", fields, shop_id, data)


@lru_cache(maxsize=1)
def pack_context() -> DetectContext:
    from shopwarden.service.policies import load_builtin_packs

    return DetectContext.from_pack(load_builtin_packs()["tiktok-shop"], allowed_domains=("tiktok.com",))
