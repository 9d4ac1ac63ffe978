"""The brand registry and shops' brand qualifications (DY-BR, DY-BQ-1). A qualification's filing
never changes; its reviews are appended, and its status is the latest review's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, and_, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import open_items
from shopwarden.store.base import Base
from shopwarden.store.db import insert_once
from shopwarden.store.open_items import OpenItem


class BrandRow(Base):
    __tablename__ = "brands"

    brand_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list] = mapped_column(default=list)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    registered: Mapped[bool] = mapped_column(Boolean, default=True)
    owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    categories: Mapped[list] = mapped_column(default=list)
    updated_at: Mapped[datetime]


class QualificationRow(Base):
    __tablename__ = "brand_qualifications"

    qualification_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    brand_id: Mapped[str] = mapped_column(String(64), ForeignKey("brands.brand_id"))
    trademark_no: Mapped[str] = mapped_column(String(64))
    mark: Mapped[str] = mapped_column(String(2))
    categories: Mapped[list] = mapped_column(default=list)
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]
    filed_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(64))


class QualificationReview(Base):
    __tablename__ = "brand_qualification_reviews"

    review_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    qualification_id: Mapped[str] = mapped_column(String(64), ForeignKey("brand_qualifications.qualification_id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the qualification's 1st review (the decision) …: unique, so a race loses
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(128))

    __table_args__ = (Index("uq_brand_qualification_reviews_number", "qualification_id", "number", unique=True),)


def put_brand(session: Session, row: dict) -> bool:
    existing = session.get(BrandRow, row["brand_id"])
    if existing is None:
        session.add(BrandRow(**row))
        return True
    for k, v in row.items():
        setattr(existing, k, v)
    return False


def all_brands(session: Session) -> list[BrandRow]:
    return list(session.scalars(select(BrandRow).order_by(BrandRow.brand_id)))


def registry_version(session: Session) -> tuple:
    """Changes whenever a brand is added or updated: the in-memory index is rebuilt then."""
    return tuple(session.execute(select(func.count(), func.max(BrandRow.updated_at)).select_from(BrandRow)).one())


def get_brand(session: Session, brand_id: str) -> BrandRow | None:
    return session.get(BrandRow, brand_id)


def add_qualification(session: Session, row: dict) -> None:
    session.add(QualificationRow(**row))
    open_items.opened(session, "qualification", row["qualification_id"], row["filed_at"])


def get_qualification(session: Session, qualification_id: str) -> QualificationRow | None:
    return session.get(QualificationRow, qualification_id)


def add_review(session: Session, row: dict) -> bool:
    """False when the qualification's review `number` is taken (a concurrent review won, DY-BQ-1)."""
    if not insert_once(session, QualificationReview, row):
        return False
    open_items.closed(session, "qualification", row["qualification_id"])  # pending until the first review
    return True


def reviews_of(session: Session, qualification_ids: list[str]) -> dict[str, list[QualificationReview]]:
    out: dict[str, list[QualificationReview]] = {q: [] for q in qualification_ids}
    if qualification_ids:
        q = select(QualificationReview).where(QualificationReview.qualification_id.in_(qualification_ids)).order_by(QualificationReview.decided_at)
        for r in session.scalars(q):
            out[r.qualification_id].append(r)
    return out


def qualifications(session: Session, shop_id: str | None = None, status_pending_only: bool = False) -> list[QualificationRow]:
    q = select(QualificationRow).order_by(QualificationRow.filed_at, QualificationRow.qualification_id)
    if shop_id is not None:
        q = q.where(QualificationRow.shop_id == shop_id)
    if status_pending_only:
        q = q.join(OpenItem, and_(open_items.of_kind("qualification"), OpenItem.item_id == QualificationRow.qualification_id))
    return list(session.scalars(q))


def count_pending(session: Session) -> int:
    """How many qualifications wait for a first review (the console's overview)."""
    return open_items.count(session, "qualification")
