"""Is one image a copy of another, where, and how sure (DY-IP): PDQ first, local features second.

`features` describes an image once (cacheable: the service keeps references' features);
`match(query, candidate)` compares two descriptions. A PDQ distance within `MATCH_DISTANCE`
over any dihedral variant is a whole-image copy (resized, re-encoded, recoloured, overlaid,
mirrored); the same test on each cell of the query's 2x2 grid finds a tile of a collage;
otherwise SIFT + RANSAC looks for the candidate inside the query (crops, collages); and for a
flat reference SIFT cannot describe, a dense correlation of thumbnails (`match_dense`).
Pure: arrays in, matches out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from shopwarden.core.images.local_match import (
    DENSE_BELOW,
    MIN_CELLS,
    MIN_INLIERS,
    MIN_SHARE,
    Box,
    LocalFeatures,
    Verification,
    dense_reference,
    local_features,
    match_dense,
    match_local,
    thumbnail,
)
from shopwarden.core.images.pdq import MATCH_DISTANCE, MIN_QUALITY, PdqHash, nearest, pdq_dihedral

# Confidence: a PDQ match at distance 0 is 0.99, at the threshold 0.8; a local match at its
# verification's bars is 0.7, rising to 0.99 (`local_confidence`).
SURE_INLIERS = 60
# PDQ matches farther than this need the local check's agreement (`match`). On the real-photo dev
# split every copy PDQ placed at 13-31 bits (resized, mirrored, re-coloured: 21 of 64) kept
# 90-1001 inliers at share >= 0.49; images that copy nothing were never nearer than 60 bits.
PDQ_CONFIRM = 12
SURE_SHARE = 0.3
# A flat original's match (`for_review`) at most this sure: at or above the detector's
# min_confidence (0.7), so it is reported, and below the packs' DY-IP block score (0.8), so the
# decision is review with a case.
REVIEW_CONFIDENCE = 0.75
SURE_CELLS = 0.6
# Grid cells smaller than this are not hashed on their own.
MIN_TILE = 96
# The longest side an image is described at (decode's working copy): SIFT sees at most
# local_match.MAX_SIDE (800), PDQ reduces to 64x64, the thumbnails are 384 and 96 px; a 6000 px
# original gains nothing but time (PDQ on 36 Mpx: ~5 s with its tiles) and memory.
WORK_SIDE = 1024


@dataclass(frozen=True, slots=True)
class ImageFeatures:
    """An image's PDQ hash (and, for a query, its eight dihedral variants) and keypoints."""

    width: int
    height: int
    pdq: PdqHash
    variants: tuple[PdqHash, ...]
    local: LocalFeatures
    # A query's 2x2 grid cells: (cell box, the cell's eight dihedral hashes). A tile of a
    # four-image collage hashes near its original, which no crop-sensitive whole-image hash does.
    tiles: tuple[tuple[Box, tuple[PdqHash, ...]], ...] = ()
    # A query's small colour copy, and a flat reference's smaller one (few keypoints: the dense
    # fallback of local_match speaks for it).
    thumb: np.ndarray | None = None
    dense: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class Match:
    method: Literal["pdq", "local", "dense"]
    confidence: float
    query_box: Box
    reference_box: Box
    distance: int | None = None  # PDQ Hamming distance
    inliers: int | None = None  # RANSAC inliers
    mirrored: bool = False
    share: float | None = None  # local: the inliers' share of what could match (local_match.Verification)
    coverage: float | None = None  # local: the share of the shared part's textured cells they cover
    # The original holds too little detail to tell a copy from a look-alike (`for_review`): the
    # match goes to an operator as a case, never to an automatic finding.
    review: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method, "confidence": round(self.confidence, 4), "distance": self.distance, "inliers": self.inliers,
            "mirrored": self.mirrored, "query_box": [list(p) for p in self.query_box], "reference_box": [list(p) for p in self.reference_box],
        }
        if self.review:
            out["review"] = True
        if self.share is not None:
            out["share"] = round(self.share, 4)
        if self.coverage is not None:
            out["coverage"] = round(self.coverage, 4)
        return out


def features(image: np.ndarray, query: bool = True, size: tuple[int, int] | None = None) -> ImageFeatures:
    """Describe an RGB (or grey) uint8 array; a query also gets its mirrored keypoints. `size` is
    the original's (width, height) when `image` is a working copy of it (boxes are the original's)."""
    variants = pdq_dihedral(image)
    width, height = size or (image.shape[1], image.shape[0])
    tiles = _tiles(image, width / image.shape[1], height / image.shape[0]) if query else ()
    local = local_features(image, mirrored=query, size=(width, height))
    dense = dense_reference(image) if len(local.plain.points) < DENSE_BELOW else None
    return ImageFeatures(width, height, variants[0], variants if query else variants[:1], local, tiles,
                         thumbnail(image) if query else None, dense)


def _tiles(image: np.ndarray, sx: float = 1.0, sy: float = 1.0) -> tuple[tuple[Box, tuple[PdqHash, ...]], ...]:
    height, width = image.shape[:2]
    if min(height, width) < 2 * MIN_TILE:
        return ()
    out = []
    for y0, y1 in ((0, height // 2), (height // 2, height)):
        for x0, x1 in ((0, width // 2), (width // 2, width)):
            box = _scaled(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), sx, sy)
            out.append((box, pdq_dihedral(np.ascontiguousarray(image[y0:y1, x0:x1]))))
    return tuple(out)


def _frame(width: int, height: int) -> Box:
    return ((0, 0), (width, 0), (width, height), (0, height))


def pdq_match(query: ImageFeatures, candidate: PdqHash, size: tuple[int, int]) -> Match | None:
    """The whole-image match by PDQ alone (the fast path, and the baseline of the evaluation)."""
    if query.pdq.quality < MIN_QUALITY or candidate.quality < MIN_QUALITY:
        return None
    distance = nearest(query.variants, candidate)
    if distance > MATCH_DISTANCE:
        return None
    mirrored = nearest(query.variants[:1], candidate) != distance
    confidence = 0.99 - 0.19 * distance / MATCH_DISTANCE
    return Match("pdq", confidence, _frame(query.width, query.height), _frame(*size), distance=distance, mirrored=mirrored)


def tile_match(query: ImageFeatures, candidate: PdqHash, size: tuple[int, int]) -> Match | None:
    """`candidate` as one cell of a 2x2 collage in the query, by the cells' PDQ hashes."""
    if candidate.quality < MIN_QUALITY:
        return None
    best = None
    for box, variants in query.tiles:
        if variants[0].quality < MIN_QUALITY:
            continue
        distance = nearest(variants, candidate)
        if distance <= MATCH_DISTANCE and (best is None or distance < best[0]):
            best = (distance, box, nearest(variants[:1], candidate) != distance)
    if best is None:
        return None
    distance, box, mirrored = best
    return Match("pdq", 0.99 - 0.19 * distance / MATCH_DISTANCE, box, _frame(*size), distance=distance, mirrored=mirrored)


def textured(query: ImageFeatures, candidate: ImageFeatures) -> bool:
    """Both images have the keypoints a local check needs (a flat one is PDQ's or the dense path's)."""
    return candidate.dense is None and len(query.local.plain.points) >= DENSE_BELOW


def for_review(found: Match) -> Match:
    """A match against a flat original (fewer than DENSE_BELOW keypoints): such an original has
    too little detail for any test to tell its copy from another dark corner, sky or plain
    backdrop, so its matches are sent to an operator (REVIEW_CONFIDENCE: the packs' DY-IP rows
    open a case below their block score) instead of an automatic finding."""
    return replace(found, confidence=min(found.confidence, REVIEW_CONFIDENCE), review=True)


def match(query: ImageFeatures, candidate: ImageFeatures) -> Match | None:
    """Whether `candidate` (a protected or earlier image) appears in `query`, where and how sure;
    a flat `candidate`'s match is `for_review`.

    A PDQ (or collage-tile) match farther than PDQ_CONFIRM counts only when the local check
    agrees (without its centre test: the whole image already agrees), where both images are
    textured enough for one: different products shot alike (one studio, one pose, one white
    backdrop) can hash within PDQ's threshold; a copy that far is resized, re-coloured or partly
    covered, and its keypoints line up (issue 18)."""
    found = _match(query, candidate)
    return for_review(found) if found is not None and candidate.dense is not None else found


def _match(query: ImageFeatures, candidate: ImageFeatures) -> Match | None:
    size = (candidate.width, candidate.height)
    found = pdq_match(query, candidate.pdq, size) or tile_match(query, candidate.pdq, size)
    if found is not None and ((found.distance or 0) <= PDQ_CONFIRM or not textured(query, candidate)):
        return found
    local = match_local(query.local, candidate.local, centre=found is None)
    if local is None:
        return None if found is not None else _dense(query, candidate)
    v = local.verification
    if v is None:
        return None
    m = Match("local", local_confidence(v), local.query_box, local.reference_box, inliers=local.inliers, mirrored=local.mirrored,
              share=v.share, coverage=v.coverage)
    # Neither image has the keypoints to judge the centre (a plain centre, and nothing textured put
    # there): a backdrop that lines up cannot tell a copy from another plain thing set into it —
    # on the dev split, a grey square pasted over a bokeh backdrop's centre. A person decides.
    return for_review(m) if found is None and v.centre is None else m


def local_confidence(v: Verification) -> float:
    """0.7 at the verification's bars (local_match: MIN_SHARE, MIN_CELLS), 0.99 when the inliers
    are SURE_SHARE of what could match, cover SURE_CELLS of the shared part and number SURE_INLIERS:
    the weakest of the three says how sure."""
    def part(value: float, low: float, high: float) -> float:
        return max(0.0, min(1.0, (value - low) / max(1e-9, high - low)))

    weakest = min(part(v.share, MIN_SHARE, SURE_SHARE), part(v.coverage, MIN_CELLS, SURE_CELLS), part(v.inliers, MIN_INLIERS, SURE_INLIERS))
    return round(0.7 + 0.29 * weakest, 4)


def _scaled(box: Box, sx: float, sy: float | None = None) -> Box:
    return tuple((round(x * sx), round(y * (sx if sy is None else sy))) for x, y in box)


def _dense(query: ImageFeatures, candidate: ImageFeatures) -> Match | None:
    """The flat-reference fallback: dense normalised cross-correlation of thumbnails."""
    if candidate.dense is None or query.thumb is None:
        return None
    found = match_dense(query.thumb, candidate.dense)
    if found is None:
        return None
    return Match("dense", found.confidence, _scaled(found.query_box, query.width / query.thumb.shape[1]),
                 _scaled(found.reference_box, candidate.width / candidate.dense.shape[1]), mirrored=found.mirrored)
