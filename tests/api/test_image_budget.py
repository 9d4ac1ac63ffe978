"""A pixel budget per submission (hardening): the images one listing, message or scan names may
declare so many pixels together (scan_limits.max_image_pixels); more is a 413 naming the field, the budget and what was asked,
answered from the stored headers before any image is read, with nothing stored."""

from __future__ import annotations

import base64
import io
from functools import cache

from PIL import Image
from sqlalchemy import func, select

from shopwarden.core.policy.schema import ScanLimits
from shopwarden.store.image_index import IndexEntry
from shopwarden.store.image_texts import ImageTextRow

BUDGET = ScanLimits().max_image_pixels
SIDE = 6000


@cache
def _large(i: int) -> bytes:
    """A distinct 6000 x 6000 PNG of a few KB (the probe's kind: large, flat, small file)."""
    im = Image.new("1", (SIDE, SIDE), 1)
    im.putpixel((i, i), 0)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _upload(api, data: bytes) -> str:
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(data).decode()})
    assert r.status_code in (200, 201), r.text
    return r.json()["image_id"]


def _listing(images: list[str]) -> dict:
    return {"shop_id": "d1", "title": "加厚保温杯 316不锈钢 500ml", "category": "home/cups",
            "skus": [{"sku_id": "a", "name": "500ml 白", "price": 59, "shipping_fee": 0}], "images": images}


def _rows(api, model) -> int:
    with api.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_twenty_large_images_in_one_listing_are_refused_before_any_is_read(api, monkeypatch):
    from shopwarden.service import image_index, image_text

    def never(*a, **k):
        raise AssertionError("an image was decoded for a refused submission")

    api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    ids = [_upload(api, _large(i)) for i in range(20)]
    monkeypatch.setattr(image_text, "decode", never)
    monkeypatch.setattr(image_index, "decode", never)
    r = api.call("PUT", "/v1/products/big", json=_listing(ids))
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json"), r.text
    body = r.json()
    asked = 20 * SIDE * SIDE
    assert (body["field"], body["limit"], body["requested"]) == ("images", BUDGET, asked)
    assert body["errors"][0]["field"] == "images" and f"{asked:,}" in body["detail"] and f"{BUDGET:,}" in body["detail"]
    assert api.call("GET", "/v1/products/big").status_code == 404
    assert _rows(api, ImageTextRow) == 0 and _rows(api, IndexEntry) == 0

    scan = api.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "d1", "text": "看图", "images": ids[:10]})
    assert scan.status_code == 413 and scan.json()["field"] == "images"


def test_within_the_budget_large_images_are_read_once_and_named_again_for_nothing(api, monkeypatch):
    from shopwarden.service import image_text

    api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    ids = [_upload(api, _large(i)) for i in range(3)]
    assert 3 * SIDE * SIDE <= BUDGET
    decodes = []
    real = image_text.decode
    monkeypatch.setattr(image_text, "decode", lambda data, **kw: decodes.append(kw) or real(data, **kw))
    first = api.call("PUT", "/v1/products/p1?wait=60", json=_listing(ids + ids))  # an image named twice counts once
    assert first.status_code == 200, first.text
    if first.json()["images_pending"]:  # over the inline budget: read after the answer
        from shopwarden.service import analysis

        analysis.drain(api.ctx, timeout=300)
    assert len(decodes) == 3 and _rows(api, ImageTextRow) == 3
    again = api.call("PUT", "/v1/products/p1?wait=60", json=_listing(ids))
    assert again.status_code == 200 and len(decodes) == 3  # read before: nothing decoded for the text again


def test_an_unknown_image_is_still_422_not_413(api):
    api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    r = api.call("PUT", "/v1/products/p1", json=_listing(["f" * 64]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "images[0]"


def test_large_images_are_read_after_the_answer_and_the_listing_is_scanned_again(api):
    # hardening: the answer comes before the images are read (scan_limits.inline_image_pixels); the verdict follows
    from shopwarden.service import analysis
    from tests.images.drawn import png, product_photo, with_qr

    api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    big = [_upload(api, _large(i)) for i in range(3)]
    qr = _upload(api, png(with_qr(product_photo(seed=5), "https://weixin.qq.com/r/abc123")))
    first = api.call("PUT", "/v1/products/p1?wait=60", json=_listing(big + [qr]))  # over the budget: waiting does not help
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "pending_review" and set(first.json()["images_pending"]) == set(big + [qr])
    assert first.json()["pending"] == ["image_text", "copied_image"]
    analysis.drain(api.ctx, timeout=300)
    after = api.call("GET", "/v1/products/p1").json()
    assert after["version"] == 2 and after["status"] == "rejected"  # the QR code's diversion, found once the images were read
    assert any(f["rule"] == "DY-DV" for f in after["findings"])
