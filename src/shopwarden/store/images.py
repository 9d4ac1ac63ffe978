"""Uploaded images, content-addressed by SHA-256: the same bytes are stored once, and every shop
that uploaded them is recorded as an owner (the shops whose sellers may read them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base


class ImageRow(Base):
    __tablename__ = "images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    first_shop_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    uploaded_at: Mapped[datetime]
    uploaded_by: Mapped[str] = mapped_column(String(64))


class ImageBlob(Base):
    __tablename__ = "image_blobs"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("images.sha256"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ImageOwner(Base):
    """A shop that uploaded the image (first or again): its sellers may read it (0015)."""

    __tablename__ = "image_owners"

    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("images.sha256"), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), primary_key=True)


def get(session: Session, sha256: str) -> ImageRow | None:
    return session.get(ImageRow, sha256)


def add(session: Session, row: dict, data: bytes) -> None:
    session.add(ImageRow(**row))
    session.flush()
    session.add(ImageBlob(sha256=row["sha256"], data=data))


def data(session: Session, sha256: str) -> bytes | None:
    blob = session.get(ImageBlob, sha256)
    return None if blob is None else blob.data


def add_owner(session: Session, sha256: str, shop_id: str) -> None:
    if session.get(ImageOwner, (sha256, shop_id)) is None:
        session.add(ImageOwner(sha256=sha256, shop_id=shop_id))
        session.flush()


def owners(session: Session, sha256: str) -> frozenset[str]:
    return frozenset(session.scalars(select(ImageOwner.shop_id).where(ImageOwner.sha256 == sha256)))
