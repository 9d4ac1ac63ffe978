"""QR codes in an image: their payload text and where they are (four corner points, in pixels).

zxing-cpp reads first. OpenCV's Aruco-based detector is the fallback, tried only when zxing
finds no code but saw something it could not decode (the cheap hint that a code is there).
Pure: a decoded RGB image in, codes out; untrusted bytes are never decoded here.

The image to read is decoded with its longer side at most `WORK_SIDE`. Measured on a 6000 px
flat image with a 25-module code (33 with its quiet zone) pasted in at 17°: zxing reads it down
to about 1.6 pixels a module, so at 3000 px a code of 120 px (2% of the side) is still read;
at 2000 px not below 160 px, at 1500 px not below 200 px.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import zxingcpp
from PIL import Image

Box = tuple[tuple[int, int], ...]
WORK_SIDE = 3072


@dataclass(frozen=True, slots=True)
class QrCode:
    text: str
    box: Box  # top-left, top-right, bottom-right, bottom-left


def decode_qr(image: Image.Image) -> list[QrCode]:
    """Every QR code zxing (or, failing it, OpenCV) decodes in `image`, in reading order."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, return_errors=True)  # type: ignore[arg-type]  # one format is a set of one
    codes = [_from_zxing(b) for b in found if b.valid and b.text]
    if codes or not any(not b.valid for b in found):
        return codes
    return _opencv(image)


def _from_zxing(barcode: zxingcpp.Barcode) -> QrCode:
    p = barcode.position
    corners = (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
    return QrCode(barcode.text, tuple((int(c.x), int(c.y)) for c in corners))


def _opencv(image: Image.Image) -> list[QrCode]:
    import cv2

    grey = np.asarray(image.convert("L"))
    ok, texts, points, _ = cv2.QRCodeDetectorAruco().detectAndDecodeMulti(grey)
    if not ok or points is None:
        return []
    return [
        QrCode(text, tuple((int(round(x)), int(round(y))) for x, y in quad))
        for text, quad in zip(texts, points, strict=False)
        if text
    ]
