"""Same products (DY-LQ-2..4): a listing's fingerprint and how close two fingerprints are, with
an explanation of what matched. Pure: the sentence vector comes in from the caller's encoder.

A fingerprint holds the folded title as a MinHash over character 2-grams (2-grams separate
Chinese titles better than 3-grams), a multilingual sentence vector of the title (the only
signal that crosses Chinese ↔ English), numbers with their units, normalized attributes, the
detail text's MinHash, and the image ids (SHA-256 of the uploaded bytes).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasketch import MinHash

from shopwarden.core.images.pdq import BITS, MATCH_DISTANCE, MIN_QUALITY, PdqHash, hamming
from shopwarden.core.text.fold import fold_char

NUM_PERM = 64
SEED = 1
DIM = 512

# Thresholds, chosen on pairs of real-looking titles (see tests/core/test_same_product.py):
# a translated title of the same product scores cosine 0.80-0.84, a reworded Chinese one
# 0.93; another brand's product of the same kind reaches 0.82, a different product of the
# same category 0.52-0.77. Text alone therefore decides only above SAME; below it, agreeing
# attributes and shared images must add the rest, and a conflict (another brand, another
# size or model number) rules a pair out whatever the text says.
SAME = 0.85
W_ATTRIBUTES = 0.15
W_IMAGES = 0.25
W_DETAIL = 0.10
CANDIDATE_COSINE = 0.6
CANDIDATE_JACCARD = 0.3
MIN_DETAIL_CHARS = 20

# Attribute names in either language mapped to one key, so 颜色 and color compare.
KEY_ALIASES = {
    "颜色": "color", "colour": "color", "尺寸": "size", "尺码": "size", "规格": "size", "材质": "material",
    "面料": "material", "品牌": "brand", "型号": "model", "容量": "capacity", "重量": "weight", "产地": "origin",
}
# Values that identify a product: a differing brand or model is another product, not a reworded one.
IDENTIFYING_KEYS = frozenset({"brand", "model"})

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(?:\s*([a-z]+)|([米厘毫克斤升件个只套寸码瓦安片粒支包盒瓶袋]))?")


def fold(text: str) -> str:
    """NFKC, case folding, traditional → simplified; only letters and digits kept."""
    return "".join(c for c in (fold_char(ch) for ch in text) if c.isalnum() or c == ".")


def _bigrams(text: str) -> list[bytes]:
    text = text.replace(".", "")
    if len(text) < 2:
        return [text.encode()] if text else []
    return [text[i:i + 2].encode() for i in range(len(text) - 1)]


def minhash(text: str) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    m.update_batch(_bigrams(fold(text)))
    values: np.ndarray = m.hashvalues.astype(np.uint64)
    return values


def numbers(text: str) -> dict[str, frozenset[str]]:
    """Numbers by unit ('m' → {'1.8'}); '' holds bare numbers such as model numbers."""
    spaced = "".join(fold_char(ch) for ch in text)
    out: dict[str, set[str]] = {}
    for value, letters, measure in _NUMBER.findall(spaced):
        out.setdefault(letters or measure, set()).add(value.rstrip("0").rstrip(".") if "." in value else value)
    return {u: frozenset(v) for u, v in out.items()}


def _key(name: str) -> str:
    k = fold(name)
    return KEY_ALIASES.get(k, k)


def attributes(listing: Mapping[str, Any]) -> dict[str, str]:
    attrs = {_key(k): fold(v) for k, v in (listing.get("attributes") or {}).items() if fold(v)}
    if listing.get("brand") and fold(listing["brand"]):
        attrs["brand"] = fold(listing["brand"])
    return attrs


@dataclass(frozen=True)
class Fingerprint:
    title: str
    minhash: np.ndarray = field(repr=False)
    vector: np.ndarray = field(repr=False)
    numbers: Mapping[str, frozenset[str]]
    attributes: Mapping[str, str]
    category: str
    detail: np.ndarray | None = field(repr=False)
    images: frozenset[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "minhash": base64.b64encode(self.minhash.tobytes()).decode(),
            "vector": base64.b64encode(self.vector.astype(np.float32).tobytes()).decode(),
            "numbers": {u: sorted(v) for u, v in self.numbers.items()}, "attributes": dict(self.attributes),
            "category": self.category, "images": sorted(self.images),
            "detail": None if self.detail is None else base64.b64encode(self.detail.tobytes()).decode(),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Fingerprint:
        def arr(s: str | None, dtype: type[np.generic]) -> Any:
            return None if s is None else np.frombuffer(base64.b64decode(s), dtype=dtype)

        return cls(d["title"], arr(d["minhash"], np.uint64), arr(d["vector"], np.float32),
                   {u: frozenset(v) for u, v in d["numbers"].items()}, dict(d["attributes"]), d["category"],
                   arr(d.get("detail"), np.uint64), frozenset(d["images"]))


Encode = Callable[[Sequence[str]], np.ndarray]


def fingerprints(listings: Sequence[Mapping[str, Any]], encode: Encode) -> list[Fingerprint]:
    """Fingerprints of listings (title, description, brand, category, attributes, images), one
    batched call to the encoder; the vector's numbers are kept because 1.8m ≠ 1.5m."""
    if not listings:
        return []
    vectors = np.asarray(encode([x["title"] for x in listings]), dtype=np.float32)
    return [_one(x, v) for x, v in zip(listings, vectors, strict=True)]


def _one(listing: Mapping[str, Any], vector: np.ndarray) -> Fingerprint:
    detail = listing.get("description") or ""
    return Fingerprint(
        title=listing["title"], minhash=minhash(listing["title"]), vector=vector / (np.linalg.norm(vector) or 1.0),
        numbers=numbers(listing["title"]), attributes=attributes(listing), category=fold(listing.get("category") or ""),
        detail=minhash(detail) if len(fold(detail)) >= MIN_DETAIL_CHARS else None, images=frozenset(listing.get("images") or ()),
    )


# Where perceptual image matching plugs in: given two fingerprints' image ids, the pairs judged
# the same picture with a closeness in 0..1. The default sees only identical uploads (same
# SHA-256); the copied-image index (PDQ, DY-IP) can pass its own.
ImageMatcher = Callable[[frozenset[str], frozenset[str]], list[tuple[str, str, float]]]


def identical_images(a: frozenset[str], b: frozenset[str]) -> list[tuple[str, str, float]]:
    return [(x, x, 1.0) for x in sorted(a & b)]


def perceptual_images(hash_of: Callable[[str], PdqHash | None], distance: int = MATCH_DISTANCE) -> ImageMatcher:
    """An ImageMatcher that also counts a re-encoded, resized or brightened copy as the same
    picture: PDQ hashes (from `hash_of`, which should cache; None for an unknown or unreadable
    image) within PDQ's match distance. Closeness is 1 - distance/256, so an identical upload is
    1.0 and a copy at the threshold 0.88; hashes below PDQ's quality floor are not compared.
    Each of `a`'s images is paired with its closest image of `b`."""

    def match(a: frozenset[str], b: frozenset[str]) -> list[tuple[str, str, float]]:
        out = []
        hashes_b = None
        for x in sorted(a):
            if x in b:
                out.append((x, x, 1.0))
                continue
            hx = hash_of(x)
            if hx is None or hx.quality < MIN_QUALITY:
                continue
            if hashes_b is None:
                hashes_b = [(y, h) for y in sorted(b) if (h := hash_of(y)) is not None and h.quality >= MIN_QUALITY]
            best = min(((hamming(hx, h), y) for y, h in hashes_b), default=None)
            if best is not None and best[0] <= distance:
                out.append((x, best[1], 1.0 - best[0] / BITS))
        return out

    return match


@dataclass(frozen=True)
class Similarity:
    score: float
    same: bool
    text_cosine: float
    title_jaccard: float
    detail_jaccard: float | None
    attributes_agree: tuple[str, ...]
    attributes_differ: tuple[str, ...]
    images: tuple[tuple[str, str, float], ...]
    conflicts: tuple[str, ...]

    def explain(self) -> dict[str, Any]:
        """What matched and how close, for findings, the matches endpoint and the sweep's records."""
        matched = []
        if max(self.text_cosine, self.title_jaccard) >= CANDIDATE_COSINE:
            matched.append("title")
        if self.attributes_agree:
            matched.append("attributes")
        if self.images:
            matched.append("images")
        if self.detail_jaccard is not None and self.detail_jaccard >= 0.5:
            matched.append("detail")
        return {
            "score": round(self.score, 3), "same": self.same, "threshold": SAME, "matched": matched,
            "title": {"cosine": round(self.text_cosine, 3), "char_bigram_jaccard": round(self.title_jaccard, 3)},
            "detail_jaccard": None if self.detail_jaccard is None else round(self.detail_jaccard, 3),
            "attributes": {"agree": list(self.attributes_agree), "differ": list(self.attributes_differ)},
            "images": [{"listing": a, "banned": b, "closeness": round(c, 3)} for a, b, c in self.images],
            "conflicts": list(self.conflicts),
        }


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def _conflicts(a: Fingerprint, b: Fingerprint) -> list[str]:
    out = [f"{k}: {a.attributes[k]!r} vs {b.attributes[k]!r}" for k in IDENTIFYING_KEYS
           if k in a.attributes and k in b.attributes and a.attributes[k] != b.attributes[k]]
    out += [f"attribute {k}: {a.attributes[k]!r} vs {b.attributes[k]!r}" for k in sorted(a.attributes.keys() & b.attributes.keys())
            if k not in IDENTIFYING_KEYS and a.attributes[k] != b.attributes[k] and _has_digit(a.attributes[k]) and _has_digit(b.attributes[k])]
    out += [f"title numbers ({u or 'no unit'}): {sorted(a.numbers[u])} vs {sorted(b.numbers[u])}"
            for u in sorted(a.numbers.keys() & b.numbers.keys()) if not a.numbers[u] & b.numbers[u]]
    if a.category and b.category and not (a.category.startswith(b.category) or b.category.startswith(a.category)):
        out.append(f"category: {a.category!r} vs {b.category!r}")
    return out


def _has_digit(s: str) -> bool:
    return any(c.isdigit() for c in s)


def compare(a: Fingerprint, b: Fingerprint, images: ImageMatcher = identical_images) -> Similarity:
    """How close listing `a` is to banned product `b`. Text (the better of sentence cosine and
    title 2-gram Jaccard) plus weighted support from attributes, images and detail text; any
    conflict on brand, model, a size or number, or category makes them different products."""
    cosine = float(np.clip(a.vector @ b.vector, -1.0, 1.0))
    jac = jaccard(a.minhash, b.minhash)
    detail = jaccard(a.detail, b.detail) if a.detail is not None and b.detail is not None else None
    shared = sorted(a.attributes.keys() & b.attributes.keys())
    agree = tuple(k for k in shared if a.attributes[k] == b.attributes[k])
    differ = tuple(k for k in shared if a.attributes[k] != b.attributes[k])
    union = a.attributes.keys() | b.attributes.keys()
    pictures = tuple(images(a.images, b.images))
    score = max(cosine, jac) + W_ATTRIBUTES * (len(agree) / len(union) if union else 0.0)
    score += W_IMAGES * max((c for _, _, c in pictures), default=0.0) + W_DETAIL * (detail or 0.0)
    score = max(0.0, min(1.0, score))
    conflicts = tuple(_conflicts(a, b))
    return Similarity(score, score >= SAME and not conflicts, cosine, jac, detail, agree, differ, pictures, conflicts)


def is_candidate(a: Fingerprint, b: Fingerprint) -> bool:
    """The cheap first stage for a linear scan: a pair worth comparing in full. (The registry
    uses the same thresholds through core.same_product_index: LSH on the MinHash, faiss on the
    vector, an exact lookup on image ids.)"""
    return bool(a.images & b.images) or jaccard(a.minhash, b.minhash) >= CANDIDATE_JACCARD or float(a.vector @ b.vector) >= CANDIDATE_COSINE


def best_matches(listing: Fingerprint, banned: Iterable[tuple[str, Fingerprint]], images: ImageMatcher = identical_images) -> list[tuple[str, Similarity]]:
    """The banned entries (key, fingerprint) this listing is the same product as, closest first."""
    found = [(key, compare(listing, fp, images)) for key, fp in banned if is_candidate(listing, fp)]
    return sorted(((k, s) for k, s in found if s.same), key=lambda ks: -ks[1].score)
