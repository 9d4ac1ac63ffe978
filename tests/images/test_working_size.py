"""Cost in proportion to input (hardening): a 6000 px upload is analysed at a bounded working size,
whatever its format, and what is found in it is still found, boxed in the original's pixels."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from shopwarden.core.images import copy_match, ocr, qr
from shopwarden.core.images.copy_match import features
from shopwarden.core.images.decode import decode, smaller, working_size
from shopwarden.service import image_text
from tests.images.drawn import qr_image

WECHAT = "https://u.wechat.com/EFxYz123abc"
SIDE = 6000


def large(mode: str = "RGB", fmt: str = "PNG", size=(SIDE, SIDE), paste: Image.Image | None = None, at=(4200, 4300)) -> bytes:
    """A large, nearly flat image in a small file (the probe's kind), optionally with something pasted in."""
    im = Image.new(mode, size, 1 if mode in ("1", "P") else (236,) * len(mode))
    if paste is not None:
        im.paste(paste.convert(mode), at)
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


@pytest.mark.parametrize("mode, fmt", [("RGB", "PNG"), ("RGB", "JPEG"), ("P", "GIF"), ("1", "PNG"), ("L", "WEBP"), ("RGBA", "PNG")])
def test_what_decode_hands_on_is_bounded_by_the_side_asked_for(mode, fmt):
    data = large(mode, fmt, size=(SIDE, SIDE * 2 // 3))
    for side in (qr.WORK_SIDE, ocr.WORK_SIDE, copy_match.WORK_SIDE):
        decoded = decode(data, side=side)
        assert decoded.image.mode == "RGB" and side // 2 < max(decoded.image.size) <= side
        assert decoded.image.size == working_size(SIDE, SIDE * 2 // 3, side)
        assert (decoded.width, decoded.height) == (SIDE, SIDE * 2 // 3)  # the header's size: what boxes are given in


def test_a_small_image_is_handed_on_whole():
    decoded = decode(large(size=(900, 700)), side=copy_match.WORK_SIDE)
    assert decoded.image.size == (900, 700) and decoded.scale == (1.0, 1.0)


def test_a_smaller_copy_of_a_working_copy_is_the_copy_decoded_at_that_side():
    data = large(paste=qr_image(WECHAT, scale=12))
    from_copy = smaller(decode(data, side=qr.WORK_SIDE), copy_match.WORK_SIDE).image
    direct = decode(data, side=copy_match.WORK_SIDE).image
    assert from_copy.size == direct.size and np.array_equal(np.asarray(from_copy), np.asarray(direct))


def test_every_analysis_of_a_6000_px_image_sees_a_bounded_array(monkeypatch):
    seen = {}

    class Recording:
        def read(self, rgb):
            seen["ocr"] = rgb.shape
            return []

    real_qr = image_text.decode_qr
    monkeypatch.setattr(image_text, "decode_qr", lambda image: seen.setdefault("qr", image.size) and real_qr(image))
    monkeypatch.setattr(image_text, "likely_has_text", lambda image: True)
    image_text.read_image(large(paste=qr_image(WECHAT, scale=12)), Recording())
    assert max(seen["qr"]) <= qr.WORK_SIDE and max(seen["ocr"][:2]) <= ocr.WORK_SIDE

    decoded = decode(large(), side=copy_match.WORK_SIDE)
    found = features(np.asarray(decoded.image), size=(decoded.width, decoded.height))
    assert max(decoded.image.size) <= copy_match.WORK_SIDE
    assert (found.width, found.height) == (SIDE, SIDE) and found.tiles[-1][0][2] == (SIDE, SIDE)  # boxes in the original's pixels


@pytest.mark.parametrize("code_side, angle", [(300, 0), (240, 17), (400, 45)])
def test_a_qr_code_of_reasonable_size_in_a_6000_px_image_is_still_read_where_it_is(code_side, angle):
    # 240-400 px: 4-7% of the side, 7-12 px a module in the original, 3.5-6 in the working copy
    code = qr_image(WECHAT).resize((code_side, code_side), Image.Resampling.NEAREST)
    code = code.rotate(angle, expand=True, fillcolor=(255, 255, 255), resample=Image.Resampling.BICUBIC)
    lines, _ = image_text.read_image(large(paste=code, at=(4200, 4300)), _NoOcr())
    read = [line for line in lines if line.source == "qr"]
    assert [line.text for line in read] == [WECHAT]
    xs, ys = [x for x, _ in read[0].box], [y for _, y in read[0].box]
    centre = (4200 + code.width / 2, 4300 + code.height / 2)
    assert abs(sum(xs) / 4 - centre[0]) < 40 and abs(sum(ys) / 4 - centre[1]) < 40  # the original's pixels, not the copy's


def test_a_qr_code_in_a_6000_px_jpeg_is_read_too():
    code = qr_image(WECHAT).resize((300, 300), Image.Resampling.NEAREST)
    lines, _ = image_text.read_image(large(fmt="JPEG", paste=code, at=(900, 5000)), _NoOcr())
    assert [line.text for line in lines if line.source == "qr"] == [WECHAT]


class _NoOcr:
    def read(self, rgb):
        return []
