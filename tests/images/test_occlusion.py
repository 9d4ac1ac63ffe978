"""Copies partly covered by something new (DY-IP), with an occlusion the matcher was never tuned on.

The dense fallback's occlusion handling (core/images/local_match.py, `_robust_ncc`) was measured on
the evaluation's `overlay()`: four lines of half-transparent Latin sale text and a red banner along
the bottom. `cover()` here is different in every respect — an opaque dark banner across the top
with Chinese text in another font, a large diagonal Chinese watermark, and an opaque round logo
sticker on the right — and is applied to flat images the dense path speaks for: the evaluation's two
(clock, colorwheel) and a drawn product shot it has never seen. The plain correlation alone misses
these copies; the robust one must find them, and must not let covered unrelated images match.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from evals import image_eval as ev
from shopwarden.core.images import local_match
from shopwarden.core.images.copy_match import features, match
from tests.images.drawn import cjk_font, product_photo


def cover(a: np.ndarray) -> np.ndarray:
    """A top banner with text, a diagonal watermark and an opaque round sticker laid over `a`."""
    im = Image.fromarray(a).convert("RGBA")
    w, h = im.size
    layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.rectangle((0, 0, w, int(h * 0.12)), fill=(20, 40, 90, 235))
    draw.text((int(w * 0.04), int(h * 0.02)), "官方旗舰店 正品保障", font=cjk_font(max(10, int(h * 0.07))), fill=(255, 255, 255, 255))
    r, cx, cy = int(min(w, h) * 0.11), int(w * 0.8), int(h * 0.62)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(250, 200, 30, 255), outline=(150, 60, 0, 255), width=max(2, r // 8))
    draw.text((cx - int(r * 0.7), cy - int(r * 0.4)), "热卖", font=cjk_font(max(8, int(r * 0.7))), fill=(150, 30, 0, 255))
    im = Image.alpha_composite(im, layer)
    mark = Image.new("RGBA", (w * 2, h * 2), (0, 0, 0, 0))
    ImageDraw.Draw(mark).text((w * 0.45, h * 0.9), "仅供展示 盗图必究", font=cjk_font(max(10, w // 9)), fill=(0, 0, 0, 110))
    mark = mark.rotate(30, resample=Image.Resampling.BICUBIC).crop((w // 2, h // 2, w // 2 + w, h // 2 + h))
    return np.asarray(Image.alpha_composite(im, mark).convert("RGB"))


@pytest.fixture(scope="module")
def flat() -> dict[str, np.ndarray]:
    images = ev.skimage_originals(("clock", "colorwheel")) | {"product": np.asarray(product_photo(640, 560, seed=7, hue=(190, 70, 60)))}
    assert all(features(a, query=False).dense is not None for a in images.values())  # all flat: the dense path's
    return images


@pytest.fixture(scope="module")
def others() -> dict[str, np.ndarray]:
    return ev.skimage_originals(("astronaut", "coins", "moon", "page")) | ev.sklearn_originals() | ev.drawn_products(3)


@pytest.mark.parametrize("mirrored", [False, True])
def test_dy_ip_a_covered_flat_copy_is_matched_by_the_robust_correlation(flat, mirrored, monkeypatch):
    for name, a in flat.items():
        query = cover(a)[:, ::-1] if mirrored else cover(a)
        q, ref = features(query), features(a, query=False)
        found = local_match.match_dense(q.thumb, ref.dense)
        assert found is not None and found.covered > 0 and found.mirrored == mirrored, (name, found)
        assert match(q, ref) is not None, name
        with monkeypatch.context() as m:
            m.setattr(local_match, "DENSE_MIN_ROBUST", 1.01)  # the plain correlation alone
            assert local_match.match_dense(q.thumb, ref.dense) is None, name


def test_dy_ip_a_covered_and_cropped_flat_copy_is_matched(flat):
    for name, a in flat.items():
        assert match(features(ev.crop(cover(a), 0.2)), features(a, query=False)) is not None, name


def test_dy_ip_covering_an_unrelated_image_does_not_make_it_a_copy(flat, others):
    refs = {name: features(a, query=False) for name, a in flat.items()}
    queries = {name: cover(a) for name, a in (flat | others).items()}
    false = [(q, r) for q, a in queries.items() for r, ref in refs.items() if q != r and match(features(a), ref) is not None]
    assert false == []


def test_dy_ip_a_flat_copy_whose_detail_is_all_covered_is_not_claimed(flat):
    """Leaving out what covers a copy must not make a copy of what is left: with the clock's whole
    face under one opaque sticker, its grey backdrop is no evidence of a copy."""
    a = flat["skimage:clock"].copy()
    h, w = a.shape[:2]
    a[int(h * 0.2) : int(h * 0.85), int(w * 0.25) : int(w * 0.78)] = (250, 200, 30)
    assert local_match.match_dense(features(a).thumb, features(flat["skimage:clock"], query=False).dense) is None
