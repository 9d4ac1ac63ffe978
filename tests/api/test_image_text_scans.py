"""Text in images through the API (issue 4, parts 2–3): a QR code pasted into a product photo, a phone
number and a price drawn in Chinese, read by QR decoding and OCR, judged like text, cached by image."""

from __future__ import annotations

import base64
import time

import pytest
from sqlalchemy import select

from shopwarden.service import image_text
from shopwarden.store.image_texts import ImageTextRow
from tests.images.drawn import jpeg, png, product_photo, with_qr, with_text


class CountingEngine:
    """The process's real engine, counting the images it is asked to read."""

    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def read(self, rgb):
        self.calls += 1
        return self.inner.read(rgb)


@pytest.fixture(scope="session")
def warm_engine():
    """One OCR engine per test process, its models loaded once here (and the load timed)."""
    engine = image_text.engine()
    started = time.perf_counter()
    engine._load()
    print(f"OCR engine load {time.perf_counter() - started:.2f}s")
    return engine


@pytest.fixture
def ocr(warm_engine, monkeypatch) -> CountingEngine:
    counting = CountingEngine(warm_engine)
    monkeypatch.setattr(image_text, "engine", lambda: counting)
    return counting


@pytest.fixture
def shop(api):
    api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    return api


def upload(api, data: bytes) -> str:
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(data).decode()})
    assert r.status_code in (200, 201), r.text
    return r.json()["image_id"]


def listing(images: list[str], price: float = 59) -> dict:
    return {"shop_id": "d1", "title": "加厚保温杯 316不锈钢 500ml", "description": "办公室学生通用", "category": "home/cups",
            "skus": [{"sku_id": "a", "name": "500ml 白", "price": price, "shipping_fee": 0}], "images": images}


def reading(api, image_id: str) -> ImageTextRow:
    with api.ctx.db.read() as s:
        return s.scalars(select(ImageTextRow).where(ImageTextRow.sha256 == image_id)).one()


def test_a_wechat_qr_code_pasted_small_and_rotated_into_a_photo_blocks_the_listing(shop, ocr):
    photo = with_qr(product_photo(1000, 1000, seed=3), "https://u.wechat.com/EFxYz123abc", fraction=0.2, angle=23)
    main, fifth = upload(shop, jpeg(product_photo(800, 800, seed=1))), upload(shop, jpeg(photo, quality=70))
    r = shop.call("PUT", "/v1/products/p1?wait=60", json=listing([main, main, main, main, fifth]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "rejected"
    [dv] = [f for f in body["findings"] if f["detector"] == "image_text"]
    assert dv["rule"] == "DY-DV" and dv["score"] >= 0.97 and dv["decision"] == "block"
    [ev] = dv["evidence"]
    assert (ev["field"], ev["image_id"], ev["text"]) == ("images[4]", fifth, "https://u.wechat.com/EFxYz123abc")
    assert len(ev["box"]) == 4 and all(500 < x < 900 and 500 < y < 950 for x, y in ev["box"])


def test_a_phone_number_painted_in_chinese_on_a_chat_image_is_read_by_ocr(shop, ocr):
    image = upload(shop, jpeg(with_text(product_photo(900, 900, seed=2), ["售后请联系", "电话 138 1234 5678"], size=52)))
    r = shop.call("POST", "/v1/scan", json={"kind": "message", "shop_id": "d1", "text": "看图", "images": [image]})
    assert r.status_code == 200, r.text
    [dv] = r.json()["findings"]
    assert dv["rule"] == "DY-DV" and dv["detector"] == "image_text"
    ev = dv["evidence"][0]
    assert "1234" in ev["text"] and ev["field"] == "images[0]" and ev["image_id"] == image
    assert max(y for _, y in ev["box"]) < 300  # the second drawn line, near the top of the image
    assert ocr.calls == 1


def test_a_price_in_the_main_image_that_no_sku_has_is_dy_pr(shop, ocr):
    main = upload(shop, jpeg(with_text(product_photo(1000, 1000, seed=5), ["限时仅售 19.9元"], size=64)))
    r = shop.call("PUT", "/v1/products/p2?wait=60", json=listing([main], price=59)).json()
    [pr] = [f for f in r["findings"] if f["detector"] == "image_text"]
    assert pr["rule"] == "DY-PR" and "19.9" in pr["evidence"][0]["text"] and pr["evidence"][0]["box"]
    same = shop.call("PUT", "/v1/products/p3?wait=60", json=listing([main], price=19.9)).json()
    assert [f for f in same["findings"] if f["detector"] == "image_text"] == []


def test_a_clean_product_photo_is_not_sent_to_ocr_and_finds_nothing(shop, ocr):
    image = upload(shop, png(product_photo(1200, 1000, seed=7)))
    r = shop.call("PUT", "/v1/products/p4?wait=60", json=listing([image])).json()
    assert r["status"] == "published" and r["findings"] == []
    assert ocr.calls == 0 and reading(shop, image).ocr is False and reading(shop, image).lines == []


def test_a_reading_is_cached_by_image_and_the_engine_is_not_called_again(shop, ocr):
    image = upload(shop, jpeg(with_text(product_photo(800, 800, seed=4), ["加微信 abc_8888"], size=48)))
    scan = {"kind": "review", "shop_id": "d1", "text": "不错", "images": [image]}
    first = shop.call("POST", "/v1/scan", json=scan).json()
    again = shop.call("POST", "/v1/scan", json=scan).json()
    assert first == again and first["findings"][0]["rule"] == "DY-DV"
    assert ocr.calls == 1 and reading(shop, image).ocr is True


def test_unknown_image_ids_are_422_naming_each_field(shop, ocr):
    known = upload(shop, png(product_photo(200, 200)))
    r = shop.call("PUT", "/v1/products/p5?wait=60", json=listing([known, known, "f" * 64, "nope"]))
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["images[2]", "images[3]"]
    assert shop.call("GET", "/v1/products/p5").status_code == 404 and ocr.calls == 0
