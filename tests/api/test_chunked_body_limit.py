"""A chunked body (Transfer-Encoding: chunked, no Content-Length) over the limit is a 413 problem, as a
declared one is: JSON routes, the API's multipart image upload and the seller centre's appeal form."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from shopwarden.api.app import MAX_BODY, UPLOAD_BODY, create_app

BOUNDARY = "sw-boundary"


async def _chunks(head: bytes, total: int, size: int = 256 << 10):
    yield head
    sent = len(head)
    while sent < total:
        n = min(size, total - sent)
        yield b"a" * n
        sent += n


def _post(app, url: str, head: bytes, total: int, headers: dict) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            r = await client.post(url, content=_chunks(head, total), headers=headers)
            assert r.request.headers.get("transfer-encoding") == "chunked" and "content-length" not in r.request.headers
            return r

    return asyncio.run(go())


def _multipart_head(field: str = "file") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"big.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode() + b"\x89PNG\r\n\x1a\n"


def _assert_413(r: httpx.Response, limit: int) -> None:
    assert r.status_code == 413, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 413 and str(limit) in r.json()["detail"]


@pytest.mark.parametrize("url", ["/v1/violations", "/v1/scan", "/v1/orders"])
def test_a_chunked_json_body_over_the_limit_is_413(api, url):
    r = _post(api.client.app, url, b'{"shop_id": "s1", "note": "', MAX_BODY + 1, api.platform | {"content-type": "application/json"})
    _assert_413(r, MAX_BODY)


def test_a_chunked_json_body_under_the_limit_is_read(api):
    api.shop()
    body = b'{"shop_id": "s1", "type": "prohibited_products", "severity": "minor", "issued_at": "2025-12-01T00:00:00Z"}'
    r = _post(api.client.app, "/v1/violations", body, len(body), api.platform | {"content-type": "application/json"})
    assert r.status_code == 201, r.text


def test_a_chunked_image_upload_over_the_limit_is_413(api):
    api.shop()
    headers = api.key("seller", "s1") | {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    _assert_413(_post(api.client.app, "/v1/images", _multipart_head(), UPLOAD_BODY + 1, headers), UPLOAD_BODY)
    _assert_413(_post(api.client.app, "/v1/images", _multipart_head(), UPLOAD_BODY + 1, api.platform | {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}), UPLOAD_BODY)


def test_a_chunked_form_to_the_seller_centre_over_the_limit_is_413(ctx):
    app = create_app(ctx)
    r = _post(app, "/shop/s1/violations/v1/appeal", _multipart_head("evidence_image"), UPLOAD_BODY + 1,
              {"content-type": f"multipart/form-data; boundary={BOUNDARY}"})
    _assert_413(r, UPLOAD_BODY)
