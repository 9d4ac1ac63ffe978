"""Same-product fingerprints and similarity (DY-LQ-2): reworded, translated, re-ordered and
re-photographed listings match; another product, brand or size does not."""

from __future__ import annotations

import time

import pytest

from shopwarden.core.same_product import Fingerprint, best_matches, compare, fingerprints, numbers
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


def test_fingerprint_and_match_are_fast():
    fp()  # the encoder is loaded
    listings = [BEDDING | {"title": f"纯棉四件套 床上用品 款式{i}"} for i in range(50)]
    t = time.perf_counter()
    fps = fingerprints(listings, encode)
    per_fp = (time.perf_counter() - t) / len(listings)
    t = time.perf_counter()
    best_matches(fps[0], [(str(i), f) for i, f in enumerate(fps)])
    per_pair = (time.perf_counter() - t) / len(fps)
    assert per_fp < 0.02 and per_pair < 0.002, (per_fp, per_pair)
