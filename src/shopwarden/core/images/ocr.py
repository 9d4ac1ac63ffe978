"""Text read from an image: lines with their boxes and scores, the engine that reads them (passed
in from outside, so core never loads a model), and a cheap check for whether OCR is worth it.

`likely_has_text` looks at a downscaled grey image in tiles: a tile holds text when it is
dense with strong edges running both across and down (strokes), which a product's outline, a
smooth gradient or a plain background are not. Two such tiles are enough to send the image to OCR.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from PIL import Image

Box = tuple[tuple[int, int], ...]

CHECK_SIDE = 640  # the pre-check works on the image scaled so its longer side is at most this
# The longest side OCR reads at (decode's working copy). The engine finds lines on the image
# scaled to 960 px (service/image_text.py OCR_PARAMS) and reads each line from the copy it was
# given: twice that keeps every line it can find legible, a 6000 px original only costs time.
WORK_SIDE = 2048
TILE = 16
EDGE = 48  # a grey-level step this strong is an edge
TILE_DENSITY = 0.14  # share of a tile's pixels on an edge, each direction counted
MIN_TEXT_TILES = 2


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text read from an image: what, where (corner points, pixels), how sure, by what."""

    text: str
    box: Box
    score: float
    source: Literal["ocr", "qr"] = "ocr"

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": [list(p) for p in self.box], "score": round(self.score, 4), "source": self.source}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TextLine:
        return cls(d["text"], tuple((int(x), int(y)) for x, y in d["box"]), float(d["score"]), d.get("source", "ocr"))


class OcrEngine(Protocol):
    """Reads text lines from an RGB image array (height × width × 3, uint8)."""

    def read(self, rgb: np.ndarray) -> Sequence[TextLine]: ...


def read_text(image: Image.Image, engine: OcrEngine) -> list[TextLine]:
    """The engine's non-empty lines for an image."""
    return [line for line in engine.read(np.asarray(image.convert("RGB"))) if line.text.strip()]


def _grey(image: Image.Image) -> np.ndarray:
    grey = image.convert("L")
    scale = CHECK_SIDE / max(grey.size)
    if scale < 1:
        grey = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.Resampling.BILINEAR)
    return np.asarray(grey, dtype=np.int16)


def text_tiles(image: Image.Image) -> int:
    """How many tiles of the downscaled image look like text (dense strokes in both directions)."""
    g = _grey(image)
    h, w = (g.shape[0] // TILE) * TILE, (g.shape[1] // TILE) * TILE
    if h == 0 or w == 0:
        return 0
    across = np.abs(np.diff(g, axis=1))[:h, : w - 1] >= EDGE
    down = np.abs(np.diff(g, axis=0))[: h - 1, :w] >= EDGE
    across = np.pad(across, ((0, 0), (0, 1)))
    down = np.pad(down, ((0, 1), (0, 0)))

    def density(edges: np.ndarray) -> np.ndarray:
        tiles: np.ndarray = edges.reshape(h // TILE, TILE, w // TILE, TILE).mean(axis=(1, 3))
        return tiles

    a, d = density(across), density(down)
    return int(np.count_nonzero((a + d >= TILE_DENSITY) & (np.minimum(a, d) >= TILE_DENSITY / 4)))


def likely_has_text(image: Image.Image) -> bool:
    return text_tiles(image) >= MIN_TEXT_TILES
