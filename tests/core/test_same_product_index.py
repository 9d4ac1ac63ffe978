"""The registry's same-product index: the LSH, faiss and image stages find what a linear scan
with `best_matches` finds, and adding is incremental."""

from __future__ import annotations

import io

import numpy as np
import pytest

from shopwarden.core.same_product import DIM, NUM_PERM, Fingerprint, best_matches, fingerprints
from shopwarden.core.same_product_index import SameProductIndex
from shopwarden.service.encoder import encode
from tests.api.conftest import api  # noqa: F401 - the API client fixture, for the service-path test

BASE = {"brand": "棉之家", "category": "家纺/床上用品", "attributes": {"材质": "纯棉", "尺寸": "1.8m", "件数": "4件"}, "images": []}
BANNED = [
    BASE | {"title": "纯棉四件套 床上用品 1.8m 被套床单枕套", "images": ["a" * 64]},
    {"title": "不锈钢保温杯 500ml 大容量", "brand": "象印", "category": "厨具/水具", "attributes": {"容量": "500ml"}, "images": []},
    {"title": "小米充电宝 20000毫安 快充", "brand": "小米", "category": "数码/配件", "attributes": {"型号": "PB2022"}, "images": ["b" * 64]},
]
QUERIES = [
    BASE | {"title": "【新款】纯棉 床上用品四件套 枕套 被套 床单 1.8m"},          # reworded: LSH
    BASE | {"title": "cotton bedding set 4 pieces 1.8m duvet cover sheet pillowcase"},  # translated: faiss only
    BASE | {"title": "全棉床上四件套 1.8米", "images": ["a" * 64]},                  # a shared upload
    {"title": "stainless steel vacuum flask 500ml", "brand": "象印", "category": "厨具/水具", "attributes": {"容量": "500ml"}},
    {"title": "珊瑚绒毛毯 加厚 冬季", "attributes": {}},
    {"title": "小米充电宝 10000毫安", "brand": "小米", "category": "数码/配件", "attributes": {"型号": "PB1000"}, "images": []},
]


@pytest.fixture(scope="module")
def banned() -> list[tuple[str, Fingerprint]]:
    return [(f"b{i}", f) for i, f in enumerate(fingerprints(BANNED, encode))]


def _noise(n: int, seed: int = 5) -> list[tuple[str, Fingerprint]]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        v = rng.standard_normal(DIM).astype(np.float32)
        out.append((f"n{i}", Fingerprint(f"noise {i}", rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64), v / np.linalg.norm(v), {}, {}, "", None, frozenset())))
    return out


@pytest.mark.parametrize("exact", [True, False], ids=["flat", "hnsw"])
def test_the_index_finds_what_a_linear_scan_finds(banned, exact):
    registry = banned + _noise(500)
    index = SameProductIndex(registry, exact=exact)
    assert len(index) == len(registry)
    for q in fingerprints(QUERIES, encode):
        want = [(k, round(s.score, 6)) for k, s in best_matches(q, registry)]
        assert [(k, round(s.score, 6)) for k, s in index.matches(q)] == want, q.title
    found = {q.title: [k for k, _ in index.matches(q)] for q in fingerprints(QUERIES, encode)}
    assert [found[q["title"]] for q in QUERIES] == [["b0"], ["b0"], ["b0"], ["b1"], [], []]


def test_each_stage_contributes(banned):
    index = SameProductIndex(banned)
    reworded, translated, photo = fingerprints(QUERIES[:3], encode)
    assert "b0" in index.candidates(reworded)
    assert "b0" in index.candidates(translated)  # 2-gram Jaccard < 0.3: only the vector brings it
    assert index.candidates(photo)[0] == "b0"


def test_adding_is_incremental_and_idempotent(banned):
    index = SameProductIndex()
    q = fingerprints(QUERIES[:1], encode)[0]
    assert index.matches(q) == [] and index.candidates(q) == []
    index.add(*banned[1])
    assert index.matches(q) == []
    index.add(*banned[0])
    index.add(*banned[0])
    assert len(index) == 2 and "b0" in index and index.get("b0") is banned[0][1]
    assert [k for k, _ in index.matches(q)] == ["b0"]


def test_the_registry_catches_a_relisting_with_reencoded_photos_through_the_service(api):  # noqa: F811 - the imported fixture
    """Service path (service/bans.py): the registry index is built lazily, a later ban is picked
    up incrementally, and a re-encoded copy of the banned photo counts as a shared image."""
    import base64

    from PIL import Image

    from tests.core.test_same_product import PHOTOS, _reencoded

    def upload(array) -> str:
        buf = io.BytesIO()
        Image.fromarray(array).save(buf, "PNG")
        r = api.call("POST", "/v1/images", json={"data": base64.b64encode(buf.getvalue()).decode()})
        assert r.status_code in (200, 201), r.text
        return r.json()["image_id"]

    for shop in ("d1", "d2"):
        api.call("PUT", f"/v1/shops/{shop}", json={"name": f"店铺{shop}", "kind": "enterprise", "policy": "douyin"})
    original, copy = upload(PHOTOS["banned-main"]), upload(_reencoded(PHOTOS["banned-main"]))
    listing = BANNED[0] | {"images": [original], "skus": [{"sku_id": "k1", "price": 199.0}]}
    assert api.call("PUT", "/v1/products/p1?wait=60", json=listing | {"shop_id": "d1"}).status_code == 200
    api.call("PUT", "/v1/products/q1", json=BANNED[1] | {"shop_id": "d1", "skus": [{"sku_id": "k1", "price": 59.0}]})
    ban = {"reason": "low_positive_rate", "severity": "general", "statement": "好评率 41%"}
    assert api.call("POST", "/v1/products/q1/ban", api.operator, json=ban).status_code == 201
    relisted = listing | {"title": "【热卖】全棉 床上用品 四件套 被套 床单 枕套 1.8米", "images": [copy],
                          "attributes": {"件数": "4件", "材质": "纯棉", "尺寸": "1.8m"}}
    before = api.call("PUT", "/v1/products/p9", json=relisted | {"shop_id": "d2"}).json()
    assert not [f for f in before["findings"] if f.get("detector") == "same_product"], before  # p1 is not banned yet
    assert api.call("POST", "/v1/products/p1/ban", api.operator, json=ban).status_code == 201  # the index has q1: p1 is added to it
    out = api.call("PUT", "/v1/products/p10", json=relisted | {"shop_id": "d2"}).json()
    found = [f for f in out["findings"] if f.get("detector") == "same_product"]
    assert found and found[0]["match"]["banned_product_id"] == "p1", out
    [pair] = found[0]["match"]["images"]
    assert (pair["listing"], pair["banned"]) == (copy, original) and 0.85 <= pair["closeness"] < 1.0
