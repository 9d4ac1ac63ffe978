"""Copied-image evaluation (issue 4, part 4): recall per transformation and the false-match rate of
the matcher (PDQ + tile PDQ + SIFT/RANSAC, and for flat originals a dense correlation that leaves out
what covers part of a copy), beside a PDQ-only baseline in the same run.

Everything is built here from images that ship in packages, nothing is downloaded:

- scikit-image's sample photos and drawings that load offline (`SKIMAGE`). Left out: `cat`
  (the same photo as `chelsea`: it would be a true copy, not a different original), `horse`
  (a binary silhouette), `checkerboard` and `shepp_logan_phantom` (synthetic test patterns, no
  photo or drawing), `microaneurysms` (102 px), and the 3-D / downloaded sets (cells3d, eagle,
  lily, brain, kidney, skin, ... need a network fetch);
- scikit-learn's two sample photos (china.jpg, flower.jpg, shipped in its wheel), when
  scikit-learn is installed (a dev dependency);
- product-like images drawn here (`drawn_products`): studio gradient, a shaded bottle, box, mug
  or shoe-like shape, a printed label with a brand name and small print, sensor noise.

Each original is registered; each is then transformed (`TRANSFORMATIONS`) and the transformed
query matched against every original. Recall per transformation counts the query finding its own
original; the false-match rate counts every (query, different original) pair that matched, over
plain originals and all their transformed versions. Collage fillers are drawn images that are
never registered, so a match on a filler tile would be a false match too.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from shopwarden.core.images.copy_match import features, match, pdq_match

SIDE = 800  # originals are scaled to at most this, like product photos
SKIMAGE = ("astronaut", "camera", "coffee", "rocket", "chelsea", "hubble_deep_field", "immunohistochemistry", "retina", "moon",
           "coins", "clock", "cell", "brick", "grass", "gravel", "colorwheel", "logo", "page", "text")
N_DRAWN = 8


def _as_rgb(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    elif a.dtype != np.uint8:
        a = (255 * (a - a.min()) / max(1e-9, float(a.max() - a.min()))).astype(np.uint8)
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    if a.shape[2] == 4:  # composite on white
        alpha = a[:, :, 3:4].astype(np.float32) / 255
        a = (a[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    a = a[:, :, :3]
    scale = SIDE / max(a.shape[:2])
    return cv2.resize(a, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else np.ascontiguousarray(a)


def skimage_originals(names: Sequence[str] = SKIMAGE) -> dict[str, np.ndarray]:
    from skimage import data

    return {f"skimage:{n}": _as_rgb(getattr(data, n)()) for n in names}


def sklearn_originals() -> dict[str, np.ndarray]:
    try:
        from sklearn.datasets import load_sample_images
    except ImportError:
        return {}
    found = load_sample_images()
    return {f"sklearn:{name.rsplit('/', 1)[-1]}": _as_rgb(a) for name, a in zip(found.filenames, found.images, strict=True)}


# --- drawn product-like images --------------------------------------------------------------

_BRANDS = ("AURORA", "KESTREL", "NOVA LAB", "MIRU", "OAKHILL", "ZEPHYR", "LUMEN", "TERRA")
_SHAPES = ("bottle", "box", "mug", "tube", "jar", "shoe", "can", "pouch")


def _draw_product(seed: int, side: int = SIDE) -> np.ndarray:
    """A product shot: studio gradient, one shaded object with a printed label, shadow, noise."""
    rng = np.random.default_rng(1000 + seed)
    shape = _SHAPES[seed % len(_SHAPES)]
    w = h = side
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    tint = rng.uniform(-25, 25, 3)
    bg = 235 - rng.uniform(20, 60) * (y / h) - rng.uniform(-20, 20) * (x / w)
    rgb = np.stack([bg + tint[0], bg + tint[1], bg + tint[2]], axis=-1)
    hue = rng.uniform(30, 220, 3)
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.5, 0.6)
    rx, ry = w * rng.uniform(0.15, 0.25), h * rng.uniform(0.22, 0.34)
    if shape in ("bottle", "jar", "can", "tube"):
        inside = (np.abs(x - cx) <= rx) & (np.abs(y - cy) <= ry)
        if shape == "bottle":
            inside |= (np.abs(x - cx) <= rx * 0.35) & (y >= cy - ry * 1.45) & (y < cy - ry)
        if shape == "tube":
            inside = (np.abs(x - cx) <= rx * (0.6 + 0.4 * (y - cy + ry) / (2 * ry))) & (np.abs(y - cy) <= ry)
    elif shape in ("box", "pouch"):
        inside = (np.abs(x - cx) <= rx * 1.3) & (np.abs(y - cy) <= ry * 0.9)
        if shape == "pouch":
            inside &= ((x - cx) / (rx * 1.4)) ** 2 + ((y - cy) / (ry * 1.2)) ** 2 <= 1
    elif shape == "mug":
        inside = (np.abs(x - cx) <= rx) & (np.abs(y - cy) <= ry * 0.8)
        ring = np.hypot(x - (cx + rx * 1.2), y - cy)
        inside |= (ring <= ry * 0.45) & (ring >= ry * 0.28) & (x > cx)
    else:  # shoe
        inside = ((x - cx) / (rx * 1.8)) ** 2 + ((y - cy) / (ry * 0.45)) ** 2 <= 1
        inside |= ((x - (cx - rx * 0.8)) / (rx * 0.7)) ** 2 + ((y - (cy - ry * 0.45)) / (ry * 0.5)) ** 2 <= 1
    shade = np.clip(1.15 - ((x - cx + rx * 0.4) / (rx * 1.6)) ** 2, 0.4, 1.15)
    for c in range(3):
        rgb[..., c] = np.where(inside, hue[c] * shade, rgb[..., c])
    ys = np.nonzero(inside.any(axis=1))[0]
    bottom = ys.max() if len(ys) else cy + ry
    shadow = (((x - cx) / (rx * 1.5)) ** 2 + ((y - bottom) / (h * 0.03)) ** 2 <= 1) & ~inside
    rgb[shadow] *= 0.75
    im = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(im)
    lx0, ly0 = int(cx - rx * 0.8), int(cy - ry * 0.35)
    lx1, ly1 = int(cx + rx * 0.8), int(cy + ry * 0.35)
    draw.rectangle((lx0, ly0, lx1, ly1), fill=tuple(int(v) for v in rng.uniform(200, 255, 3)), outline=(30, 30, 30), width=3)
    ink = tuple(int(v) for v in rng.uniform(0, 90, 3))
    draw.text((lx0 + 10, ly0 + 10), _BRANDS[seed % len(_BRANDS)], fill=ink, font_size=max(14, int(rx * 0.32)))
    for i in range(4):
        small = "".join(rng.choice(list("abcdefghijklmnopqrstuvwxyz0123456789 %."), 22))
        draw.text((lx0 + 10, ly0 + 10 + int(rx * 0.4) + i * int(rx * 0.13)), small, fill=ink, font_size=max(10, int(rx * 0.1)))
    for _ in range(int(rng.integers(2, 6))):  # a few props in the scene
        px, py, pr = rng.uniform(0.05, 0.95) * w, rng.uniform(0.7, 0.95) * h, rng.uniform(0.02, 0.06) * w
        draw.ellipse((px - pr, py - pr * 0.6, px + pr, py + pr * 0.6), fill=tuple(int(v) for v in rng.uniform(40, 220, 3)))
    noisy = np.asarray(im).astype(np.float32) + rng.normal(0, 3, (h, w, 3))
    return np.asarray(Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8)))


def drawn_products(n: int = N_DRAWN) -> dict[str, np.ndarray]:
    return {f"drawn:{_SHAPES[i % len(_SHAPES)]}-{i}": _draw_product(i) for i in range(n)}


def _filler(seed: int, side: int = 400) -> np.ndarray:
    """An unrelated, never-registered scene for a collage tile: random shapes and a word."""
    rng = np.random.default_rng(5000 + seed)
    im = Image.new("RGB", (side, side), tuple(int(v) for v in rng.uniform(60, 240, 3)))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x0, y0 = rng.uniform(0, side, 2)
        x1, y1 = x0 + rng.uniform(20, 160), y0 + rng.uniform(20, 160)
        colour = tuple(int(v) for v in rng.uniform(0, 255, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    draw.text((20, side * 0.8), "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ"), 6)), fill=(0, 0, 0), font_size=40)
    return np.asarray(im)


def originals() -> dict[str, np.ndarray]:
    return skimage_originals() | sklearn_originals() | drawn_products()


# --- transformations ------------------------------------------------------------------------


def jpeg(a: np.ndarray, quality: int) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def crop(a: np.ndarray, share: float) -> np.ndarray:
    """Cut `share` of each side's length away, off-centre (two thirds from the left and top):
    a 30% crop keeps 49% of the area."""
    h, w = a.shape[:2]
    dy, dx = int(h * share), int(w * share)
    return np.ascontiguousarray(a[dy * 2 // 3 : h - dy // 3, dx * 2 // 3 : w - dx // 3])


def overlay(a: np.ndarray) -> np.ndarray:
    """Four lines of half-transparent sale text and a red banner over the bottom 15%."""
    im = Image.fromarray(a).convert("RGBA")
    layer = Image.new("RGBA", im.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    w, h = im.size
    for i in range(4):
        draw.text((w * 0.05, h * (0.15 + 0.2 * i)), "SALE 50% OFF  shop-watermark.example", fill=(255, 255, 255, 170), font_size=max(12, w // 18))
    draw.rectangle((0, int(h * 0.85), w, h), fill=(200, 0, 0, 200))
    return np.asarray(Image.alpha_composite(im, layer).convert("RGB"))


def mosaic(a: np.ndarray) -> np.ndarray:
    """Pixelate (16 px blocks) a block covering 20% of the image."""
    h, w = a.shape[:2]
    bh, bw = int(h * 0.45), int(w * 0.45)
    out = a.copy()
    y, x = h // 4, w // 3
    block = out[y : y + bh, x : x + bw]
    small = cv2.resize(block, (max(1, bw // 16), max(1, bh // 16)), interpolation=cv2.INTER_AREA)
    out[y : y + bh, x : x + bw] = cv2.resize(small, (bw, bh), interpolation=cv2.INTER_NEAREST)
    return out


def collage(a: np.ndarray, slot: int, tile: int = 400) -> np.ndarray:
    """A 2x2 collage: the original (squashed to a tile) in `slot`, three unregistered fillers."""
    tiles = [_filler(slot * 3 + k, tile) for k in range(3)]
    tiles.insert(slot % 4, cv2.resize(a, (tile, tile), interpolation=cv2.INTER_AREA))
    return np.vstack([np.hstack(tiles[:2]), np.hstack(tiles[2:])])


Transform = Callable[[np.ndarray, int], np.ndarray]
TRANSFORMATIONS: dict[str, Transform] = {
    "resize 50%": lambda a, i: cv2.resize(a, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
    "jpeg q40": lambda a, i: jpeg(a, 40),
    "brightness/colour": lambda a, i: np.clip(a.astype(int) * [1.25, 1.1, 0.9] + 20, 0, 255).astype(np.uint8),
    "text/watermark": lambda a, i: overlay(a),
    "mosaic 20%": lambda a, i: mosaic(a),
    "crop 10%": lambda a, i: crop(a, 0.10),
    "crop 20%": lambda a, i: crop(a, 0.20),
    "crop 30%": lambda a, i: crop(a, 0.30),
    "mirror": lambda a, i: np.ascontiguousarray(a[:, ::-1]),
    "crop 20% + mirror": lambda a, i: np.ascontiguousarray(crop(a, 0.2)[:, ::-1]),
    "collage 2x2": lambda a, i: collage(a, i),
}


# --- the evaluation -------------------------------------------------------------------------


@dataclass
class Result:
    names: list[str]
    flat: frozenset[str] = frozenset()  # originals too flat for PDQ and SIFT (the dense fallback's)
    # transformation -> method -> per original: found its own original
    hits: dict[str, dict[str, list[bool]]] = field(default_factory=dict)
    # method -> (false matches, pairs) over every query vs every different original
    false: dict[str, list[int]] = field(default_factory=lambda: {"full": [0, 0], "pdq": [0, 0]})
    false_pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (transformation, query original, matched)
    reference_ms: float = 0.0
    query_ms: float = 0.0
    seconds: float = 0.0

    def recall(self, name: str, method: str, without: frozenset[str] = frozenset()) -> float:
        got = [h for n, h in zip(self.names, self.hits[name][method], strict=True) if n not in without]
        return sum(got) / max(1, len(got))

    def misses(self, name: str) -> list[str]:
        return [n for n, h in zip(self.names, self.hits[name]["full"], strict=True) if not h]

    def false_rate(self, method: str) -> float:
        f, n = self.false[method]
        return f / max(1, n)


_STATE: dict = {}


def _query(task: tuple[str, int]) -> tuple[set[int], set[int], float]:
    """One query: the originals the matcher and PDQ alone find in transformed original i."""
    name, i = task
    arrays, refs, transformations = _STATE["arrays"], _STATE["refs"], _STATE["transformations"]
    a = arrays[i] if name == "original" else transformations[name](arrays[i], i)
    t = time.perf_counter()
    q = features(a)
    full = {j for j, r in enumerate(refs) if match(q, r) is not None}
    seconds = time.perf_counter() - t
    pdq_only = {j for j, r in enumerate(refs) if pdq_match(q, r.pdq, (r.width, r.height)) is not None}
    return full, pdq_only, seconds


def evaluate(images: dict[str, np.ndarray], transformations: dict[str, Transform] | None = None, workers: int = 1) -> Result:
    """Every original, plain and transformed, against every original; `workers` processes."""
    transformations = TRANSFORMATIONS if transformations is None else transformations
    started = time.perf_counter()
    names = list(images)
    arrays = [images[n] for n in names]
    t = time.perf_counter()
    refs = [features(a, query=False) for a in arrays]
    flat = frozenset(n for n, r in zip(names, refs, strict=True) if r.dense is not None)
    result = Result(names, flat, reference_ms=1000 * (time.perf_counter() - t) / len(refs))
    _STATE.update(arrays=arrays, refs=refs, transformations=transformations)
    tasks = [(name, i) for name in ("original", *transformations) for i in range(len(arrays))]
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            answers = pool.map(_query, tasks, chunksize=4)
    else:
        answers = [_query(task) for task in tasks]
    for name in transformations:
        result.hits[name] = {"full": [], "pdq": []}
    for (name, i), (full, pdq_only, _) in zip(tasks, answers, strict=True):
        for method, got in (("full", full), ("pdq", pdq_only)):
            if name != "original":
                result.hits[name][method].append(i in got)
            result.false[method][0] += len(got - {i})
            result.false[method][1] += len(refs) - 1
        result.false_pairs += [(name, names[i], names[j]) for j in sorted(full - {i})]
    result.query_ms = 1000 * sum(a[2] for a in answers) / max(1, len(answers))
    result.seconds = time.perf_counter() - started
    return result


def table(result: Result):
    from rich.table import Table

    hard = result.flat
    t = Table(title=f"DY-IP copied images: recall per transformation, {len(result.names)} originals "
                    f"(skimage + sklearn samples + drawn products); matcher vs PDQ-only in the same run")
    for col in ("transformation", "recall", "PDQ only", f"w/o flat: {', '.join(n.split(':', 1)[1] for n in sorted(hard)) or '—'}", "missed"):
        t.add_column(col)
    for name in result.hits:
        t.add_row(name, f"{result.recall(name, 'full'):.3f}", f"{result.recall(name, 'pdq'):.3f}",
                  f"{result.recall(name, 'full', hard):.3f}", ", ".join(m.split(':', 1)[1] for m in result.misses(name)) or "—")
    every = [h for name in result.hits for h in result.hits[name]["full"]]
    every_pdq = [h for name in result.hits for h in result.hits[name]["pdq"]]
    t.add_row("overall", f"{sum(every) / len(every):.3f}", f"{sum(every_pdq) / len(every_pdq):.3f}", "", "")
    f, n = result.false["full"]
    fp, _ = result.false["pdq"]
    t.caption = (f"false-match rate {f}/{n} = {100 * result.false_rate('full'):.3f}% (PDQ only {fp}/{n} = "
                 f"{100 * result.false_rate('pdq'):.3f}%) over every plain or transformed original vs every different "
                 f"original; reference features {result.reference_ms:.0f} ms, query (features + {len(result.names)} matches) "
                 f"{result.query_ms:.0f} ms; {result.seconds:.0f} s in all"
                 + (f"; false matches: {result.false_pairs[:5]}" if result.false_pairs else ""))
    return t


def image_table(workers: int | None = None):
    """The full evaluation's table; by default on as many processes as there are CPUs."""
    import os

    return table(evaluate(originals(), workers=workers or os.cpu_count() or 1))


if __name__ == "__main__":
    from rich.console import Console

    Console(width=160).print(image_table())
