"""The registry's same-product index: the LSH, faiss and image stages find what a linear scan
with `best_matches` finds, and adding is incremental."""

from __future__ import annotations

import io

import numpy as np
import pytest

from shopwarden.core import same_product_index as spi
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


# ---------------------------------------------------------------- the compact index (issue 14)


def test_an_index_that_keeps_no_fingerprint_reads_its_candidates_back(banned):
    """keep=False: the same matches and scores as the index that keeps them, read through `fetch`."""
    registry = dict(banned + _noise(200))
    kept, lean = SameProductIndex(registry.items()), SameProductIndex(registry.items(), keep=False)
    asked: list[list[str]] = []

    def fetch(keys):
        asked.append(list(keys))
        return [registry[k] for k in keys]

    for q in fingerprints(QUERIES, encode):
        assert [(k, s.score) for k, s in lean.matches(q, fetch=fetch)] == [(k, s.score) for k, s in kept.matches(q)], q.title
    assert asked and max(len(a) for a in asked) < 10  # the candidates only, never the registry
    assert lean.get("b0", fetch) is registry["b0"] and lean.get("nope", fetch) is None
    with pytest.raises(ValueError, match="fetch"):
        lean.matches(fingerprints(QUERIES[:1], encode)[0])


def test_past_the_training_size_the_quantised_index_still_matches_a_linear_scan(banned, monkeypatch):
    """DY-LQ-2..4 recall: once the vectors are 8-bit quantised in an inverted file, every candidate is
    read back and checked exactly, so the matches and their scores are the linear scan's."""
    monkeypatch.setattr(spi, "TRAIN_AT", 600)
    monkeypatch.setattr(spi, "NLIST", 16)
    monkeypatch.setattr(spi, "NPROBE", 16)  # every cell: what is left to test is the quantised scores and their check
    registry = banned + _noise(700)
    index = SameProductIndex(registry[:400])
    index.add_many(registry[400:])  # crosses TRAIN_AT: trained on what it holds, then appended to
    assert index._vectors.quantised and index.nbytes()["vectors"] == len(registry) * (DIM + 8)  # a byte a dimension, an int64 id
    for q in fingerprints(QUERIES, encode):
        want = [(k, round(s.score, 6)) for k, s in best_matches(q, registry)]
        assert [(k, round(s.score, 6)) for k, s in index.matches(q)] == want, q.title
    assert "b0" in index.candidates(fingerprints(QUERIES[1:2], encode)[0])  # the translation: the vector stage alone


def _with_bands(rng, base: np.ndarray, shared: int) -> np.ndarray:
    out = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
    for b in rng.choice(spi.BANDS, shared, replace=False):
        out[b * spi.ROWS:(b + 1) * spi.ROWS] = base[b * spi.ROWS:(b + 1) * spi.ROWS]
    return out


@pytest.mark.parametrize("tail", [1 << 16, 64], ids=["tail", "merged"])
def test_the_lsh_stage_finds_what_datasketch_finds(monkeypatch, tail):
    """The band hashes in sorted arrays give the candidates datasketch's MinHashLSH gives (same banding),
    whether the postings are still in the unsorted tail or merged into the sorted run."""
    from datasketch import LeanMinHash, MinHashLSH

    monkeypatch.setattr(spi, "_TAIL", tail)
    rng = np.random.default_rng(9)
    bases = [rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64) for _ in range(20)]
    stored = [(f"s{i}", _with_bands(rng, bases[i % 20], int(rng.integers(0, 8)))) for i in range(300)]
    lsh = MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
    index = SameProductIndex(keep=True)
    far = np.zeros(DIM, dtype=np.float32)  # cosine 0 with everything: the vector stage adds nothing
    for key, mh in stored:
        lsh.insert(key, LeanMinHash(seed=1, hashvalues=mh, scheme="affine32"))
        index.add(key, Fingerprint(key, mh, far, {}, {}, "", None, frozenset()))
    assert (lsh.b, lsh.r) == (spi.BANDS, spi.ROWS)
    hits = 0
    for base in bases:
        q = _with_bands(rng, base, 2)
        want = sorted(lsh.query(LeanMinHash(seed=1, hashvalues=q, scheme="affine32")))
        hits += len(want)
        assert sorted(index.candidates(Fingerprint("q", q, far, {}, {}, "", None, frozenset()))) == want
    assert hits > 20  # the planted shared bands were found, not only the empty answers


def test_band_hashes_are_equal_exactly_when_a_band_is():
    rng = np.random.default_rng(4)
    a = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
    b = a.copy()
    b[0] += np.uint64(1)  # band 0 differs, every other band is the same
    ha, hb = spi.band_hashes(a)[0], spi.band_hashes(b)[0]
    assert ha[0] != hb[0] and (ha[1:] == hb[1:]).all()
    assert len(set(ha.tolist())) == spi.BANDS  # salted by band: the same values in two bands do not collide
