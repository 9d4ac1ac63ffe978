"""The products a content anchors (CR-5), in the listing shape: `data["products"]`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shopwarden.core.detect.base import Subject


def anchored_products(subject: Subject) -> Sequence[Mapping[str, Any]]:
    """The anchored products of a content subject; () for any other subject or none."""
    if subject.kind != "content":
        return ()
    products = subject.data.get("products") or ()
    return tuple(p for p in products if isinstance(p, Mapping))


def category_of(product: Mapping[str, Any]) -> str:
    category = product.get("category")
    return category.strip("/ ").lower() if isinstance(category, str) else ""


def within(category: str, paths: Sequence[str]) -> bool:
    """Whether `category` is one of `paths` or below one ("health/medicine/otc" within "health/medicine")."""
    return any(category == p or category.startswith(p.rstrip("/") + "/") for p in (q.strip("/ ").lower() for q in paths) if p)
