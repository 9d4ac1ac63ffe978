"""The image index: who showed an image first (per shop, from stored listings) and which images
rights owners registered, with each image's PDQ hash; both tables append-only.

`image_index_entries` keys one showing by `entry_key` ("listing:<shop>:<sha>" or
"protected:<owner>:<sha>"), so the first showing per shop (or registration per owner) is kept
and later ones are refused by the key. `image_index_listings` marks the listing versions
already read into the index."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base
from shopwarden.store.products import ProductVersion


class IndexEntry(Base):
    __tablename__ = "image_index_entries"

    entry_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("images.sha256"), index=True)
    source: Mapped[str] = mapped_column(String(16))  # "listing" | "protected"
    shop_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    product_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    pdq: Mapped[str] = mapped_column(String(64))  # hex of the 256-bit hash
    pdq_quality: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    first_seen_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(64))


class IndexedListing(Base):
    __tablename__ = "image_index_listings"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)


def entry_key(source: str, who: str, sha256: str) -> str:
    return f"{source}:{who}:{sha256}"


def add(session: Session, row: dict) -> bool:
    """Keep an entry; False when one with the same key came first."""
    try:
        with session.begin_nested():
            session.add(IndexEntry(**row))
    except IntegrityError:
        return False
    return True


def get(session: Session, key: str) -> IndexEntry | None:
    return session.get(IndexEntry, key)


def all_entries(session: Session) -> list[IndexEntry]:
    return list(session.scalars(select(IndexEntry).order_by(IndexEntry.first_seen_at, IndexEntry.entry_key)))


def entries_of(session: Session, sha256s: list[str]) -> list[IndexEntry]:
    return list(session.scalars(select(IndexEntry).where(IndexEntry.sha256.in_(sha256s))))


def count(session: Session) -> int:
    return session.query(IndexEntry).count()


def unindexed_versions(session: Session, limit: int = 500) -> list[ProductVersion]:
    """Listing versions not yet read into the index, oldest first."""
    marked = select(IndexedListing).where(IndexedListing.product_id == ProductVersion.product_id, IndexedListing.version == ProductVersion.version)
    query = select(ProductVersion).where(~marked.exists()).order_by(ProductVersion.submitted_at, ProductVersion.product_id, ProductVersion.version)
    return list(session.scalars(query.limit(limit)))


def mark_indexed(session: Session, product_id: str, version: int) -> None:
    try:
        with session.begin_nested():
            session.add(IndexedListing(product_id=product_id, version=version))
    except IntegrityError:
        pass
