"""Copied images through the API (issue 4, part 4, DY-IP): a rights owner's registered image, and an
image another shop showed first, are caught in a listing even cropped and mirrored; a shop re-using
its own image is not."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image
from skimage import data as samples


def _jpeg(rgb: np.ndarray, quality: int = 85) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(out, "JPEG", quality=quality)
    return out.getvalue()


def _upload(api, data: bytes) -> str:
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(data).decode()})
    assert r.status_code in (200, 201), r.text
    return r.json()["image_id"]


def _listing(shop: str, images: list[str]) -> dict:
    return {"shop_id": shop, "title": "宇航员纪念海报 A3", "description": "高清印刷", "category": "home/decor",
            "skus": [{"sku_id": "a", "name": "A3", "price": 39, "shipping_fee": 0}], "images": images}


@pytest.fixture
def shops(api):
    for shop in ("d1", "d2"):
        api.call("PUT", f"/v1/shops/{shop}", json={"name": f"店铺{shop}", "kind": "enterprise", "policy": "douyin"})
    return api


def _ip(body: dict) -> list[dict]:
    return [f for f in body["findings"] if f["rule"] == "DY-IP"]


def test_a_cropped_mirrored_copy_of_a_protected_image_is_not_published(shops):
    api = shops
    original = _upload(api, _jpeg(samples.astronaut()))
    r = api.call("POST", "/v1/protected-images", json={"image_id": original, "owner": "nasa-media", "note": "press kit"})
    assert r.status_code == 201, r.text
    assert api.call("POST", "/v1/protected-images", json={"image_id": original, "owner": "nasa-media"}).status_code == 200
    copy = _upload(api, _jpeg(samples.astronaut()[50:450, 60:470][:, ::-1], 70))

    r = api.call("PUT", "/v1/products/p1?wait=60", json=_listing("d1", [copy]))
    assert r.status_code in (200, 201), r.text
    body = r.json()
    assert body["status"] != "published"
    (finding,) = _ip(body)
    (ev,) = finding["evidence"]
    assert ev["image_id"] == copy and ev["field"] == "images[0].image_id" and len(ev["box"]) == 4
    assert original in finding["explanation"] and "nasa-media" in finding["explanation"]
    assert api.call("GET", f"/v1/protected-images/{original}").json()[0]["owner"] == "nasa-media"


def test_only_platform_and_operators_register_and_only_uploaded_images(shops):
    api = shops
    missing = api.call("POST", "/v1/protected-images", json={"image_id": "0" * 64, "owner": "x"})
    assert missing.status_code == 422 and "POST /v1/images" in missing.text
    image = _upload(api, _jpeg(samples.coffee()))
    seller = api.key("seller", "d1")
    assert api.call("POST", "/v1/protected-images", key=seller, json={"image_id": image, "owner": "d1"}).status_code == 403


def test_first_shown_by_another_shop_is_a_copy_and_own_reuse_is_not(shops):
    api = shops
    photo = _upload(api, _jpeg(samples.coffee()))
    first = api.call("PUT", "/v1/products/p1?wait=60", json=_listing("d1", [photo])).json()
    assert _ip(first) == [] and first["status"] == "published", first

    again = api.call("PUT", "/v1/products/p2?wait=60", json=_listing("d1", [photo])).json()
    assert _ip(again) == [] and again["status"] == "published", again

    recoloured = _upload(api, _jpeg(np.clip(samples.coffee().astype(int) * 1.2 + 10, 0, 255).astype(np.uint8), 50))
    copied = api.call("PUT", "/v1/products/p3?wait=60", json=_listing("d2", [recoloured])).json()
    assert copied["status"] != "published"
    (finding,) = _ip(copied)
    assert photo in finding["explanation"] and "d1" in finding["explanation"]


def test_a_crop_is_found_by_descriptor_votes_among_many_protected_images(shops, monkeypatch):
    """DY-IP at scale: with no PDQ neighbour checked locally, a 30% crop of one of many protected
    images is still found: the descriptor-vote index proposes it for the RANSAC check."""
    from evals import image_eval
    from shopwarden.core.images import copy_index

    api = shops
    monkeypatch.setattr(copy_index, "PDQ_NEIGHBOURS", 0)
    drawn = [image_eval._draw_product(300 + i, 480) for i in range(10)]
    ids = [_upload(api, _jpeg(a)) for a in drawn]
    for i in ids:
        assert api.call("POST", "/v1/protected-images", json={"image_id": i, "owner": "brand-co"}).status_code == 201
    crop = _upload(api, _jpeg(image_eval.crop(drawn[6], 0.3), 80))
    body = api.call("PUT", "/v1/products/p1?wait=60", json=_listing("d1", [crop])).json()
    found = {m for f in _ip(body) for m in ids if m in f["explanation"]}
    assert found == {ids[6]}
