"""Read the text in uploaded images — QR payloads always, OCR where the pre-check sees text —
once per image and reader version, for the image_text detector.

OCR runs on rapidocr's PP-OCR models that ship inside its wheel, on onnxruntime (CPU); the
engine loads lazily, once per process, and is shared. onnxruntime phones home unless
ORT_DISABLE_TELEMETRY is set before it is imported, hence the setdefault below, before any
import of rapidocr. A reading is kept in its own short transaction, so it survives a use
case that is then refused (the image was read either way).
"""

from __future__ import annotations

import os

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import logging
from collections.abc import Sequence
from dataclasses import replace
from importlib.metadata import version
from threading import Lock
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from shopwarden.core.images.copy_match import WORK_SIDE as MATCH_SIDE
from shopwarden.core.images.decode import DecodedImage, decode, smaller
from shopwarden.core.images.ocr import WORK_SIDE as OCR_SIDE
from shopwarden.core.images.ocr import OcrEngine, TextLine, likely_has_text, read_text
from shopwarden.core.images.qr import WORK_SIDE as QR_SIDE
from shopwarden.core.images.qr import decode_qr
from shopwarden.errors import FieldProblem, InvalidInput, NotFound, TooLarge
from shopwarden.service.context import Context
from shopwarden.store import image_texts, images
from shopwarden.store.images import ImageRow

READER = f"zxing-cpp {version('zxing-cpp')}; rapidocr {version('rapidocr')} default; precheck 1; work {QR_SIDE}/{OCR_SIDE}"
KEEP_COPIES = 8  # working copies (≤ 4 MB each) one submission keeps for the copied-image check
OCR_PARAMS = {"Det.limit_type": "max", "Det.limit_side_len": 960, "EngineConfig.onnxruntime.intra_op_num_threads": 1}


class RapidOcrEngine:
    """rapidocr with its bundled default models (any other language, model or version would be
    downloaded, so none is asked for); it is only ever handed arrays, never a path or URL."""

    def __init__(self) -> None:
        self._ocr: Any = None  # rapidocr.RapidOCR, imported on first use
        self._lock = Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._ocr is None:
                from rapidocr import RapidOCR

                self._ocr = RapidOCR(params=OCR_PARAMS)
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)  # "no text found" is no warning here
            return self._ocr

    def read(self, rgb: np.ndarray) -> list[TextLine]:
        out = self._load()(np.ascontiguousarray(rgb[:, :, ::-1]))  # rapidocr reads arrays as BGR
        if out.boxes is None or out.txts is None:
            return []
        return [
            TextLine(text, tuple((int(round(x)), int(round(y))) for x, y in box), float(score), "ocr")
            for text, score, box in zip(out.txts, out.scores, out.boxes, strict=True)
        ]


_engine: RapidOcrEngine | None = None
_engine_lock = Lock()


def engine() -> OcrEngine:
    """The process's OCR engine (its models load on first use)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = RapidOcrEngine()
        return _engine


def _check_known(session: Session, ids: Sequence[str], field: str) -> None:
    problems = [
        FieldProblem(f"{field}[{i}]", "no uploaded image has this id; upload the image with POST /v1/images and send its image_id")
        for i, image_id in enumerate(ids)
        if images.get(session, image_id) is None
    ]
    if problems:
        raise InvalidInput("; ".join(f"{p.field}: {p.message}" for p in problems), problems)


def _in_original(line: TextLine, decoded: DecodedImage) -> TextLine:
    sx, sy = decoded.scale
    if sx == sy == 1:
        return line
    return replace(line, box=tuple((round(x * sx), round(y * sy)) for x, y in line.box))


def read_decoded(decoded: DecodedImage, ocr: OcrEngine) -> tuple[list[TextLine], bool]:
    """QR payloads, then OCR lines when the pre-check sees text; and whether OCR ran. QR reads
    `decoded` (decoded at qr.WORK_SIDE), OCR a smaller ocr.WORK_SIDE copy made from it; boxes are
    given in the original's pixels."""
    lines = [_in_original(TextLine(c.text, c.box, 1.0, "qr"), decoded) for c in decode_qr(decoded.image)]
    text = smaller(decoded, OCR_SIDE)
    ran = likely_has_text(text.image)
    if ran:
        lines += [_in_original(line, text) for line in read_text(text.image, ocr)]
    return lines, ran


def read_image(data: bytes, ocr: OcrEngine) -> tuple[list[TextLine], bool]:
    return read_decoded(decode(data, side=QR_SIDE), ocr)


def check_pixels(session: Session, ids: Sequence[str], limit: int, field: str = "images") -> None:
    """Before any image is read: unknown ids are 422 naming `field[i]`; the distinct images'
    declared pixels (their headers, kept at upload) over `limit` together are 413 naming `field`."""
    _check_known(session, ids, field)
    rows = [_row(session, image_id) for image_id in dict.fromkeys(ids)]
    asked = sum(row.width * row.height for row in rows)
    if asked > limit:
        raise TooLarge(f"{field}: the {len(rows)} images named declare {asked:,} pixels together; at most {limit:,} are read for one "
                       f"submission (no check here looks at more than {QR_SIDE} pixels a side: smaller images lose nothing)",
                       field, limit, asked)


def _row(session: Session, image_id: str) -> ImageRow:
    row = images.get(session, image_id)
    if row is None:  # `_check_known` refused unknown ids before
        raise NotFound.no("image", image_id)
    return row


def unread_pixels(session: Session, ids: Sequence[str]) -> int:
    """The declared pixels of the distinct images among `ids` that have no reading yet (this reader)."""
    distinct = list(dict.fromkeys(ids))
    read = set(image_texts.get_many(session, distinct, READER))
    return sum(row.width * row.height for row in (images.get(session, i) for i in distinct if i not in read) if row is not None)


def read_images(ctx: Context, session: Session, ids: Sequence[str], field: str = "images",
                copies: dict[str, DecodedImage] | None = None) -> list[dict[str, Any]]:
    """For each image id, in order: {"image_id", "lines", "ocr"}; unknown ids are 422 naming `field[i]`.
    A large image read now leaves its copy_match.WORK_SIDE working copy in `copies` (up to
    KEEP_COPIES of them), so the copied-image check that follows does not decode it again."""
    _check_known(session, ids, field)
    cached = {sha: {"lines": row.lines, "ocr": row.ocr} for sha, row in image_texts.get_many(session, list(set(ids)), READER).items()}
    for image_id in dict.fromkeys(ids):
        if image_id not in cached:
            data = images.data(session, image_id)
            if data is None:  # a known image's bytes are kept with it
                raise NotFound.no("image", image_id)
            decoded = decode(data, side=QR_SIDE)
            lines, ran = read_decoded(decoded, engine())
            if copies is not None and len(copies) < KEEP_COPIES and decoded.scale != (1.0, 1.0):
                copies[image_id] = smaller(decoded, MATCH_SIDE)
            del decoded
            cached[image_id] = {"lines": [line.as_dict() for line in lines], "ocr": ran}
            with ctx.db.transaction() as s:
                image_texts.add(s, {"sha256": image_id, "reader": READER, "read_at": ctx.clock()} | cached[image_id])
    return [{"image_id": image_id} | cached[image_id] for image_id in ids]
