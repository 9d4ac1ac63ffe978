"""Local-feature matching with geometric verification: copies that PDQ misses (crops, collages).

SIFT keypoints (RootSIFT descriptors) on the image scaled to at most `MAX_SIDE` pixels, Lowe's
ratio test, then a RANSAC homography from the reference into the query. A match must be a sane
projective map (not degenerate, a plausible scale, convex) that the inliers support over a
real share of the reference — an unrelated image that shares a small text box or logo gives
a couple of dozen inliers packed into a corner, which the coverage test refuses. Mirrors are
matched by describing the query a second time, flipped. Pure: arrays in, matches out.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SIDE = 800
N_FEATURES = 1000
# A query may be a collage of several pictures or carry overlaid text that draws keypoints of its
# own: it gets more keypoints to share among them.
N_QUERY_FEATURES = 2000
# Below OpenCV's default 0.04: flat, low-contrast product shots otherwise yield a handful of points.
CONTRAST = 0.01
RATIO = 0.75
RANSAC_PIXELS = 4.0
MIN_INLIERS = 15
# The inliers must span this share of the reference's area (a 30% crop keeps ~49%).
MIN_COVERAGE = 0.2
SCALE_RANGE = (0.05, 20.0)
# The inliers must be this share of the reference's keypoints that lie inside the part of the
# reference the query shows. A real copy lines up hundreds of them (the evaluation's crops: 500+
# inliers on drawn products); a look-alike (same layout: a label box on a similar bottle, a
# similar studio backdrop) lines up 15-22 corners out of several hundred — before this test,
# 14 false matches among the evaluation's drawn products, none after.
MIN_INLIER_SHARE = 0.08

Box = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Keypoints:
    """Keypoint positions (in the scaled image's pixels) and their RootSIFT descriptors."""

    points: np.ndarray  # (n, 2) float32
    descriptors: np.ndarray  # (n, 128) float32


@dataclass(frozen=True, slots=True)
class LocalFeatures:
    """An image's keypoints; `mirrored` (the image flipped left-right, points mapped back to
    unflipped coordinates) is computed for queries only. `scale` maps scaled pixels to original."""

    width: int
    height: int
    scale: float
    plain: Keypoints
    mirrored: Keypoints | None = None


@dataclass(frozen=True, slots=True)
class LocalMatch:
    """Where the reference appears in the query: boxes in original pixels (corner points,
    clockwise from top-left), the RANSAC inliers, and whether the query is mirrored."""

    query_box: Box
    reference_box: Box
    inliers: int
    mirrored: bool


def _detector(n: int):
    return cv2.SIFT_create(nfeatures=n, contrastThreshold=CONTRAST)


def _grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image.astype(np.uint8)
    return cv2.cvtColor(np.ascontiguousarray(image[:, :, :3].astype(np.uint8)), cv2.COLOR_RGB2GRAY)


def _describe(grey: np.ndarray, n: int) -> Keypoints:
    keypoints, descriptors = _detector(n).detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        return Keypoints(np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32))
    descriptors = descriptors / (np.abs(descriptors).sum(axis=1, keepdims=True) + 1e-7)
    return Keypoints(np.float32([k.pt for k in keypoints]), np.sqrt(descriptors).astype(np.float32))


def local_features(image: np.ndarray, mirrored: bool = False) -> LocalFeatures:
    """Keypoints of an RGB or grey uint8 array; with `mirrored`, also of its mirror image."""
    height, width = image.shape[:2]
    scale = max(1.0, max(height, width) / MAX_SIDE)
    grey = _grey(image)
    if scale > 1.0:
        grey = cv2.resize(grey, (round(width / scale), round(height / scale)), interpolation=cv2.INTER_AREA)
    n = N_QUERY_FEATURES if mirrored else N_FEATURES
    plain = _describe(grey, n)
    flipped = None
    if mirrored:
        flipped = _describe(np.ascontiguousarray(grey[:, ::-1]), n)
        flipped = Keypoints(np.column_stack([grey.shape[1] - 1 - flipped.points[:, 0], flipped.points[:, 1]]).astype(np.float32), flipped.descriptors)
    return LocalFeatures(width, height, scale, plain, flipped)


def _pairs(query: Keypoints, reference: Keypoints) -> tuple[np.ndarray, np.ndarray]:
    if len(query.descriptors) < 2 or len(reference.descriptors) < 2:
        return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
    knn = cv2.BFMatcher(cv2.NORM_L2).knnMatch(query.descriptors, reference.descriptors, k=2)
    good = [pair[0] for pair in knn if len(pair) == 2 and pair[0].distance < RATIO * pair[1].distance]
    q = np.float32([query.points[m.queryIdx] for m in good]).reshape(-1, 2)
    r = np.float32([reference.points[m.trainIdx] for m in good]).reshape(-1, 2)
    return q, r


def _corners(width: float, height: float) -> np.ndarray:
    return np.float32([[0, 0], [width, 0], [width, height], [0, height]]).reshape(-1, 1, 2)


def _sane(h: np.ndarray, mirrored: bool, ref_size: tuple[float, float]) -> bool:
    """Not degenerate, a plausible scale, orientation-preserving unless mirrored, and the
    reference's frame lands as a convex quadrilateral."""
    det = float(np.linalg.det(h[:2, :2]))
    if (det < 0) != mirrored or not SCALE_RANGE[0] ** 2 <= abs(det) <= SCALE_RANGE[1] ** 2:
        return False
    projected = cv2.perspectiveTransform(_corners(*ref_size), h).reshape(-1, 2)
    return bool(np.all(np.isfinite(projected))) and cv2.isContourConvex(projected.astype(np.float32).reshape(-1, 1, 2))


def _box(points: np.ndarray, width: float, height: float, scale: float) -> Box:
    x0, y0 = np.clip(points.min(axis=0), 0, [width, height]) * scale
    x1, y1 = np.clip(points.max(axis=0), 0, [width, height]) * scale
    x0, y0, x1, y1 = (int(round(v)) for v in (x0, y0, x1, y1))
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def _inside(points: np.ndarray, polygon: np.ndarray) -> int:
    """How many of `points` lie inside the convex `polygon` (4 corners)."""
    if len(points) == 0:
        return 0
    contour = polygon.astype(np.float32).reshape(-1, 1, 2)
    if not cv2.isContourConvex(contour):
        return len(points)
    return sum(cv2.pointPolygonTest(contour, (float(x), float(y)), False) >= 0 for x, y in points)


def _verify(q: np.ndarray, r: np.ndarray, query: LocalFeatures, reference: LocalFeatures, mirrored: bool) -> LocalMatch | None:
    if len(q) < MIN_INLIERS:
        return None
    h, mask = cv2.findHomography(r, q, cv2.RANSAC, RANSAC_PIXELS)
    if h is None or mask is None or int(mask.sum()) < MIN_INLIERS:
        return None
    inliers = mask.ravel().astype(bool)
    ref_w, ref_h = reference.width / reference.scale, reference.height / reference.scale
    if not _sane(h, mirrored, (ref_w, ref_h)):
        return None
    spread = r[inliers].max(axis=0) - r[inliers].min(axis=0)
    if spread[0] * spread[1] < MIN_COVERAGE * ref_w * ref_h:
        return None
    q_w, q_h = query.width / query.scale, query.height / query.scale
    in_query = cv2.perspectiveTransform(_corners(ref_w, ref_h), h).reshape(-1, 2)
    in_reference = cv2.perspectiveTransform(_corners(q_w, q_h), np.linalg.inv(h)).reshape(-1, 2)
    if int(inliers.sum()) < MIN_INLIER_SHARE * _inside(reference.plain.points, in_reference):
        return None
    return LocalMatch(
        _box(in_query, q_w, q_h, query.scale), _box(in_reference, ref_w, ref_h, reference.scale), int(inliers.sum()), mirrored
    )


def match_local(query: LocalFeatures, reference: LocalFeatures) -> LocalMatch | None:
    """The best verified placement of `reference` in `query` (plain, then mirrored), or None."""
    best = None
    for mirrored, keypoints in ((False, query.plain), (True, query.mirrored)):
        if keypoints is None:
            continue
        found = _verify(*_pairs(keypoints, reference.plain), query, reference, mirrored)
        if found is not None and (best is None or found.inliers > best.inliers):
            best = found
    return best


# --- the dense fallback for flat references ---------------------------------------------------
# A flat, low-texture image (a clock face, a colour wheel, a plain product on a plain backdrop)
# yields a handful of SIFT keypoints and a low PDQ quality, so neither path can speak for it.
# For such a reference only, the query is compared densely: colour thumbnails, high-passed (so a
# shared smooth gradient does not correlate), by normalised cross-correlation per channel — the
# whole query, each cell of its 2x2 grid (a collage tile), each mirrored, as the whole reference
# (any aspect) and as a window of 60-90% of its width slid over it (a crop).
DENSE_BELOW = 100  # reference keypoints below which the dense check runs
DENSE_SIDE = 96
THUMB_SIDE = 384  # the query's kept copy
# Measured on the evaluation set (batch/image_eval.py) for its two flat originals: copies
# 0.69-1.0, except four lines of text plus a banner over a flat image (0.28-0.40: unmatched);
# different originals <= 0.40.
DENSE_MIN_NCC = 0.55
DENSE_SHARES = (0.9, 0.8, 0.7, 0.6)


def thumbnail(image: np.ndarray, side: int = THUMB_SIDE) -> np.ndarray:
    """An RGB uint8 copy at most `side` pixels on its longer side."""
    rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image[:, :, :3]
    rgb = np.ascontiguousarray(rgb.astype(np.uint8))
    s = side / max(rgb.shape[:2])
    if s >= 1:
        return rgb
    return cv2.resize(rgb, (max(8, round(rgb.shape[1] * s)), max(8, round(rgb.shape[0] * s))), interpolation=cv2.INTER_AREA)


def _high_pass(a: np.ndarray) -> np.ndarray:
    """Detail only, clipped at three times its median size so a few strong new edges (overlaid
    text, a mosaic's block edges) cannot outweigh the image's own detail."""
    a = a.astype(np.float32)
    detail = a - cv2.GaussianBlur(a, (0, 0), 3)
    limit = 3 * float(np.median(np.abs(detail))) + 1e-3
    return np.clip(detail, -limit, limit)


def dense_reference(image: np.ndarray) -> np.ndarray:
    """The reference's high-passed colour thumbnail the dense check slides over."""
    return _high_pass(thumbnail(image, DENSE_SIDE))


def _ncc(reference: np.ndarray, template: np.ndarray) -> tuple[float, tuple[int, int]]:
    scores = np.mean([cv2.matchTemplate(reference[..., c], template[..., c], cv2.TM_CCOEFF_NORMED) for c in range(3)], axis=0)
    _, best, _, at = cv2.minMaxLoc(scores)
    return float(best), at


def match_dense(query_thumb: np.ndarray, reference: np.ndarray) -> tuple[float, Box, bool, Box] | None:
    """(score, box in the query thumbnail, mirrored, box in the reference thumbnail) of the best
    dense placement at or above DENSE_MIN_NCC, or None. Boxes are in thumbnail pixels."""
    h, w = query_thumb.shape[:2]
    rh, rw = reference.shape[:2]
    parts = [((0, 0, w, h), query_thumb)]
    if min(h, w) >= 2 * 48:
        parts += [((x0, y0, x1, y1), query_thumb[y0:y1, x0:x1]) for y0, y1 in ((0, h // 2), (h // 2, h)) for x0, x1 in ((0, w // 2), (w // 2, w))]
    best = None
    for (x0, y0, x1, y1), part in parts:
        for mirrored in (False, True):
            q = np.ascontiguousarray(part[:, ::-1] if mirrored else part)
            sizes = [(rw, rh)]
            for share in DENSE_SHARES:
                tw, th = round(rw * share), round(rw * share * q.shape[0] / q.shape[1])
                if th > rh:
                    th, tw = round(rh * share), round(rh * share * q.shape[1] / q.shape[0])
                if 8 <= tw <= rw and 8 <= th <= rh:
                    sizes.append((tw, th))
            for tw, th in sizes:
                score, (ax, ay) = _ncc(reference, _high_pass(cv2.resize(q, (tw, th), interpolation=cv2.INTER_AREA)))
                if score >= DENSE_MIN_NCC and (best is None or score > best[0]):
                    qbox = ((x0, y0), (x1, y0), (x1, y1), (x0, y1))
                    rbox = ((ax, ay), (ax + tw, ay), (ax + tw, ay + th), (ax, ay + th))
                    best = (score, qbox, mirrored, rbox)
    return best
