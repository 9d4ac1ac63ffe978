"""A product's industry (DY-QL-2): the first segment of its category path, `home` for `home/cups`."""

from __future__ import annotations

UNKNOWN = "unknown"  # a listing without a category still has peers: the other uncategorised listings


def industry_of(category: str | None) -> str:
    head = (category or "").strip().strip("/").split("/", 1)[0].strip()
    return head[:64] or UNKNOWN
