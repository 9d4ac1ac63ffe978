"""Local-feature matching with geometric verification: copies that PDQ misses (crops, collages).

SIFT keypoints (RootSIFT descriptors) on the image scaled to at most `MAX_SIDE` pixels, Lowe's
ratio test, then a RANSAC homography from the reference into the query. A match must be a sane
projective map (not degenerate, a plausible scale, convex) that the inliers support over a
real share of the reference — an unrelated image that shares a small text box or logo gives
a couple of dozen inliers packed into a corner, which the coverage test refuses. Mirrors are
matched by describing the query a second time, flipped. A flat reference with too few keypoints
is compared densely instead, by a correlation that leaves out what covers part of the copy
(`match_dense`, below). Pure: arrays in, matches out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
SCALE_RANGE = (0.05, 20.0)
# Verification (`Verification`, `accepted`). Read on the dev split of evals/image_real_eval.py
# only (real photos; `--pairs` writes the statistics), never on its test split. There, over 16
# copies per edit: share >= 0.083 (a price banner over a 2.5x enlarged copy; a 2x2 collage tile
# 0.22), coverage >= 0.30 (collage), centre >= 0.75, inliers >= 19 (a 30% crop); and no image that
# copies nothing (unregistered parts of the same photos, plain and under the eleven edits) kept
# 15 inliers of a sane affine placement at all — the centre-swapped images (the same backdrop
# around another product) kept 31-454 inliers, share up to 0.73, coverage 0.33-0.60, centre 0.0.
# The bars sit below the copies with room to spare, except the centre's, which sits between.
MIN_SHARE = 0.06  # inliers over the keypoints that could have matched
GRID, CELL_POINTS = 6, 3  # the coverage grid over the shared part, and what makes a cell textured
MIN_CELLS = 0.25  # share of textured cells holding an inlier, the smaller of the two images'
CENTRE = 0.5  # the central box (half of each side: a quarter of the area) where the product is
CENTRE_MIN = 12  # central keypoints needed to judge the centre
MIN_CENTRE = 0.35  # the centre's inlier rate over the whole shared part's

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
class Verification:
    """What geometric verification measured for one placement of a reference in a query.

    `inliers`: RANSAC inliers of the affine map (reference -> query). `share`: the inliers over
    the keypoints that could have matched — the fewer of the reference's keypoints inside the
    part of it the query shows and the query's keypoints inside the reference's place in it (a
    downscaled copy keeps fewer keypoints; a look-alike has many that match nothing).
    `coverage`: the smaller, over the two images, of the share of textured grid cells of that
    shared part that hold an inlier (a real copy lines up everywhere; a shared face, logo or
    backdrop lines up in a few cells). `centre`: the share of the reference's keypoints in its
    central quarter (the product's place in a product photo) inside the shared part that are
    inliers, over the same rate for the whole shared part (about 1 for a copy); when fewer than
    CENTRE_MIN are there to judge, the same rate for the query's keypoints inside that central box
    as placed (`_query_centre`), None when too few are there either — a backdrop or a model's
    pose shared around another product lines up everywhere but there."""

    inliers: int
    share: float
    coverage: float
    centre: float | None


@dataclass(frozen=True, slots=True)
class LocalMatch:
    """Where the reference appears in the query: boxes in original pixels (corner points,
    clockwise from top-left), the verification, and whether the query is mirrored."""

    query_box: Box
    reference_box: Box
    inliers: int
    mirrored: bool
    verification: Verification | None = None


def _detector(n: int) -> Any:
    return cv2.SIFT_create(nfeatures=n, contrastThreshold=CONTRAST)  # type: ignore[attr-defined]  # missing from OpenCV's stubs


def _grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image.astype(np.uint8)
    return cv2.cvtColor(np.ascontiguousarray(image[:, :, :3].astype(np.uint8)), cv2.COLOR_RGB2GRAY)


def _describe(grey: np.ndarray, n: int) -> Keypoints:
    keypoints, descriptors = _detector(n).detectAndCompute(grey, None)
    if descriptors is None or not keypoints:
        return Keypoints(np.zeros((0, 2), np.float32), np.zeros((0, 128), np.float32))
    descriptors = descriptors / (np.abs(descriptors).sum(axis=1, keepdims=True) + 1e-7)
    return Keypoints(np.array([k.pt for k in keypoints], np.float32), np.sqrt(descriptors).astype(np.float32))


def local_features(image: np.ndarray, mirrored: bool = False, size: tuple[int, int] | None = None) -> LocalFeatures:
    """Keypoints of an RGB or grey uint8 array; with `mirrored`, also of its mirror image. `size`
    is the original's (width, height) when `image` is a reduced working copy of it."""
    width, height = size or (image.shape[1], image.shape[0])
    scale = max(1.0, max(height, width) / MAX_SIDE)
    grey = _grey(image)
    target = (round(width / scale), round(height / scale))
    if (grey.shape[1], grey.shape[0]) != target:
        grey = cv2.resize(grey, target, interpolation=cv2.INTER_AREA)
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
    q = np.array([query.points[m.queryIdx] for m in good], np.float32).reshape(-1, 2)
    r = np.array([reference.points[m.trainIdx] for m in good], np.float32).reshape(-1, 2)
    return q, r


def _corners(width: float, height: float) -> np.ndarray:
    return np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32).reshape(-1, 1, 2)


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


def _inside_mask(points: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Which of `points` lie inside the convex `polygon` (corners in order, either direction)."""
    if len(points) == 0:
        return np.zeros(0, bool)
    p = polygon.reshape(-1, 2).astype(np.float64)
    edges = np.roll(p, -1, axis=0) - p
    rel = points[:, None, :].astype(np.float64) - p[None, :, :]
    cross = edges[None, :, 0] * rel[:, :, 1] - edges[None, :, 1] * rel[:, :, 0]
    inside: np.ndarray = np.all(cross >= -1e-6, axis=1) | np.all(cross <= 1e-6, axis=1)
    return inside


def _cells(points: np.ndarray, inliers: np.ndarray, polygon: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """The share of textured cells (>= CELL_POINTS keypoints, centre inside `polygon`) of a
    GRID x GRID grid over `box` (x0, y0, x1, y1) that hold at least one inlier."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 1 or y1 - y0 < 1:
        return 0.0
    def cell_of(pts: np.ndarray) -> np.ndarray:
        cx = np.clip(((pts[:, 0] - x0) / (x1 - x0) * GRID).astype(int), 0, GRID - 1)
        cy = np.clip(((pts[:, 1] - y0) / (y1 - y0) * GRID).astype(int), 0, GRID - 1)
        cell: np.ndarray = cy * GRID + cx
        return cell
    keep = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    counts = np.bincount(cell_of(points[keep]), minlength=GRID * GRID)
    gx, gy = np.meshgrid((np.arange(GRID) + 0.5) / GRID, (np.arange(GRID) + 0.5) / GRID)
    centres = np.column_stack([x0 + gx.ravel() * (x1 - x0), y0 + gy.ravel() * (y1 - y0)])
    textured = (counts >= CELL_POINTS) & _inside_mask(centres, polygon)
    if not textured.any():
        return 0.0
    hit = np.zeros(GRID * GRID, bool)
    hit[cell_of(inliers)] = True
    return float((hit & textured).sum() / textured.sum())


def _clip_box(polygon: np.ndarray, width: float, height: float) -> tuple[float, float, float, float]:
    lo = np.clip(polygon.min(axis=0), 0, [width, height])
    hi = np.clip(polygon.max(axis=0), 0, [width, height])
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def verify(q: np.ndarray, r: np.ndarray, query: LocalFeatures, reference: LocalFeatures, mirrored: bool) -> LocalMatch | None:
    """The affine placement RANSAC finds for the matched pairs (`q` in the query, `r` in the
    reference) and its `Verification`; None when there is no sane placement with MIN_INLIERS.
    Whether it is a copy is `accepted`'s call."""
    if len(q) < MIN_INLIERS:
        return None
    a, mask = cv2.estimateAffine2D(r, q, method=cv2.RANSAC, ransacReprojThreshold=RANSAC_PIXELS, maxIters=2000, confidence=0.995)
    if a is None or mask is None or int(mask.sum()) < MIN_INLIERS:
        return None
    h = np.vstack([a, [0.0, 0.0, 1.0]])
    inliers = mask.ravel().astype(bool)
    ref_w, ref_h = reference.width / reference.scale, reference.height / reference.scale
    if not _sane(h, mirrored, (ref_w, ref_h)):
        return None
    q_w, q_h = query.width / query.scale, query.height / query.scale
    in_query = cv2.perspectiveTransform(_corners(ref_w, ref_h), h).reshape(-1, 2)
    in_reference = cv2.perspectiveTransform(_corners(q_w, q_h), np.linalg.inv(h)).reshape(-1, 2)
    ref_points = reference.plain.points
    query_keys = query.mirrored if mirrored else query.plain
    query_points = query_keys.points if query_keys is not None else np.zeros((0, 2), np.float32)
    # The shared part: the reference's keypoints the query's frame covers, and the query's
    # keypoints inside the reference's frame as placed.
    ref_shared = _inside_mask(ref_points, in_reference)
    query_shared = _inside_mask(query_points, in_query)
    n = int(inliers.sum())
    share = n / max(1, min(int(ref_shared.sum()), int(query_shared.sum())))
    coverage = min(_cells(ref_points[ref_shared], r[inliers], in_reference, _clip_box(in_reference, ref_w, ref_h)),
                   _cells(query_points[query_shared], q[inliers], in_query, _clip_box(in_query, q_w, q_h)))
    lo, hi = np.array([ref_w, ref_h]) * (0.5 - CENTRE / 2), np.array([ref_w, ref_h]) * (0.5 + CENTRE / 2)
    central = ref_shared & np.all((ref_points >= lo) & (ref_points <= hi), axis=1)
    centre = None
    if int(central.sum()) >= CENTRE_MIN:
        central_inliers = int(np.all((r[inliers] >= lo) & (r[inliers] <= hi), axis=1).sum())
        whole = n / max(1, int(ref_shared.sum()))
        centre = min(1.0, central_inliers / int(central.sum()) / max(whole, 1e-6))
    else:
        centre = _query_centre(query_points, query_shared, q[inliers], h, (lo, hi))
    return LocalMatch(_box(in_query, q_w, q_h, query.scale), _box(in_reference, ref_w, ref_h, reference.scale), n, mirrored,
                      Verification(n, share, coverage, centre))


def _query_centre(points: np.ndarray, shared: np.ndarray, inliers: np.ndarray, h: np.ndarray, box: tuple[np.ndarray, np.ndarray]) -> float | None:
    """The centre test seen from the query, for a reference whose centre is too plain to judge (a
    product on a bare backdrop, sky): the query's keypoints inside the reference's central box as
    placed, their inlier rate over the whole shared part's. A copy adds nothing there; another
    product set into the same backdrop brings keypoints of its own that match nothing (issue 18,
    read on the dev split: a centre-swapped landscape whose centre was sky). None when fewer than
    CENTRE_MIN are there either."""
    (x0, y0), (x1, y1) = box
    quad = cv2.perspectiveTransform(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32).reshape(-1, 1, 2), h).reshape(-1, 2)
    central = shared & _inside_mask(points, quad)
    if int(central.sum()) < CENTRE_MIN:
        return None
    whole = len(inliers) / max(1, int(shared.sum()))
    return min(1.0, int(_inside_mask(inliers, quad).sum()) / int(central.sum()) / max(whole, 1e-6))


def accepted(v: Verification, centre: bool = True) -> bool:
    """Whether a verified placement is a copy: enough inliers, a large enough share of what could
    match, spread over the shared part of both images, and (with `centre`) the reference's centre
    among them."""
    if v.inliers < MIN_INLIERS or v.share < MIN_SHARE or v.coverage < MIN_CELLS:
        return False
    return not centre or v.centre is None or v.centre >= MIN_CENTRE


def match_local(query: LocalFeatures, reference: LocalFeatures, centre: bool = True) -> LocalMatch | None:
    """The best verified placement of `reference` in `query` (plain, then mirrored), or None.
    `centre` False: the centre test is left out (a confirmation of a PDQ match, whose whole
    image already agrees: a mosaic or a sticker over the product stays a copy)."""
    best = None
    for mirrored, keypoints in ((False, query.plain), (True, query.mirrored)):
        if keypoints is None:
            continue
        found = verify(*_pairs(keypoints, reference.plain), query, reference, mirrored)
        if found is None or found.verification is None or not accepted(found.verification, centre):
            continue
        if best is None or found.verification.share > best.verification.share:  # type: ignore[union-attr]
            best = found
    return best


# --- the dense fallback for flat references ---------------------------------------------------
# A flat, low-texture image (a clock face, a colour wheel, a plain product on a plain backdrop)
# yields a handful of SIFT keypoints and a low PDQ quality, so neither path can speak for it.
# For such a reference only, the query is compared densely: colour thumbnails, high-passed (so a
# shared smooth gradient does not correlate), by normalised cross-correlation per channel — the
# whole query, each cell of its 2x2 grid (a collage tile), each mirrored, as the whole reference
# (any aspect) and as a window of 60-90% of its width slid over it (a crop).
#
# Something new laid over part of a copy (text, a watermark, a banner, a sticker) is detail the
# reference lacks, and on a flat image it outweighs the reference's own faint detail. So each
# placement the slide finds best is also scored robustly (`_robust_ncc`): a per-channel gain from
# reference to query is fitted, pixels the fit leaves far out (more than OUTLIER_K robust
# deviations, and never below OUTLIER_FLOOR grey levels; grown by a pixel for the strokes' halo)
# are taken as covered and left out, and the fit is repeated; the correlation over what is left
# counts if at least MIN_VISIBLE of the placement is left and that part holds MIN_EXPLAINED of the
# reference's own detail energy — a copy buried under new content is not claimed from its margins.
DENSE_BELOW = 100  # reference keypoints below which the dense check runs
DENSE_SIDE = 96
THUMB_SIDE = 384  # the query's kept copy
# Measured on the evaluation set (batch/image_eval.py) for its two flat originals, best over every
# placement. Plain NCC: copies 0.70-1.0, except four lines of text plus a banner over a flat image
# (0.27 clock, 0.45 colorwheel: unmatched before the robust score); different originals <= 0.32.
# Robust NCC leaves out whatever disagrees, so it runs higher and has its own, higher bar: copies
# 0.86-1.0 (text/watermark 0.93 clock, 0.92 colorwheel); different originals <= 0.58 (a flower
# head over the clock's round face, the rims left). Never tuned on: the top banner, diagonal
# watermark and sticker of tests/images/test_occlusion.py give copies 0.92-0.99 (whole, mirrored;
# cropped 20% too, except a drawn product the plain 0.58 carries), different originals <= 0.58.
DENSE_MIN_NCC = 0.55
DENSE_MIN_ROBUST = 0.8
DENSE_SHARES = (0.9, 0.8, 0.7, 0.6)
OUTLIER_K = 3.0
OUTLIER_FLOOR = 4.0
OUTLIER_ROUNDS = 2  # four rounds moved no best score on the evaluation set by more than 0.02
MIN_VISIBLE = 0.3
MIN_EXPLAINED = 0.3
_GROW = np.ones((3, 3), np.uint8)  # a stroke's halo


@dataclass(frozen=True, slots=True)
class DenseMatch:
    """A dense placement: boxes in thumbnail pixels, the correlation, and the share of the
    placement left out as covered (0 when the plain correlation was enough on its own)."""

    confidence: float
    score: float
    covered: float
    query_box: Box
    reference_box: Box
    mirrored: bool


def thumbnail(image: np.ndarray, side: int = THUMB_SIDE) -> np.ndarray:
    """An RGB uint8 copy at most `side` pixels on its longer side."""
    rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image[:, :, :3]
    rgb = np.ascontiguousarray(rgb.astype(np.uint8))
    s = side / max(rgb.shape[:2])
    if s >= 1:
        return rgb
    return cv2.resize(rgb, (max(8, round(rgb.shape[1] * s)), max(8, round(rgb.shape[0] * s))), interpolation=cv2.INTER_AREA)


def _detail(a: np.ndarray) -> np.ndarray:
    a = a.astype(np.float32)
    return a - cv2.GaussianBlur(a, (0, 0), 3)


def _clipped(detail: np.ndarray) -> np.ndarray:
    """Detail clipped at three times its median size so a few strong new edges (overlaid text, a
    mosaic's block edges) cannot outweigh the image's own detail in the slide."""
    limit = 3 * float(np.median(np.abs(detail))) + 1e-3
    clipped: np.ndarray = np.clip(detail, -limit, limit)
    return clipped


def dense_reference(image: np.ndarray) -> np.ndarray:
    """The reference's colour thumbnail (uint8, DENSE_SIDE) the dense check slides over."""
    return thumbnail(image, DENSE_SIDE)


def _ncc(reference: np.ndarray, template: np.ndarray) -> tuple[float, tuple[int, int]]:
    scores = np.mean([cv2.matchTemplate(reference[..., c], template[..., c], cv2.TM_CCOEFF_NORMED) for c in range(3)], axis=0)
    _, best, _, at = cv2.minMaxLoc(scores)
    return float(best), (int(at[0]), int(at[1]))


def _robust_ncc(reference: np.ndarray, query: np.ndarray) -> tuple[float, float]:
    """(correlation, share covered) of two same-sized detail images over the pixels the query
    does not cover with something new; correlation 0 when too little of the reference is left."""
    shape = reference.shape[:2]
    r, q = (np.ascontiguousarray(a.reshape(-1, 3).T) for a in (reference, query))  # channels first: fast reductions
    rq, rr = r * q, r * r
    visible = np.ones(r.shape[1], bool)
    for _ in range(OUTLIER_ROUNDS):
        weight = visible.astype(np.float32)
        gain = (rq @ weight) / np.maximum(rr @ weight, 1e-6)
        residual = np.abs(q - r * gain[:, None]).max(axis=0)
        spread = max(1.4826 * float(np.median(residual[visible])), OUTLIER_FLOOR)
        covered = (residual > OUTLIER_K * spread).astype(np.uint8).reshape(shape)
        visible = cv2.dilate(covered, _GROW).reshape(-1) == 0
        if visible.mean() < MIN_VISIBLE:
            return 0.0, 1.0 - float(visible.mean())
    energy = rr.sum(axis=0)
    if energy[visible].sum() < MIN_EXPLAINED * energy.sum():
        return 0.0, 1.0 - float(visible.mean())
    r, q = r[:, visible], q[:, visible]
    r, q = r - r.mean(axis=1, keepdims=True), q - q.mean(axis=1, keepdims=True)
    ncc = (r * q).sum(axis=1) / np.sqrt((r * r).sum(axis=1) * (q * q).sum(axis=1) + 1e-9)
    return float(ncc.mean()), 1.0 - float(visible.mean())


def _sizes(reference: tuple[int, int], part: tuple[int, int]) -> list[tuple[int, int]]:
    """Template sizes (w, h): the whole reference, then windows of DENSE_SHARES of it at the part's aspect."""
    (rw, rh), (pw, ph) = reference, part
    sizes = [(rw, rh)]
    for share in DENSE_SHARES:
        tw, th = round(rw * share), round(rw * share * ph / pw)
        if th > rh:
            th, tw = round(rh * share), round(rh * share * pw / ph)
        if 8 <= tw <= rw and 8 <= th <= rh:
            sizes.append((tw, th))
    return sizes


def _confidence(score: float, threshold: float) -> float:
    return min(0.99, 0.7 + 0.29 * (score - threshold) / (1 - threshold))


def match_dense(query_thumb: np.ndarray, reference: np.ndarray) -> DenseMatch | None:
    """The most confident dense placement of `reference` (a `dense_reference`) in the query
    thumbnail whose plain correlation reaches DENSE_MIN_NCC or whose robust one reaches
    DENSE_MIN_ROBUST, or None."""
    h, w = query_thumb.shape[:2]
    rh, rw = reference.shape[:2]
    ref_detail = _detail(reference)
    ref_clipped = _clipped(ref_detail)
    parts = [((0, 0, w, h), query_thumb)]
    if min(h, w) >= 2 * 48:
        parts += [((x0, y0, x1, y1), query_thumb[y0:y1, x0:x1]) for y0, y1 in ((0, h // 2), (h // 2, h)) for x0, x1 in ((0, w // 2), (w // 2, w))]
    best = None
    for (x0, y0, x1, y1), part in parts:
        for mirrored in (False, True):
            q = np.ascontiguousarray(part[:, ::-1] if mirrored else part)
            for tw, th in _sizes((rw, rh), (q.shape[1], q.shape[0])):
                detail = _detail(cv2.resize(q, (tw, th), interpolation=cv2.INTER_AREA))
                score, (ax, ay) = _ncc(ref_clipped, _clipped(detail))
                covered, threshold = 0.0, DENSE_MIN_NCC
                if score < DENSE_MIN_NCC:
                    (score, covered), threshold = _robust_ncc(ref_detail[ay : ay + th, ax : ax + tw], detail), DENSE_MIN_ROBUST
                if score < threshold:
                    continue
                confidence = _confidence(score, threshold)
                if best is None or confidence > best.confidence:
                    best = DenseMatch(confidence, score, covered, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)),
                                      ((ax, ay), (ax + tw, ay), (ax + tw, ay + th), (ax, ay + th)), mirrored)
    return best
