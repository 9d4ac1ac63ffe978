"""Copied images on real photos (issue 18, DY-IP): recall per seller edit and the false-match rate
on images that copy nothing, with 95% Wilson intervals, through the same index and ranking that
`POST /v1/scan` uses (`core/images/copy_index.py`).

The photos are the real ones that ship in installed packages, nothing is downloaded:
scikit-image's photographs (`SOURCES`; drawings, charts and synthetic patterns left out),
scikit-learn's two sample photos, and the photographs among Debian's desktop wallpapers
(`WALLPAPERS`: ukui, lomiri, MATE and Plasma packages, installed by scripts/ensure-photos.sh,
which `make eval` runs; an absent one is named in the tables). Each is cut into disjoint parts
(`parts`: about 320 px, wallpapers about 480 px after scaling to WALL_SIDE): parts of one photo share its scene,
lighting, sensor noise and backdrop but show different things — the hard negatives the issue
names ("crops of the same scene that do not overlap"). Half of the parts are registered as
protected originals; the others are never registered.

Queries:

- copies: every registered part under each of the issue's eleven edits (`EDITS`), at the sizes a
  marketplace shows (an 800 px listing image, a 2x2 collage of 400 px tiles, a 1080x2340 phone
  screenshot). Recall counts the query finding its own original; "cited" counts the finding's
  first (best-scored) original being that one.
- non-copies: every unregistered part, plain and under the same eleven edits (a banner, frame,
  collage or screenshot around an image that copies nothing: the sellers' own chrome must not
  match); and "same backdrop and pose, another product" (`swapped`): a registered part whose
  centre (the product's place, 40% of the area) is replaced by the centre of an unregistered part
  of another photo — the periphery (backdrop, a model's outline, props) is the registered photo's,
  pixel for pixel, which is harder than two shots of one studio session. A non-copy image is a
  false match when anything is found in it. The stereo pair `motorcycle_left` / `_right` (one
  object photographed from two viewpoints) is reported on its own: a second photograph of the same
  object is not a copy of the first, but it is not a different product either.

Findings: a registered part with too few keypoints to describe (flat: sky, water, blurred
backdrop) sends whatever it matches to review (`copy_match.for_review`), so the tables count
automatic findings — the ones that take a listing down — apart from review cases; `--automatic`
(and `make eval`) leaves the flat originals out of the index and measures the automatic findings
alone, since the dense fallback against a few dozen flat originals costs seconds per query.

Splits: the sources are split in two by name (`DEV`, `TEST`); the matcher's thresholds were set
on the dev split only (`python -m evals.image_real_eval --split dev --pairs` prints the
verification statistics they were read from); `make eval` reports both, test first.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from shopwarden.core.detect.evaluate import wilson
from shopwarden.core.images.copy_match import ImageFeatures, Match, features

# Photographs only (scikit-image's drawings, charts and test patterns are not photos).
# Left out: brick, grass and gravel — textures whose parts are not independent (grass repeats
# whole patches: a region of its top-left quarter reappears, pixel for pixel, in the bottom-left
# one, which the matcher rightly found) — and every drawing, chart and test pattern.
SOURCES = ("astronaut", "camera", "coffee", "rocket", "chelsea", "hubble_deep_field", "immunohistochemistry", "retina", "moon",
           "coins", "cell", "motorcycle")
SKLEARN = ("china", "flower")
# Photographs among Debian's desktop wallpapers (scripts/ensure-photos.sh installs the packages;
# `make eval` runs it): name -> (package, file). Drawings, renders and abstract art left out.
_UKUI, _LOMIRI = "/usr/share/backgrounds/", "/usr/share/backgrounds/"
_MATE, _PLASMA = "/usr/share/backgrounds/mate/nature/", "/usr/share/wallpapers/"
WALLPAPERS: dict[str, tuple[str, str]] = {
    "bridge": ("lomiri-wallpapers-16.04", _LOMIRI + "Bridge_by_Sander_Klootwijk.jpg"),
    "dragonfly": ("lomiri-wallpapers-16.04", _LOMIRI + "Dragonfly_by_Bolly.jpg"),
    "fig": ("lomiri-wallpapers-16.04", _LOMIRI + "Picture_0B_by_freespace.jpg"),
    "brushes": ("lomiri-wallpapers-16.04", _LOMIRI + "Picture_1A_by_freespace.jpg"),
    "wine": ("lomiri-wallpapers-16.04", _LOMIRI + "Wine_by_Jakkub_Mede.jpg"),
    "aitzgorri": ("ukui-wallpapers", _UKUI + "aitzgorri_by_Aitzol_Berasategi.jpg"),
    "hummingbird": ("ukui-wallpapers", _UKUI + "free_by_Peter_Nerlich.jpg"),
    "dogs": ("ukui-wallpapers", _UKUI + "friends_by_Aitzol_Berasategi.jpg"),
    "clock": ("ukui-wallpapers", _UKUI + "greentock_by_Peter_Nerlich.jpg"),
    "stream": ("ukui-wallpapers", _UKUI + "life_by_Aitzol_Berasategi.jpg"),
    "picos": ("ukui-wallpapers", _UKUI + "picosdeeuropa_by_Aitzol_Berasategi.jpg"),
    "dandelions": ("ukui-wallpapers", _UKUI + "seeding_by_Clements_Engelhardt.jpg"),
    "sunset": ("ukui-wallpapers", _UKUI + "sunset_by_Aitzol_Berasategi.jpg"),
    "nuthatch": ("lomiri-wallpapers-20.04", _LOMIRI + "Kleiber_by_Lukas_Baubkus.jpg"),
    "night_sea": ("lomiri-wallpapers-20.04", _LOMIRI + "Infinite-Sea_by_Aury88.jpg"),
    "drop": ("mate-backgrounds", _MATE + "Aqua.jpg"),
    "leaves": ("mate-backgrounds", _MATE + "Blinds.jpg"),
    "dune": ("mate-backgrounds", _MATE + "Dune.jpg"),
    "red_flower": ("mate-backgrounds", _MATE + "FreshFlower.jpg"),
    "marigold": ("mate-backgrounds", _MATE + "Garden.jpg"),
    "meadow": ("mate-backgrounds", _MATE + "GreenMeadow.jpg"),
    "ladybird": ("mate-backgrounds", _MATE + "LadyBird.jpg"),
    "raindrops": ("mate-backgrounds", _MATE + "RainDrops.jpg"),
    "storm": ("mate-backgrounds", _MATE + "Storm.jpg"),
    "seeds": ("mate-backgrounds", _MATE + "TwoWings.jpg"),
    "wood": ("mate-backgrounds", _MATE + "Wood.jpg"),
    "yellow_flower": ("mate-backgrounds", _MATE + "YellowFlower.jpg"),
    "jetty": ("plasma-workspace-wallpapers", _PLASMA + "BytheWater/contents/images/1920x1080.jpg"),
    "pier": ("plasma-workspace-wallpapers", _PLASMA + "ColdRipple/contents/images/1920x1080.jpg"),
    "cups": ("plasma-workspace-wallpapers", _PLASMA + "ColorfulCups/contents/images/2560x1600.jpg"),
    "dusk_lake": ("plasma-workspace-wallpapers", _PLASMA + "DarkestHour/contents/images/1920x1080.jpg"),
    "boats": ("plasma-workspace-wallpapers", _PLASMA + "EveningGlow/contents/images/1920x1080.jpg"),
    "fallen_leaf": ("plasma-workspace-wallpapers", _PLASMA + "FallenLeaf/contents/images/1920x1080.jpg"),
    "facade": ("plasma-workspace-wallpapers", _PLASMA + "Grey/contents/images/1920x1080.jpg"),
    "kite": ("plasma-workspace-wallpapers", _PLASMA + "Kite/contents/images/1920x1080.jpg"),
    "moss": ("plasma-workspace-wallpapers", _PLASMA + "OneStandsOut/contents/images/1920x1080.jpg"),
    "forest_path": ("plasma-workspace-wallpapers", _PLASMA + "Path/contents/images/1920x1080.jpg"),
    "lake_1am": ("plasma-workspace-wallpapers", _PLASMA + "summer_1am/contents/images/1920x1080.jpg"),
}
# A wallpaper is scaled to this longer side before it is cut (a marketplace upload's size), so its
# parts are product-photo sized like scikit-image's (a 320 px part of a 5120 px original would be
# a featureless patch of sky).
WALL_SIDE = 1280
# ... and cut into parts about this side (3x2 for a landscape one): wallpapers are mostly sky, water
# and blurred backdrop, whose 320 px parts are blank patches, not pictures of anything.
WALL_PART = 480
# The split, by source name (fixed, so the test split never moves): thresholds were read on DEV.
# Wallpapers alternate in the order above, so each package has photos on both sides.
_WALL = tuple(WALLPAPERS)
DEV = ("astronaut", "coffee", "hubble_deep_field", "coins", "cell", "china", "moon") + _WALL[0::2]
TEST = ("camera", "rocket", "chelsea", "immunohistochemistry", "retina", "flower", "motorcycle") + _WALL[1::2]
LISTING = 800  # a listing image's side
PART_SIDE = 320
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _rgb(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype != np.uint8:
        a = (255 * (a - a.min()) / max(1e-9, float(a.max() - a.min()))).astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    return np.ascontiguousarray(a[:, :, :3])


def sources() -> dict[str, np.ndarray]:
    """Every real photo, by source name; `motorcycle` is the stereo pair's left view."""
    from skimage import data

    out = {}
    for name in SOURCES:
        if name == "motorcycle":
            left, right, _ = data.stereo_motorcycle()
            out[name], out["motorcycle_right"] = _rgb(left), _rgb(right)
        else:
            out[name] = _rgb(getattr(data, name)())
    try:
        from sklearn.datasets import load_sample_images
    except ImportError:  # a dev dependency
        return out
    found = load_sample_images()
    for name, a in zip(found.filenames, found.images, strict=True):
        out[name.rsplit("/", 1)[-1].removesuffix(".jpg")] = _rgb(a)
    return out | wallpapers()


def wallpapers() -> dict[str, np.ndarray]:
    """The wallpaper photographs that are installed, each scaled to WALL_SIDE."""
    out = {}
    for name, (_, path) in WALLPAPERS.items():
        try:
            with Image.open(path) as im:
                a = np.asarray(im.convert("RGB"))
        except OSError:
            continue
        out[name] = _fit(a, WALL_SIDE) if max(a.shape[:2]) > WALL_SIDE else a
    return out


def absent(photos: dict[str, np.ndarray]) -> list[str]:
    """The sources of the splits that are not installed, each with the package that brings it."""
    return [f"{name} ({WALLPAPERS[name][0]})" if name in WALLPAPERS else name for name in DEV + TEST if name not in photos]


def parts(a: np.ndarray, side: int = PART_SIDE) -> list[np.ndarray]:
    """Disjoint parts of a photo, row by row: a grid of cells about `side` px (at least two)."""
    h, w = a.shape[:2]
    nx, ny = max(1, round(w / side)), max(1, round(h / side))
    if nx * ny < 2:
        nx, ny = (2, 1) if w >= h else (1, 2)
    xs, ys = np.linspace(0, w, nx + 1).astype(int), np.linspace(0, h, ny + 1).astype(int)
    return [np.ascontiguousarray(a[ys[j] : ys[j + 1], xs[i] : xs[i + 1]]) for j in range(ny) for i in range(nx)]


# --- the eleven edits -------------------------------------------------------------------------


def _rng(a: np.ndarray, salt: str) -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(a[::7, ::7].tobytes() + salt.encode()).digest()[:8], "little"))


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size)


def _fit(a: np.ndarray, side: int) -> np.ndarray:
    s = side / max(a.shape[:2])
    return cv2.resize(a, (max(1, round(a.shape[1] * s)), max(1, round(a.shape[0] * s))), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)


def _paste(canvas: np.ndarray, a: np.ndarray, x: int, y: int) -> np.ndarray:
    canvas[y : y + a.shape[0], x : x + a.shape[1]] = a
    return canvas


def jpeg(a: np.ndarray, quality: int = 45) -> np.ndarray:
    import io

    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def resize(a: np.ndarray) -> np.ndarray:
    s = 0.5 if max(a.shape[:2]) >= 400 else 0.7
    return cv2.resize(a, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)


def crop_to(a: np.ndarray, share: float = 0.3) -> np.ndarray:
    """A crop keeping `share` of the area (each side sqrt(share)), at a position drawn per image."""
    h, w = a.shape[:2]
    ch, cw = round(h * share**0.5), round(w * share**0.5)
    rng = _rng(a, "crop")
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    return np.ascontiguousarray(a[y : y + ch, x : x + cw])


def mirror(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a[:, ::-1])


def rotate(a: np.ndarray, degrees: float = 5.0) -> np.ndarray:
    """Rotated, the canvas grown to hold it, the corners white."""
    h, w = a.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(a, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def colour(a: np.ndarray) -> np.ndarray:
    """Hue turned 20 degrees, saturation x1.3, brightness +15%."""
    hsv = cv2.cvtColor(a, cv2.COLOR_RGB2HSV).astype(np.int32)
    hsv[..., 0] = (hsv[..., 0] + 10) % 180
    hsv[..., 1] = np.clip(hsv[..., 1] * 1.3, 0, 255)
    hsv[..., 2] = np.clip(hsv[..., 2] * 1.15, 0, 255)
    return cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)


def price_banner(a: np.ndarray) -> np.ndarray:
    """A red price banner over the bottom 18% and a round price badge in a top corner."""
    im = Image.fromarray(_fit(a, LISTING))
    d = ImageDraw.Draw(im)
    w, h = im.size
    d.rectangle((0, int(h * 0.82), w, h), fill=(220, 30, 40))
    d.text((int(w * 0.05), int(h * 0.845)), "¥ 99.00  SALE -50%  FREE SHIP", fill=(255, 255, 255), font=_font(max(12, h // 14)))
    r = int(min(w, h) * 0.11)
    d.ellipse((w - 2 * r - 10, 10, w - 10, 10 + 2 * r), fill=(255, 200, 0))
    d.text((w - 2 * r + r // 3, 10 + r // 2), "HOT", fill=(200, 0, 0), font=_font(max(10, r // 2)))
    return np.asarray(im)


def frame_logo(a: np.ndarray) -> np.ndarray:
    """A coloured frame (6% of the side) and a shop logo (a badge with a name) over a corner."""
    inner = _fit(a, round(LISTING * 0.88))
    h, w = inner.shape[:2]
    pad = round(LISTING * 0.06)
    canvas = np.full((h + 2 * pad, w + 2 * pad, 3), (30, 90, 160), np.uint8)
    im = Image.fromarray(_paste(canvas, inner, pad, pad))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle((pad + 8, pad + 8, pad + 190, pad + 70), 12, fill=(255, 255, 255))
    d.text((pad + 20, pad + 20), "MY SHOP", fill=(30, 90, 160), font=_font(30))
    return np.asarray(im)


def collage(a: np.ndarray, fillers: Sequence[np.ndarray], slot: int) -> np.ndarray:
    """A 2x2 collage of 400 px tiles (each picture fitted and centred on white); `a` in `slot`,
    `fillers` (repeated when fewer than three) in the others."""
    tiles = [np.full((400, 400, 3), 255, np.uint8) for _ in range(4)]
    pictures = (list(fillers) * 3)[:3]
    pictures.insert(slot % 4, a)
    for tile, p in zip(tiles, pictures, strict=True):
        small = _fit(p, 400)
        _paste(tile, small, (400 - small.shape[1]) // 2, (400 - small.shape[0]) // 2)
    return np.vstack([np.hstack(tiles[:2]), np.hstack(tiles[2:])])


def small_on_canvas(a: np.ndarray) -> np.ndarray:
    """Fitted into 45% of an 800 px white canvas, off centre."""
    small = _fit(a, round(LISTING * 0.45))
    canvas = np.full((LISTING, LISTING, 3), 255, np.uint8)
    rng = _rng(a, "canvas")
    x = int(rng.integers(20, LISTING - small.shape[1] - 20))
    y = int(rng.integers(20, LISTING - small.shape[0] - 20))
    return _paste(canvas, small, x, y)


def screenshot(a: np.ndarray) -> np.ndarray:
    """A 1080x2340 phone screenshot, scaled to 540x1170 as uploaded: status bar, app bar, the picture
    shown at 1:1 (centre-cropped to that aspect, as an app's image view fills its frame), price and
    title text below."""
    w, h = 540, 1170
    canvas = Image.new("RGB", (w, h), (245, 245, 245))
    d = ImageDraw.Draw(canvas)
    d.rectangle((0, 0, w, 40), fill=(20, 20, 20))
    d.text((16, 8), "9:41", fill=(255, 255, 255), font=_font(20))
    d.rectangle((0, 40, w, 110), fill=(255, 255, 255))
    d.text((20, 60), "<   Product detail", fill=(40, 40, 40), font=_font(26))
    ih, iw = a.shape[:2]
    side = min(ih, iw)
    square = a[(ih - side) // 2 : (ih - side) // 2 + side, (iw - side) // 2 : (iw - side) // 2 + side]
    view = cv2.resize(np.ascontiguousarray(square), (w, w), interpolation=cv2.INTER_AREA if side > w else cv2.INTER_CUBIC)
    canvas.paste(Image.fromarray(view), (0, 120))
    d.text((20, 120 + w + 20), "¥ 128.00", fill=(230, 40, 40), font=_font(40))
    d.text((20, 120 + w + 80), "Genuine product, fast delivery", fill=(40, 40, 40), font=_font(24))
    d.rectangle((0, h - 110, w, h), fill=(255, 80, 60))
    d.text((w // 3, h - 80), "Buy now", fill=(255, 255, 255), font=_font(34))
    return np.asarray(canvas)


Edit = Callable[[np.ndarray, Sequence[np.ndarray], int], np.ndarray]
EDITS: dict[str, Edit] = {
    "jpeg q45": lambda a, f, i: jpeg(a),
    "resize": lambda a, f, i: resize(a),
    "crop to 30% area": lambda a, f, i: crop_to(a),
    "mirror": lambda a, f, i: mirror(a),
    "rotate 5°": lambda a, f, i: rotate(a),
    "colour shift": lambda a, f, i: colour(a),
    "price banner": lambda a, f, i: price_banner(a),
    "frame + logo": lambda a, f, i: frame_logo(a),
    "collage 2x2": lambda a, f, i: collage(a, f, i),
    "small on white canvas": lambda a, f, i: small_on_canvas(a),
    "screenshot, other aspect": lambda a, f, i: screenshot(a),
}


def swapped(a: np.ndarray, other: np.ndarray) -> np.ndarray:
    """`a` with its centre (40% of the area) replaced by the centre of `other`: the same backdrop
    and pose around another product."""
    h, w = a.shape[:2]
    ch, cw = round(h * 0.4**0.5), round(w * 0.4**0.5)
    y, x = (h - ch) // 2, (w - cw) // 2
    oh, ow = other.shape[:2]
    s = max(ch / oh, cw / ow)
    o = cv2.resize(other, (max(cw, round(ow * s)), max(ch, round(oh * s))), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    oy, ox = (o.shape[0] - ch) // 2, (o.shape[1] - cw) // 2
    out = a.copy()
    out[y : y + ch, x : x + cw] = o[oy : oy + ch, ox : ox + cw]
    return out


# --- the evaluation -------------------------------------------------------------------------


@dataclass
class Query:
    kind: str  # an edit name, "unregistered", "unregistered + <edit>", "swapped", "stereo"
    image: np.ndarray
    truth: str | None  # the registered original it copies, or None


@dataclass
class Outcome:
    query: Query
    found: list[tuple[str, Match]]
    seconds: float


@dataclass
class Result:
    split: str
    registered: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    reference_seconds: float = 0.0
    absent: list[str] = field(default_factory=list)  # sources of the split that are not installed
    flat: list[str] = field(default_factory=list)  # registered originals too flat for automatic findings
    automatic: bool = False  # the flat originals were left out of the index (`evaluate`)

    def copies(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.query.truth is not None and o.query.kind == kind]

    def non_copies(self, prefix: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.query.truth is None and o.query.kind != "stereo"
                and (prefix is None or o.query.kind.startswith(prefix))]


def build(split: Sequence[str], photos: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[Query]]:
    """The split's registered originals and its queries."""
    registered: dict[str, np.ndarray] = {}
    free: list[tuple[str, np.ndarray]] = []
    for name in split:
        for k, p in enumerate(parts(photos[name], WALL_PART if name in WALLPAPERS else PART_SIDE)):
            (registered.__setitem__(f"{name}#{k}", p) if k % 2 == 0 else free.append((f"{name}#{k}", p)))
    queries: list[Query] = []
    names = list(registered)
    for i, key in enumerate(names):
        fillers = [p for _, p in (free[i % len(free):] + free[: i % len(free)]) * 3][:3]
        for edit, fn in EDITS.items():
            queries.append(Query(edit, fn(registered[key], fillers, i), key))
    for i, (key, p) in enumerate(free):
        queries.append(Query("unregistered", p, None))
        others = [q for k, q in free if k.split("#")[0] != key.split("#")[0]] or [q for _, q in free]
        for edit, fn in EDITS.items():
            queries.append(Query(f"unregistered + {edit}", fn(p, ((others[i % len(others):] + others[: i % len(others)]) * 3)[:3], i), None))
    for i, key in enumerate(names):
        others = [q for k, q in free if k.split("#")[0] != key.split("#")[0]]
        for j in sorted({i % len(others), (i + len(others) // 2) % len(others)} if others else ()):
            queries.append(Query("swapped", swapped(registered[key], others[j]), None))  # two other products per backdrop
    if "motorcycle" in split and "motorcycle_right" in photos:
        for k, p in enumerate(parts(photos["motorcycle_right"])):
            if f"motorcycle#{k}" in registered:
                queries.append(Query("stereo", p, None))
    return registered, queries


def evaluate(split: str = "test", photos: dict[str, np.ndarray] | None = None, limit: int | None = None, part: tuple[int, int] = (0, 1),
             checkpoint: Callable[[Result], None] | None = None, automatic: bool = False) -> Result:
    """The split's queries through a CopyIndex of its registered originals; `part` (k, n): only
    every n-th query from the k-th (to spread a run over processes; `merge` joins them); with
    `checkpoint`, in a fixed shuffled order, handed the result so far every 50 queries.

    `automatic`: the automatic findings only — flat originals (`copy_match.for_review`: whatever
    they match goes to review) are left out of the index, which spares every query the dense
    fallback against each of them (seconds per query with a few dozen). Leaving them out can only
    add textured candidates (they no longer take PDQ-neighbour or vote slots), so the false
    automatic findings counted are, if anything, more than the full index gives."""
    from shopwarden.core.images.copy_index import CopyIndex

    photos = photos or sources()
    names = DEV if split == "dev" else TEST
    registered, queries = build([n for n in names if n in photos], photos)
    index = CopyIndex()
    refs: dict[str, ImageFeatures] = {}
    t = time.perf_counter()
    flat = []
    for key, a in registered.items():
        refs[key] = features(a, query=False)
        if refs[key].dense is not None:
            flat.append(key)
            if automatic:
                continue
        index.describe(key, refs[key])
    result = Result(split, list(registered), reference_seconds=(time.perf_counter() - t) / max(1, len(registered)),
                    absent=[a for a in absent(photos) if a.split(" ")[0] in names], flat=flat, automatic=automatic)
    mine = queries[:limit][part[0] :: part[1]]
    if checkpoint is not None:  # a fixed shuffle: a run stopped early is a uniform sample of the split
        mine = [mine[int(i)] for i in np.random.default_rng(18).permutation(len(mine))]
    for i, q in enumerate(mine):
        t = time.perf_counter()
        found = index.search(features(q.image), refs.__getitem__)
        result.outcomes.append(Outcome(q, found, time.perf_counter() - t))
        if checkpoint is not None and (i % 50 == 49 or i == len(mine) - 1):
            print(f"{split} part {part[0]}/{part[1]}: {i + 1}/{len(mine)} queries", file=sys.stderr, flush=True)
            checkpoint(result)
    return result


def pairs(split: str = "dev", photos: dict[str, np.ndarray] | None = None) -> list[dict[str, Any]]:
    """Every query against every registered original: PDQ distance and the local verification's
    statistics (best of plain and mirrored, before `accepted`), labelled copy or not — what the
    thresholds were read from (dev split only)."""
    from shopwarden.core.images.local_match import _pairs, verify
    from shopwarden.core.images.pdq import nearest

    photos = photos or sources()
    registered, queries = build([n for n in (DEV if split == "dev" else TEST) if n in photos], photos)
    refs = {k: features(a, query=False) for k, a in registered.items()}
    rows = []
    for q in queries:
        qf = features(q.image)
        for key, ref in refs.items():
            best = None
            for mirrored, keys in ((False, qf.local.plain), (True, qf.local.mirrored)):
                if keys is None:
                    continue
                found = verify(*_pairs(keys, ref.local.plain), qf.local, ref.local, mirrored)
                if found is not None and found.verification is not None and (best is None or found.verification.share > best.share):
                    best = found.verification
            rows.append({"kind": q.kind, "copy": q.truth == key, "ref": key, "pdq": nearest(qf.variants, ref.pdq),
                         "inliers": best.inliers if best else 0, "share": best.share if best else 0.0,
                         "coverage": best.coverage if best else 0.0, "centre": best.centre if best else None})
    return rows


def redo_pdq(results: Sequence[Result]) -> int:
    """Re-run, with this tree's matcher, the queries of pickled parts (`--part k/n`, given in k
    order) whose outcome holds a PDQ match farther than PDQ_CONFIRM: the only outcomes the PDQ
    confirmation (copy_match.match) can change. The queries are rebuilt (`build` is
    deterministic) and checked against the pickled kinds. Returns how many were re-run."""
    from shopwarden.core.images.copy_index import CopyIndex
    from shopwarden.core.images.copy_match import PDQ_CONFIRM

    photos = sources()
    split = results[0].split
    registered, queries = build([n for n in (DEV if split == "dev" else TEST) if n in photos], photos)
    index, refs = CopyIndex(), {k: features(a, query=False) for k, a in registered.items()}
    for key, f in refs.items():
        index.describe(key, f)
    n, redone = len(results), 0
    for k, result in enumerate(results):
        for i, o in enumerate(result.outcomes):
            q = queries[k + n * i]
            assert (q.kind, q.truth) == (o.query.kind, o.query.truth), (k, i)
            if any(m.method == "pdq" and (m.distance or 0) > PDQ_CONFIRM for _, m in o.found):
                t = time.perf_counter()
                o.found = index.search(features(q.image), refs.__getitem__)
                o.seconds = time.perf_counter() - t
                redone += 1
    print(f"re-ran {redone} queries with a PDQ match farther than {PDQ_CONFIRM} bits")
    return redone


def merge(results: Sequence[Result]) -> Result:
    """One result from the parts of one split's run."""
    out = Result(results[0].split, results[0].registered, reference_seconds=results[0].reference_seconds,
                 absent=getattr(results[0], "absent", []), flat=getattr(results[0], "flat", []),
                 automatic=getattr(results[0], "automatic", False))
    for r in results:
        out.outcomes += r.outcomes
    return out


def _ci(k: int, n: int) -> str:
    lo, hi = wilson(k, n)
    return f"{k}/{n} = {k / max(1, n):.3f} [{lo:.3f}, {hi:.3f}]"


def _review(m: Match) -> bool:
    return bool(getattr(m, "review", False))  # outcomes pickled before `review` existed have none


def _automatic(o: Outcome) -> bool:
    """A finding that acts on its own: a match not sent to review (`copy_match.for_review`)."""
    return any(not _review(m) for _, m in o.found)


def tables(result: Result) -> list[Any]:
    from rich.table import Table

    t = Table(title=f"DY-IP copied images on real photos, {result.split} split: {len(result.registered)} registered originals "
                    f"(disjoint parts of scikit-image / scikit-learn photos and Debian's wallpaper photographs); recall and best-cited per edit, "
                    f"95% Wilson intervals" + (f"; ABSENT, not evaluated: {', '.join(result.absent)} (scripts/ensure-photos.sh)" if result.absent else ""))
    for col in ("edit", "textured originals: automatic findings", "cite the right original first", "textured: found for review only",
                "flat originals: found for review", "median score", "missed (textured)"):
        t.add_column(col)
    flat = set(result.flat)
    every, cited_all, review_all, textured_review = [0, 0], [0, 0], [0, 0], [0, 0]
    for edit in EDITS:
        rows = [o for o in result.copies(edit) if o.query.truth not in flat]
        flat_rows = [o for o in result.copies(edit) if o.query.truth in flat]
        hit = [o for o in rows if any(k == o.query.truth and not _review(m) for k, m in o.found)]
        cited = [o for o in rows if o.found and o.found[0][0] == o.query.truth]
        reviewed = [o for o in flat_rows if any(k == o.query.truth for k, _ in o.found)]
        review_only = [o for o in rows if not any(o is h for h in hit) and any(k == o.query.truth for k, _ in o.found)]
        scores = [m.confidence for o in hit for k, m in o.found if k == o.query.truth]
        for total, part, n in ((every, hit, len(rows)), (cited_all, cited, len(rows)), (review_all, reviewed, len(flat_rows)),
                               (textured_review, review_only, len(rows))):
            total[0] += len(part)
            total[1] += n
        missed = sorted({o.query.truth for o in rows} - {o.query.truth for o in hit})
        t.add_row(edit, _ci(len(hit), len(rows)), _ci(len(cited), len(rows)), _ci(len(review_only), len(rows)),
                  "not run (--automatic)" if result.automatic else _ci(len(reviewed), len(flat_rows)),
                  f"{np.median(scores):.2f}" if scores else "—", ", ".join(str(m) for m in missed[:6]) + (" …" if len(missed) > 6 else "") or "—")
    t.add_row("all edits", _ci(*every), _ci(*cited_all), _ci(*textured_review), "" if result.automatic else _ci(*review_all), "", "")
    f = Table(title=f"DY-IP false matches on images that copy nothing, {result.split} split (a false match: an automatic finding; "
                    f"a match against a flat original goes to review instead, counted on its own)")
    for col in ("non-copy images", "false matches (automatic)", "sent to review", "what matched (query kind → original, method, score)"):
        f.add_column(col)
    groups = [("unregistered parts (same scenes as the originals)", "unregistered"), ("… under the eleven edits", "unregistered + "),
              ("same backdrop and pose, centre swapped", "swapped")]
    total, reviews = [0, 0], [0, 0]
    for label, prefix in groups:
        rows = [o for o in result.non_copies(prefix) if (prefix != "unregistered" or o.query.kind == "unregistered")]
        bad = [o for o in rows if _automatic(o)]
        sent = [o for o in rows if o.found and not _automatic(o)]
        total[0] += len(bad)
        total[1] += len(rows)
        reviews[0] += len(sent)
        reviews[1] += len(rows)
        f.add_row(label, _ci(len(bad), len(rows)), _ci(len(sent), len(rows)) + (" (flat originals not run)" if result.automatic else ""),
                  "; ".join(f"{o.query.kind} → {k} {m.method} {m.confidence:.2f}" for o in bad[:4] for k, m in o.found[:1]) or "—")
    f.add_row("all non-copy images", _ci(*total), _ci(*reviews), "")
    stereo = [o for o in result.outcomes if o.query.kind == "stereo"]
    if stereo:
        f.add_row("stereo pair: the same object from another viewpoint (not counted)", f"{sum(bool(o.found) for o in stereo)}/{len(stereo)} matched", "",
                  "; ".join(f"{o.found[0][0]} {o.found[0][1].method} {o.found[0][1].confidence:.2f}" for o in stereo if o.found) or "—")
    seconds = sorted(o.seconds for o in result.outcomes)
    f.caption = (f"per query (features + candidates + verification, one thread): median {1000 * seconds[len(seconds) // 2]:.0f} ms, "
                 f"p99 {1000 * seconds[min(len(seconds) - 1, int(0.99 * len(seconds)))]:.0f} ms; reference features "
                 f"{1000 * result.reference_seconds:.0f} ms each; {len(result.flat)} of {len(result.registered)} originals flat "
                 f"(their matches go to review{': left out of this run' if result.automatic else ''})")
    return [t, f]


def real_tables() -> list[Any]:
    """`make eval`: the test split, then the dev split the thresholds were read on; automatic
    findings only (`evaluate`): the dense fallback against every flat original would take hours."""
    photos = sources()
    return [t for split in ("test", "dev") for t in tables(evaluate(split, photos, automatic=True))]


def main(argv: list[str] | None = None) -> None:
    from rich.console import Console

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--pairs", type=str, default=None, help="write every pair's verification statistics (JSON lines) to this file")
    parser.add_argument("--part", type=str, default=None, help="K/N: run every N-th query from the K-th and pickle the outcomes to --save")
    parser.add_argument("--save", type=str, default=None)
    parser.add_argument("--automatic", action="store_true", help="automatic findings only, flat originals left out of the index (see evaluate)")
    parser.add_argument("--merge", nargs="+", default=None, help="print the tables of pickled parts (in K order of --part K/N)")
    parser.add_argument("--redo-pdq", action="store_true",
                        help="with --merge: run again, with this tree's code, the queries whose outcome holds a PDQ match farther than PDQ_CONFIRM")
    args = parser.parse_args(argv)
    if args.merge:
        import pickle

        from rich.console import Console

        parts_ = [pickle.load(open(f, "rb")) for f in args.merge]  # noqa: SIM115
        if args.redo_pdq:
            redo_pdq(parts_)
        for table in tables(merge(parts_)):
            Console(width=180).print(table)
        return
    if args.part:
        import pickle

        k, n = (int(x) for x in args.part.split("/"))

        def save(result: Result) -> None:
            for o in result.outcomes:
                o.query.image = np.zeros((1, 1, 3), np.uint8)  # the tables need the kind and the truth, not the pixels
            with open(args.save + ".tmp", "wb") as out:
                pickle.dump(result, out)
            os.replace(args.save + ".tmp", args.save)

        evaluate("dev" if args.split == "dev" else "test", part=(k, n), checkpoint=save, automatic=args.automatic)
        return
    if args.pairs:
        import json

        with open(args.pairs, "w", encoding="utf-8") as out:
            for row in pairs("test" if args.split == "test" else "dev"):
                out.write(json.dumps(row) + "\n")
        return
    console = Console(width=180)
    photos = sources()
    for split in (("test", "dev") if args.split == "both" else (args.split,)):
        for table in tables(evaluate(split, photos, automatic=args.automatic)):
            console.print(table)


if __name__ == "__main__":
    main()
