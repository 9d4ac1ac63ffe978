"""`GET /v1/images/{sha256}` and the pages' `/images/{sha256}`: an image's size, dimensions, upload time
and bytes are for platform and operator keys and the sellers of the shops that uploaded it. Any other
seller gets the 404 of an unknown image, so the answer does not tell whether those bytes exist."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from PIL import Image

from shopwarden.errors import NotFound
from shopwarden.service import pages
from shopwarden.service.auth import Principal


def _png(color=(10, 120, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buf, "PNG")
    return buf.getvalue()


def _upload(api, key: dict, data: bytes, expect: int = 201) -> str:
    r = api.client.post("/v1/images", headers=key, files={"file": ("a.png", data, "image/png")})
    assert r.status_code == expect, r.text
    return r.json()["image_id"]


def test_only_the_owners_sellers_and_staff_read_an_image(api):
    api.shop("a"), api.shop("b")
    seller_a, seller_b = api.key("seller", "a"), api.key("seller", "b")
    image = _upload(api, seller_a, _png())
    for key in (seller_a, api.platform, api.operator):
        r = api.call("GET", f"/v1/images/{image}", key)
        assert r.status_code == 200 and r.json()["width"] == 40
    theirs = api.call("GET", f"/v1/images/{image}", seller_b)
    unknown = api.call("GET", f"/v1/images/{hashlib.sha256(b'nothing').hexdigest()}", seller_b)
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json()["title"] == unknown.json()["title"] and "uploaded_at" not in theirs.text


def test_a_shop_that_uploads_the_same_bytes_owns_them_too(api):
    api.shop("a"), api.shop("b")
    seller_a, seller_b = api.key("seller", "a"), api.key("seller", "b")
    image = _upload(api, seller_a, _png((1, 2, 3)))
    assert _upload(api, seller_b, _png((1, 2, 3)), expect=200) == image
    assert api.call("GET", f"/v1/images/{image}", seller_b).status_code == 200


def test_an_image_of_no_shop_is_staff_only(api):
    api.shop("a")
    image = _upload(api, api.platform, _png((9, 9, 9)))
    assert api.call("GET", f"/v1/images/{image}", api.key("seller", "a")).status_code == 404
    assert api.call("GET", f"/v1/images/{image}", api.operator).status_code == 200
    on_behalf = api.call("POST", "/v1/images", json={"data": base64.b64encode(_png((8, 8, 8))).decode(), "shop_id": "a"})
    assert api.call("GET", f"/v1/images/{on_behalf.json()['image_id']}", api.key("seller", "a")).status_code == 200


def test_the_pages_serve_image_bytes_by_the_same_rule(api):
    api.shop("a"), api.shop("b")
    image = _upload(api, api.key("seller", "a"), _png((4, 5, 6)))
    assert pages.image(api.ctx, Principal("k", "seller", "a"), image)[1] == "image/png"
    assert pages.image(api.ctx, Principal("k", "operator", None), image)[1] == "image/png"
    with pytest.raises(NotFound):
        pages.image(api.ctx, Principal("k", "seller", "b"), image)
