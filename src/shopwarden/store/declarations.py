"""Contact declarations (DY-DV exception): after-sales contacts a shop filed, with the reason."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base


class ContactDeclaration(Base):
    __tablename__ = "contact_declarations"

    declaration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(64))


def add(session: Session, row: dict) -> None:
    session.add(ContactDeclaration(**row))


def of_shop(session: Session, shop_id: str) -> list[ContactDeclaration]:
    q = select(ContactDeclaration).where(ContactDeclaration.shop_id == shop_id).order_by(ContactDeclaration.filed_at)
    return list(session.scalars(q))


def all_by_shop(session: Session) -> dict[str, list[ContactDeclaration]]:
    """Every shop's declarations, oldest first (a bulk read for `sweep`'s export)."""
    out: dict[str, list[ContactDeclaration]] = {}
    for d in session.scalars(select(ContactDeclaration).order_by(ContactDeclaration.shop_id, ContactDeclaration.filed_at)):
        out.setdefault(d.shop_id, []).append(d)
    return out
