"""Listings: every submitted version is kept with its scan (append-only); `products` points at the latest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base

# A scan's decision -> the listing's status (takedowns add taken_down and banned).
STATUS = {"allow": "published", "review": "pending_review", "block": "rejected"}


class ProductRow(Base):
    __tablename__ = "products"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), ForeignKey("shops.shop_id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime]


class ProductVersion(Base):
    __tablename__ = "product_versions"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    listing: Mapped[dict]
    decision: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    findings: Mapped[list]
    policy_version: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str] = mapped_column(String(64))


def get(session: Session, product_id: str) -> ProductRow | None:
    return session.get(ProductRow, product_id)


def version(session: Session, product_id: str, number: int) -> ProductVersion | None:
    return session.get(ProductVersion, (product_id, number))


def add_version(session: Session, row: dict) -> None:
    """Append the version and move the product's pointer to it."""
    session.add(ProductVersion(**row))
    head = session.get(ProductRow, row["product_id"])
    if head is None:
        session.add(ProductRow(product_id=row["product_id"], shop_id=row["shop_id"], version=row["version"], status=row["status"], updated_at=row["submitted_at"]))
    else:
        head.version, head.status, head.updated_at = row["version"], row["status"], row["submitted_at"]


def of_shop(session: Session, shop_id: str, status: str | None = None) -> list[ProductRow]:
    q = select(ProductRow).where(ProductRow.shop_id == shop_id).order_by(ProductRow.updated_at.desc())
    if status:
        q = q.where(ProductRow.status == status)
    return list(session.scalars(q))
