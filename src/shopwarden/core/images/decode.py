"""Turn uploaded bytes into a checked image, or say precisely why not.

Guards, in order: the byte size, the format by its magic bytes (not the client's word), the
pixel count from the header before any pixel is decoded (decompression bombs), then a full
decode that must succeed (truncated or malformed files). Pure: bytes in, image out.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from shopwarden.errors import InvalidInput, TooLarge

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 8 << 20
    max_pixels: int = 40_000_000
    max_side: int = 12_000


@dataclass(frozen=True)
class DecodedImage:
    sha256: str
    media_type: str
    width: int
    height: int
    size: int
    image: Image.Image  # RGB, fully loaded


def decode(data: bytes, limits: Limits = Limits(), field: str = "file") -> DecodedImage:
    if len(data) > limits.max_bytes:
        raise TooLarge(f"{field}: {len(data)} bytes; images are limited to {limits.max_bytes} bytes")
    if not data:
        raise InvalidInput.one(field, "is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            fmt = probe.format
            width, height = probe.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise TooLarge(f"{field}: the image declares more pixels than allowed ({limits.max_pixels})") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InvalidInput.one(field, f"is not an image this server reads; allowed: {', '.join(FORMATS.values())}") from None
    _check_header(fmt, width, height, limits, field)
    image = _load(data, field)
    return DecodedImage(hashlib.sha256(data).hexdigest(), FORMATS[fmt], width, height, len(data), image)


def _check_header(fmt: str | None, width: int, height: int, limits: Limits, field: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput.one(field, f"format {fmt or 'unknown'} is not allowed; allowed: {', '.join(FORMATS.values())}")
    if width <= 0 or height <= 0:
        raise InvalidInput.one(field, "has no pixels")
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise TooLarge(f"{field}: {width}×{height} pixels; at most {limits.max_pixels} pixels and {limits.max_side} per side")


def _load(data: bytes, field: str) -> Image.Image:
    """The first frame, decoded in full and converted to RGB; a truncated file fails here."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.seek(0)
            im.load()
            return im.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise InvalidInput.one(field, "is damaged or truncated and cannot be decoded") from None
