"""Turn uploaded bytes into a checked image at a bounded working size, or say precisely why not.

Guards, in order: the byte size, the format by its magic bytes (not the client's word), the
pixel count from the header before any pixel is decoded (decompression bombs), then a decode of
every byte that must succeed (truncated or malformed files). Pure: bytes in, image out.

No analysis needs the pixels of a 6000 px upload (36 Mpx: 108 MB as an RGB array, and every
analysis's time grows with it), so the image handed on is a working copy whose longer side is at
most `side` — each analysis says what it needs (qr.WORK_SIDE, ocr.WORK_SIDE,
copy_match.WORK_SIDE). A JPEG is decoded at 1/2, 1/4 or 1/8 scale by its DCT (`draft`); any
other format is decoded whole in its own mode, then converted and box-reduced in strips of
rows, so the only full-size buffer is the decoder's own (4 bytes a pixel at most, freed on return).
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass, replace

from PIL import Image, UnidentifiedImageError

from shopwarden.errors import Code, InvalidInput, TooLarge

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 8 << 20
    max_pixels: int = 40_000_000
    max_side: int = 12_000


DEFAULT_SIDE = 1024
STRIP_ROWS = 512  # rows converted and reduced at a time (rounded to the reduction factor)


@dataclass(frozen=True)
class DecodedImage:
    sha256: str
    media_type: str
    width: int  # as the header declares: the original's size, which boxes are given in
    height: int
    size: int
    image: Image.Image  # RGB, loaded; the working copy, its longer side at most the `side` asked for

    @property
    def scale(self) -> tuple[float, float]:
        """Original pixels per working pixel, across and down (1.0 when not reduced)."""
        return self.width / self.image.width, self.height / self.image.height


def working_size(width: int, height: int, side: int) -> tuple[int, int]:
    """The size `decode` hands on for an original of width × height: reduced by the smallest
    whole factor that brings the longer side to `side` or below (so between side/2 and side)."""
    f = max(1, math.ceil(max(width, height) / side))
    return -(-width // f), -(-height // f)


def smaller(decoded: DecodedImage, side: int) -> DecodedImage:
    """The working copy for a smaller `side`, made from one already decoded: the same pixels as
    decoding at `side` when the factors divide (6000 px: 3000 → 1000), else resampled."""
    size = working_size(decoded.width, decoded.height, side)
    image = decoded.image
    if size[0] >= image.width and size[1] >= image.height:
        return decoded
    k = image.width // size[0]
    if k > 1 and image.width % size[0] == 0 and -(-image.height // k) == size[1]:
        return replace(decoded, image=image.reduce(k))
    return replace(decoded, image=image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0))


def decode(data: bytes, limits: Limits = Limits(), field: str = "file", side: int = DEFAULT_SIDE) -> DecodedImage:
    if len(data) > limits.max_bytes:
        raise TooLarge(f"{field}: {len(data)} bytes; images are limited to {limits.max_bytes} bytes", code=Code.IMAGE_TOO_LARGE,
                       params={"field": field, "n": len(data), "max": limits.max_bytes})
    if not data:
        raise InvalidInput.one(field, "is empty", Code.IMAGE_EMPTY)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise TooLarge(f"{field}: the image declares more pixels than allowed ({limits.max_pixels})") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InvalidInput.one(field, f"is not an image this server reads; allowed: {', '.join(FORMATS.values())}", Code.IMAGE_UNREADABLE,
                               allowed=list(FORMATS.values())) from None
    _check_header(fmt, width, height, limits, field)
    assert fmt is not None  # _check_header refused a format it does not know
    image = _load(data, field, side)
    return DecodedImage(hashlib.sha256(data).hexdigest(), FORMATS[fmt], width, height, len(data), image)


def _check_header(fmt: str | None, width: int, height: int, limits: Limits, field: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput.one(field, f"format {fmt or 'unknown'} is not allowed; allowed: {', '.join(FORMATS.values())}", Code.IMAGE_FORMAT_NOT_ALLOWED,
                              fmt=fmt or "unknown", allowed=list(FORMATS.values()))
    if width <= 0 or height <= 0:
        raise InvalidInput.one(field, "has no pixels", Code.IMAGE_NO_PIXELS)
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise TooLarge(f"{field}: {width}×{height} pixels; at most {limits.max_pixels} pixels and {limits.max_side} per side")


def _load(data: bytes, field: str, side: int) -> Image.Image:
    """The first frame, every byte decoded, as an RGB working copy; a truncated file fails here."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.seek(0)
            original = im.size
            target = working_size(*original, side)
            im.draft(None, target)  # JPEG only: decoded at the DCT scale (1/2, 1/4, 1/8) nearest above the target
            im.load()
            if im.size == target:
                return im.convert("RGB")
            if im.size == original:
                return _box_reduced(im, target)
            return im.convert("RGB").resize(target, Image.Resampling.BILINEAR)  # drafted: under 2x the target a side
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise InvalidInput.one(field, "is damaged or truncated and cannot be decoded", Code.IMAGE_DAMAGED) from None


def _box_reduced(im: Image.Image, target: tuple[int, int]) -> Image.Image:
    """RGB, box-reduced by the whole factor that gives `target`; converted a strip of rows at a
    time, so a palette or grey original never exists as a full-size RGB copy."""
    width, height = im.size
    f = max(1, math.ceil(max(width, height) / max(target)))
    out = Image.new("RGB", target)
    rows = max(1, STRIP_ROWS // f) * f
    for y in range(0, height, rows):
        strip = im.crop((0, y, width, min(height, y + rows)))
        out.paste((strip if strip.mode == "RGB" else strip.convert("RGB")).reduce(f), (0, y // f))
    return out
