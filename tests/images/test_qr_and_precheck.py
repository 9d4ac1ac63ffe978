"""QR decoding and the cheap "is there text?" check, on images the tests draw (issue 4, parts 2–3)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from shopwarden.core.images import qr
from shopwarden.core.images.ocr import likely_has_text
from shopwarden.core.images.qr import decode_qr
from tests.images.drawn import jpeg, product_photo, qr_image, with_qr, with_text

WECHAT = "https://u.wechat.com/EFxYz123abc"


def _jpeg_round_trip(image: Image.Image, quality: int = 70) -> Image.Image:
    return Image.open(io.BytesIO(jpeg(image, quality))).convert("RGB")


@pytest.mark.parametrize("angle", [0, 17, 45, 90, 160])
def test_a_small_rotated_qr_code_in_a_jpeg_photo_is_read_with_its_box(angle):
    photo = _jpeg_round_trip(with_qr(product_photo(1000, 1000), WECHAT, fraction=0.2, angle=angle))
    codes = decode_qr(photo)
    assert [c.text for c in codes] == [WECHAT]
    xs, ys = [x for x, _ in codes[0].box], [y for _, y in codes[0].box]
    assert len(codes[0].box) == 4 and 550 < sum(xs) / 4 < 850 and 570 < sum(ys) / 4 < 870  # pasted around (700, 720)


def test_a_photo_without_a_code_has_none():
    assert decode_qr(_jpeg_round_trip(product_photo())) == []


def test_opencv_is_the_fallback_when_zxing_sees_a_code_it_cannot_read(monkeypatch):
    class Broken:
        valid, text = False, ""

    monkeypatch.setattr(qr.zxingcpp, "read_barcodes", lambda *a, **k: [Broken()])
    codes = decode_qr(qr_image(WECHAT, scale=6))
    assert [c.text for c in codes] == [WECHAT] and len(codes[0].box) == 4


def test_opencv_is_not_tried_when_zxing_saw_nothing(monkeypatch):
    monkeypatch.setattr(qr, "_opencv", lambda image: pytest.fail("the fallback ran without a hint of a code"))
    assert decode_qr(product_photo(400, 400)) == []


@pytest.mark.parametrize("seed", range(4))
def test_the_precheck_sends_photos_without_text_past_ocr(seed):
    photo = product_photo(900 + 150 * seed, 1000, seed=seed, hue=(60 + 40 * seed, 120, 200 - 30 * seed))
    assert not likely_has_text(_jpeg_round_trip(photo))


@pytest.mark.parametrize(
    ("lines", "size"),
    [(["客服电话 13812345678"], 48), (["限时仅售 19.9元"], 64), (["微信 abc_8888"], 28), (["正品保障", "七天无理由退换"], 40)],
)
def test_the_precheck_sees_chinese_text_on_a_photo(lines, size):
    assert likely_has_text(_jpeg_round_trip(with_text(product_photo(1200, 1200), lines, size=size)))
