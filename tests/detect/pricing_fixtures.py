"""Listings with SKUs for the pricing detectors' tests."""

from __future__ import annotations

from shopwarden.core.detect.base import Subject


def listing(title="商品", *skus, description="", **extra) -> Subject:
    """SKUs as (name, price) or (name, price, shipping_fee) or dicts."""
    rows = []
    for i, sku in enumerate(skus):
        if isinstance(sku, dict):
            rows.append({"sku_id": str(i), **sku})
            continue
        name, price, *fee = sku
        rows.append({"sku_id": str(i), "name": name, "price": price, **({"shipping_fee": fee[0]} if fee else {})})
    return Subject.from_listing({"title": title, "description": description, "skus": rows, **extra}, "s1")
