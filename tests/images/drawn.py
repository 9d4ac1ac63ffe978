"""Images the tests draw: product-like photos, Chinese text on them, a QR code pasted in."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """The Debian CJK font scripts/ensure-fonts.sh installs; missing under CI=true is a failure."""
    if not CJK_FONT.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CJK_FONT} is missing under CI=true; run scripts/ensure-fonts.sh")
        pytest.skip(f"{CJK_FONT} is missing; run scripts/ensure-fonts.sh")
    return ImageFont.truetype(str(CJK_FONT), size)


def product_photo(w: int = 1000, h: int = 1000, seed: int = 0, hue=(70, 110, 170)) -> Image.Image:
    """A product shot without text: a soft studio gradient, a shaded bottle-like shape, a shadow, sensor noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    bg = 235 - 40 * (y / h) - 10 * (x / w)
    rgb = np.stack([bg, bg - 4, bg - 10], axis=-1)
    cx, cy, rx, ry = w * 0.5, h * 0.55, w * 0.2, h * 0.32
    inside = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
    shade = np.clip(1.15 - ((x - cx + rx * 0.4) / (rx * 1.6)) ** 2, 0.35, 1.15)
    for c in range(3):
        rgb[..., c] = np.where(inside, hue[c] * shade, rgb[..., c])
    shadow = (((x - cx) / (rx * 1.3)) ** 2 + ((y - (cy + ry)) / (h * 0.03)) ** 2 <= 1) & ~inside
    rgb[shadow] *= 0.75
    rgb += rng.normal(0, 3, rgb.shape)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))


def with_text(image: Image.Image, lines: list[str], size: int = 56, at=(60, 60), fill=(200, 20, 20)) -> Image.Image:
    out = image.copy()
    draw, font = ImageDraw.Draw(out), cjk_font(size)
    x, y = at
    for line in lines:
        draw.text((x, y), line, font=font, fill=fill)
        y += int(size * 1.5)
    return out


def qr_image(payload: str, scale: int = 8) -> Image.Image:
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode)
    return Image.fromarray(np.asarray(code.to_image(scale=scale))).convert("RGB")


def with_qr(photo: Image.Image, payload: str, fraction: float = 0.2, angle: float = 17, at=(0.7, 0.72)) -> Image.Image:
    """`payload` as a QR code `fraction` of the photo's width, rotated by `angle` degrees, pasted in."""
    side = int(photo.width * fraction)
    code = qr_image(payload).resize((side, side), Image.Resampling.NEAREST)
    rotated = code.rotate(angle, expand=True, fillcolor=(255, 255, 255), resample=Image.Resampling.BICUBIC)
    out = photo.copy()
    out.paste(rotated, (int(photo.width * at[0] - rotated.width / 2), int(photo.height * at[1] - rotated.height / 2)))
    return out


def jpeg(image: Image.Image, quality: int = 75) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()
