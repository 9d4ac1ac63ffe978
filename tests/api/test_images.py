"""Image uploads (issue 4, step 1): content-addressed, limited, decoded safely; never fetched by URL."""

from __future__ import annotations

import base64
import hashlib
import io

from PIL import Image


def _png(w: int = 64, h: int = 48, color=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (w, h), color).save(buf, "PNG")
    return buf.getvalue()


def test_multipart_and_base64_give_the_same_content_address(api):
    data = _png()
    r = api.client.post("/v1/images", headers=api.platform, files={"file": ("a.png", data, "image/png")})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["image_id"] == hashlib.sha256(data).hexdigest()
    assert (body["media_type"], body["width"], body["height"], body["bytes"]) == ("image/png", 64, 48, len(data))
    again = api.call("POST", "/v1/images", json={"data": base64.b64encode(data).decode()})
    assert again.status_code == 200 and again.json()["image_id"] == body["image_id"] and again.json()["created"] is False
    assert api.call("GET", f"/v1/images/{body['image_id']}").json()["width"] == 64


def test_the_type_is_read_from_the_bytes_not_the_label(api):
    r = api.client.post("/v1/images", headers=api.platform, files={"file": ("x.png", b"GIF89a not really", "image/png")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    assert api.client.post("/v1/images", headers=api.platform, files={"file": ("x.svg", svg, "image/svg+xml")}).status_code == 422


def test_truncated_image_is_refused_and_nothing_is_stored(api):
    data = _png(300, 300)
    cut = data[: len(data) // 2]
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(cut).decode()})
    assert r.status_code == 422 and "damaged" in r.json()["detail"]
    assert api.call("GET", f"/v1/images/{hashlib.sha256(cut).hexdigest()}").status_code == 404


def test_decompression_bomb_is_refused_before_decoding(api):
    # A tiny file that claims 20000 x 20000 pixels: refused from its header alone.
    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(buf.getvalue()).decode()})
    assert r.status_code == 413 and "pixels" in r.json()["detail"]


def test_oversized_upload_is_413(api):
    big = b"\x89PNG" + b"0" * (13 << 20)
    r = api.client.post("/v1/images", headers=api.platform, files={"file": ("big.png", big, "image/png")})
    assert r.status_code == 413


def test_a_url_is_never_fetched(api):
    r = api.call("POST", "/v1/images", json={"data": "https://example.com/a.png"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "data"
    extra = api.call("POST", "/v1/images", json={"data": base64.b64encode(_png()).decode(), "url": "https://example.com/a.png"})
    assert extra.status_code == 422 and extra.json()["errors"][0]["field"] == "url"
