"""Copied-image evaluation (issue 4, part 4): recall per transformation and precision of the matcher
(PDQ + SIFT/RANSAC), beside a PDQ-only baseline, on scikit-image's sample images. Run with -s to
see the table.

Originals are registered; queries are each original transformed; negatives are sample images
that were never registered, plain and transformed the same ways. Every query is checked against
every original, as the service does for a small protected set.
"""

from __future__ import annotations

import io
import time
from collections import defaultdict

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw
from skimage import data as samples

from shopwarden.core.images.copy_match import features, match, pdq_match

ORIGINALS = ("astronaut", "camera", "coffee", "rocket", "chelsea", "hubble_deep_field", "immunohistochemistry", "retina",
             "moon", "coins", "clock", "cell")
UNREGISTERED = ("logo", "page", "text", "grass", "gravel", "brick", "shepp_logan_phantom", "horse")


def _rgb(name: str) -> np.ndarray:
    a = np.asarray(getattr(samples, name)())
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    elif a.dtype != np.uint8:
        a = (255 * (a - a.min()) / max(1e-9, float(a.max() - a.min()))).astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    a = a[:, :, :3]
    scale = 800 / max(a.shape[:2])  # sizes like product photos; retina is 1411 px
    return cv2.resize(a, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else np.ascontiguousarray(a)


def _jpeg(a: np.ndarray, q: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=q)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def _crop(a: np.ndarray, share: float) -> np.ndarray:
    """Cut `share` of each side's length away, off-centre (more from the left and top)."""
    h, w = a.shape[:2]
    dy, dx = int(h * share), int(w * share)
    return np.ascontiguousarray(a[dy * 2 // 3 : h - dy // 3, dx * 2 // 3 : w - dx // 3])


def _overlay(a: np.ndarray) -> np.ndarray:
    im = Image.fromarray(a).convert("RGBA")
    layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = im.size
    for i in range(4):
        draw.text((w * 0.05, h * (0.15 + 0.2 * i)), "SALE 50% OFF  shop-watermark.example", fill=(255, 255, 255, 170), font_size=max(12, w // 18))
    draw.rectangle((0, int(h * 0.85), w, h), fill=(200, 0, 0, 200))
    return np.asarray(Image.alpha_composite(im, layer).convert("RGB"))


def _mosaic(a: np.ndarray) -> np.ndarray:
    """Pixelate a block covering 20% of the image."""
    h, w = a.shape[:2]
    bh, bw = int(h * 0.45), int(w * 0.45)
    out = a.copy()
    y, x = h // 4, w // 3
    block = out[y : y + bh, x : x + bw]
    small = cv2.resize(block, (max(1, bw // 16), max(1, bh // 16)), interpolation=cv2.INTER_AREA)
    out[y : y + bh, x : x + bw] = cv2.resize(small, (bw, bh), interpolation=cv2.INTER_NEAREST)
    return out


def _collage(a: np.ndarray, fillers: list[np.ndarray], slot: int) -> np.ndarray:
    tiles = [cv2.resize(f, (400, 400), interpolation=cv2.INTER_AREA) for f in fillers[:3]]
    tiles.insert(slot % 4, cv2.resize(a, (400, 400), interpolation=cv2.INTER_AREA))
    return np.vstack([np.hstack(tiles[:2]), np.hstack(tiles[2:])])


def transformations(fillers: list[np.ndarray]) -> dict:
    return {
        "resize 50%": lambda a, i: cv2.resize(a, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
        "jpeg q40": lambda a, i: _jpeg(a, 40),
        "brightness/colour": lambda a, i: np.clip(a.astype(int) * [1.25, 1.1, 0.9] + 20, 0, 255).astype(np.uint8),
        "text/watermark": lambda a, i: _overlay(a),
        "mosaic 20%": lambda a, i: _mosaic(a),
        "crop 10%": lambda a, i: _crop(a, 0.10),
        "crop 20%": lambda a, i: _crop(a, 0.20),
        "crop 30%": lambda a, i: _crop(a, 0.30),
        "mirror": lambda a, i: np.ascontiguousarray(a[:, ::-1]),
        "crop 20% + mirror": lambda a, i: np.ascontiguousarray(_crop(a, 0.2)[:, ::-1]),
        "collage 2x2": lambda a, i: _collage(a, fillers, i),
    }


def _found(query, refs) -> tuple[set[int], set[int]]:
    q = features(query)
    full = {j for j, r in enumerate(refs) if match(q, r) is not None}
    pdq_only = {j for j, r in enumerate(refs) if pdq_match(q, r.pdq, (r.width, r.height)) is not None}
    return full, pdq_only


@pytest.mark.slow
def test_copied_image_evaluation():
    originals = [_rgb(n) for n in ORIGINALS]
    others = [_rgb(n) for n in UNREGISTERED]
    started = time.perf_counter()
    refs = [features(a, query=False) for a in originals]
    hashed = (time.perf_counter() - started) / len(refs)
    hits: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"full": [0, 0], "pdq": [0, 0]})
    false = {"full": 0, "pdq": 0}
    predicted = {"full": 0, "pdq": 0}
    queries = 0
    started = time.perf_counter()
    for name, transform in transformations(others).items():
        for i, a in enumerate(originals):
            full, pdq_only = _found(transform(a, i), refs)
            queries += 1
            for method, got in (("full", full), ("pdq", pdq_only)):
                hits[name][method][0] += i in got
                hits[name][method][1] += 1
                predicted[method] += len(got)
                false[method] += len(got - {i})
    negatives = list(others) + [np.ascontiguousarray(_crop(o, 0.2)[:, ::-1]) for o in others]
    for query in negatives:
        full, pdq_only = _found(query, refs)
        queries += 1
        for method, got in (("full", full), ("pdq", pdq_only)):
            predicted[method] += len(got)
            false[method] += len(got)
    per_query = (time.perf_counter() - started) / queries
    pairs = fm = 0
    for i, a in enumerate(originals):
        full, _ = _found(a, [r for j, r in enumerate(refs) if j != i])
        pairs += len(refs) - 1
        fm += len(full)

    print(f"\n{'transformation':<20} {'recall':>7} {'PDQ only':>9}")
    for name, h in hits.items():
        print(f"{name:<20} {h['full'][0] / h['full'][1]:>7.2f} {h['pdq'][0] / h['pdq'][1]:>9.2f}")
    recall = {m: sum(h[m][0] for h in hits.values()) / sum(h[m][1] for h in hits.values()) for m in ("full", "pdq")}
    precision = {m: (predicted[m] - false[m]) / max(1, predicted[m]) for m in ("full", "pdq")}
    print(f"{'overall':<20} {recall['full']:>7.2f} {recall['pdq']:>9.2f}")
    print(f"precision {precision['full']:.3f} (PDQ only {precision['pdq']:.3f}); false matches {false['full']} over {queries} queries "
          f"× {len(refs)} references; between different originals {fm}/{pairs}")
    print(f"reference features {hashed * 1000:.0f} ms/image; query (features + {len(refs)} matches) {per_query * 1000:.0f} ms")

    assert recall["full"] >= 0.9 and precision["full"] >= 0.95 and fm == 0
    for name, h in hits.items():
        assert h["full"][0] / h["full"][1] >= 0.75, name
