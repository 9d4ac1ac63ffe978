"""Copied images in a creator's content (CR-6, DY-IP): a rights owner's registered image counts; a
listing's own photo does not — showing it is how content promotes the product."""

from __future__ import annotations

from shopwarden.core.detect import DetectContext, Subject
from shopwarden.core.detect.copied_image import CopiedImage, with_image_matches

SHA = "a" * 64


def _match(source: str, **kw) -> dict:
    return {"reference_id": "b" * 64, "source": source, "shop_id": kw.get("shop"), "product_id": "p1" if source == "listing" else None,
            "owner": kw.get("owner"), "note": None, "first_seen_at": "2026-01-01T00:00:00+00:00", "confidence": 0.97, "method": "pdq"}


def _scan(kind: str, match: dict, shop: str | None = None) -> list:
    subject = with_image_matches(Subject(kind, {"title": "开箱"}, shop), [{"image_id": SHA, "matches": [match]}])
    return CopiedImage().detect(subject, DetectContext())


def test_a_listing_photo_in_content_is_no_copy():
    # rule CR-6: an affiliate shows the product's own photos
    assert _scan("content", _match("listing", shop="s1")) == []


def test_a_rights_owners_image_in_content_is_a_copy():
    # rule CR-6 (DY-IP reused)
    found = _scan("content", _match("protected", owner="Brand Co."))
    assert [f.rule for f in found] == ["DY-IP"]


def test_another_shops_listing_photo_in_a_listing_still_is_a_copy():
    # rule DY-IP: unchanged for listings
    assert [f.rule for f in _scan("listing", _match("listing", shop="s2"), shop="s1")] == ["DY-IP"]
