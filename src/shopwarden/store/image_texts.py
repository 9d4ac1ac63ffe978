"""Text read from uploaded images (QR payloads, OCR lines), cached by image sha256 and reader.

OCR is the slow path, so each image is read once per reader version; rows are append-only
and a new reader version adds rows beside the old ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base


class ImageTextRow(Base):
    __tablename__ = "image_texts"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("images.sha256"), primary_key=True)
    reader: Mapped[str] = mapped_column(String(100), primary_key=True)
    lines: Mapped[list]
    ocr: Mapped[bool] = mapped_column(Boolean)  # whether OCR ran (the pre-check saw text)
    read_at: Mapped[datetime]


def get_many(session: Session, sha256s: list[str], reader: str) -> dict[str, ImageTextRow]:
    rows = session.query(ImageTextRow).filter(ImageTextRow.sha256.in_(sha256s), ImageTextRow.reader == reader).all()
    return {r.sha256: r for r in rows}


def add(session: Session, row: dict) -> bool:
    """Keep one reading; False when another request stored the same one first."""
    try:
        with session.begin_nested():
            session.add(ImageTextRow(**row))
    except IntegrityError:
        return False
    return True
