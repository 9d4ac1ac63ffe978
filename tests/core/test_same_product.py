"""Same-product fingerprints and similarity (DY-LQ-2): reworded, translated, re-ordered and
re-photographed listings match; another product, brand or size does not."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from shopwarden.core.images.pdq import MATCH_DISTANCE, hamming, pdq
from shopwarden.core.same_product import Fingerprint, best_matches, compare, fingerprints, numbers, perceptual_images
from shopwarden.service.encoder import encode

BEDDING = {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "brand": "棉之家", "category": "家纺/床上用品",
           "attributes": {"材质": "纯棉", "尺寸": "1.8m", "件数": "4件"}, "images": ["a" * 64]}


def fp(**over) -> Fingerprint:
    return fingerprints([BEDDING | over], encode)[0]


SAME = [
    pytest.param({}, id="identical"),
    pytest.param({"title": "【新款】纯棉 床上用品四件套 枕套 被套 床单 1.8m"}, id="reworded"),
    pytest.param({"title": "純棉四件套 床上用品 1.8m 被套床單枕套"}, id="traditional"),
    pytest.param({"title": "cotton bedding set 4 pieces 1.8m duvet cover sheet pillowcase"}, id="translated"),
    pytest.param({"attributes": {"件数": "4件", "尺寸": "1.8m", "材质": "纯棉"}, "images": ["b" * 64]}, id="reordered-attributes-new-photo"),
    pytest.param({"title": "全棉床上四件套 被套床单枕套 1.8米", "images": ["a" * 64, "c" * 64]}, id="reworded-same-photo"),
]

DIFFERENT = [
    pytest.param({"title": "纯棉四件套 床上用品 1.5m 被套床单枕套", "attributes": {"材质": "纯棉", "尺寸": "1.5m", "件数": "4件"}, "images": []}, id="other-size"),
    pytest.param({"title": "天丝四件套 冰丝 夏季床上用品", "brand": "罗莱", "attributes": {"材质": "天丝"}, "images": []}, id="other-brand"),
    pytest.param({"title": "纯棉床单 单件 学生宿舍", "attributes": {"材质": "纯棉", "件数": "1件"}, "images": []}, id="same-brand-other-product"),
    pytest.param({"title": "珊瑚绒毛毯 加厚 冬季", "attributes": {}, "images": []}, id="unrelated"),
    pytest.param({"title": "不锈钢保温杯 500ml", "category": "厨具/水具", "attributes": {}, "images": ["a" * 64]}, id="shared-photo-only"),
]


@pytest.mark.parametrize("change", SAME)
def test_the_same_product_matches(change):
    s = compare(fp(**change), fp())
    assert s.same, s.explain()


@pytest.mark.parametrize("change", DIFFERENT)
def test_another_product_does_not(change):
    s = compare(fp(**change), fp())
    assert not s.same, s.explain()


def test_the_explanation_says_what_matched_and_how_close():
    e = compare(fp(title="cotton bedding set 4 pieces 1.8m duvet cover sheet pillowcase"), fp()).explain()
    assert e["same"] and e["score"] >= e["threshold"]
    assert "title" in e["matched"] and "attributes" in e["matched"] and "images" in e["matched"]
    assert e["title"]["cosine"] > 0.75 and e["title"]["char_bigram_jaccard"] < 0.2  # the encoder, not the n-grams, crossed languages
    assert e["images"] == [{"listing": "a" * 64, "banned": "a" * 64, "closeness": 1.0}]
    conflict = compare(fp(title="纯棉四件套 床上用品 1.5m 被套床单枕套"), fp()).explain()
    assert conflict["conflicts"] == ["title numbers (m): ['1.5'] vs ['1.8']"]


def test_numbers_keep_their_units():
    assert numbers("小米充电宝 20000毫安 1.80m iPhone 15 手机壳") == {"毫": frozenset({"20000"}), "m": frozenset({"1.8"}), "": frozenset({"15"})}


def test_a_fingerprint_survives_json():
    a = fp()
    b = Fingerprint.from_json(a.to_json())
    assert compare(a, b).score == pytest.approx(1.0) and b.attributes == a.attributes and b.images == a.images


def test_best_matches_orders_and_filters():
    banned = [("same", fp()), ("other", fp(title="珊瑚绒毛毯 加厚 冬季", attributes={}, images=[]))]
    assert [k for k, _ in best_matches(fp(title="全棉床上四件套 被套床单枕套 1.8米"), banned)] == ["same"]


# Perceptual images: the banned listing's photo, and the re-listing's JPEG q60 copy at 60% size.
def _photo(seed: int, size: int = 800) -> np.ndarray:
    rng = np.random.default_rng(seed)
    img = Image.new("RGB", (size, size), tuple(int(c) for c in rng.integers(150, 255, 3)))
    d = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = (int(v) for v in rng.integers(0, size - 200, 2))
        w, h = (int(v) for v in rng.integers(60, 300, 2))
        box = [x0, y0, x0 + w, y0 + h]
        colour = tuple(int(c) for c in rng.integers(0, 200, 3))
        (d.ellipse if rng.random() < 0.5 else d.rectangle)(box, fill=colour)
    return np.asarray(img)


def _reencoded(image: np.ndarray) -> np.ndarray:
    img = Image.fromarray(image)
    img = img.resize((img.width * 3 // 5, img.height * 3 // 5))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


PHOTOS = {"banned-main": _photo(1), "banned-detail": _photo(2), "other-main": _photo(3)}
PHOTOS |= {"relisted-main": _reencoded(PHOTOS["banned-main"]), "relisted-detail": _reencoded(PHOTOS["banned-detail"])}
HASHES = {k: pdq(v) for k, v in PHOTOS.items()}
BY_PDQ = perceptual_images(HASHES.get)


def test_relisted_with_reworded_title_reordered_attributes_and_reencoded_photos_is_caught():
    banned = fp(images=["banned-main", "banned-detail"])
    relisted = fp(title="【热卖】全棉 床上用品 四件套 被套 床单 枕套 1.8米", attributes={"件数": "4件", "材质": "纯棉", "尺寸": "1.8m"},
                  images=["relisted-detail", "relisted-main"])
    plain = compare(relisted, banned)
    s = compare(relisted, banned, BY_PDQ)
    assert s.same, s.explain()
    assert not plain.images and len(s.images) == 2  # only the perceptual matcher sees the re-encoded photos
    assert sorted((a, b) for a, b, _ in s.images) == [("relisted-detail", "banned-detail"), ("relisted-main", "banned-main")]
    assert all(0.85 <= c < 1.0 for _, _, c in s.images) and "images" in s.explain()["matched"]
    # a different product of the same category and brand, with its own photo, is not caught
    other = fp(title="纯棉床单 单件 学生宿舍 1.2m", attributes={"材质": "纯棉", "件数": "1件", "尺寸": "1.2m"}, images=["other-main"])
    o = compare(other, banned, BY_PDQ)
    assert not o.same and not o.images, o.explain()


def test_perceptual_images_keep_pdq_threshold_and_quality_floor():
    assert hamming(HASHES["relisted-main"], HASHES["banned-main"]) <= MATCH_DISTANCE
    assert min(hamming(HASHES["other-main"], HASHES[k]) for k in ("banned-main", "banned-detail")) > MATCH_DISTANCE
    flat = pdq(np.full((400, 400, 3), 128, np.uint8))
    assert perceptual_images({"x": flat, "y": flat}.get)(frozenset({"x"}), frozenset({"y"})) == []  # too flat to mean anything
    assert perceptual_images(HASHES.get)(frozenset({"same"}), frozenset({"same"})) == [("same", "same", 1.0)]
    assert perceptual_images(HASHES.get)(frozenset({"unknown"}), frozenset({"banned-main"})) == []
