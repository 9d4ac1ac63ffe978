"""Is one image a copy of another, where, and how sure (DY-IP): PDQ first, local features second.

`features` describes an image once (cacheable: the service keeps references' features);
`match(query, candidate)` compares two descriptions. A PDQ distance within `MATCH_DISTANCE`
over any dihedral variant is a whole-image copy (resized, re-encoded, recoloured, overlaid,
mirrored); otherwise SIFT + RANSAC looks for the candidate inside the query (crops, collages).
Pure: arrays in, matches out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from shopwarden.core.images.local_match import Box, LocalFeatures, local_features, match_local
from shopwarden.core.images.pdq import MATCH_DISTANCE, MIN_QUALITY, PdqHash, nearest, pdq_dihedral

# Confidence: a PDQ match at distance 0 is 0.99, at the threshold 0.8; a local match at
# MIN_INLIERS is 0.7, rising to 0.99 at SURE_INLIERS.
SURE_INLIERS = 80


@dataclass(frozen=True, slots=True)
class ImageFeatures:
    """An image's PDQ hash (and, for a query, its eight dihedral variants) and keypoints."""

    width: int
    height: int
    pdq: PdqHash
    variants: tuple[PdqHash, ...]
    local: LocalFeatures


@dataclass(frozen=True, slots=True)
class Match:
    method: Literal["pdq", "local"]
    confidence: float
    query_box: Box
    reference_box: Box
    distance: int | None = None  # PDQ Hamming distance
    inliers: int | None = None  # RANSAC inliers
    mirrored: bool = False

    def as_dict(self) -> dict:
        return {
            "method": self.method, "confidence": round(self.confidence, 4), "distance": self.distance, "inliers": self.inliers,
            "mirrored": self.mirrored, "query_box": [list(p) for p in self.query_box], "reference_box": [list(p) for p in self.reference_box],
        }


def features(image: np.ndarray, query: bool = True) -> ImageFeatures:
    """Describe an RGB (or grey) uint8 array; a query also gets its mirrored keypoints."""
    variants = pdq_dihedral(image)
    height, width = image.shape[:2]
    return ImageFeatures(width, height, variants[0], variants if query else variants[:1], local_features(image, mirrored=query))


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


def match(query: ImageFeatures, candidate: ImageFeatures) -> Match | None:
    """Whether `candidate` (a protected or earlier image) appears in `query`, where and how sure."""
    found = pdq_match(query, candidate.pdq, (candidate.width, candidate.height))
    if found is not None:
        return found
    local = match_local(query.local, candidate.local)
    if local is None:
        return None
    confidence = min(0.99, 0.7 + 0.29 * (local.inliers - 15) / max(1, SURE_INLIERS - 15))
    return Match("local", confidence, local.query_box, local.reference_box, inliers=local.inliers, mirrored=local.mirrored)
