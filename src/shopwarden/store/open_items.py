"""The items operators still have to decide — pending appeals, open cases, pending review reports,
brand qualifications awaiting their first review — as an index the queues walk oldest first, so a
queue costs what is open, not everything ever decided (`bench/RESULTS.md`, Pages).

Derived, not a record: a row is written in the transaction that stores its item and removed in the
one that stores the item's decision; the items and decisions stay append-only and remain the truth
(`test_open_items.py` checks the queues against them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base, rowcount

KINDS = ("appeal", "case", "review_report", "qualification", "content")


class OpenItem(Base):
    __tablename__ = "open_items"
    __table_args__ = (Index("ix_open_items_kind_opened", "kind", "opened_at", "item_id"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    opened_at: Mapped[datetime]


def opened(session: Session, kind: str, item_id: str, at: datetime) -> None:
    session.execute(insert(OpenItem), [{"kind": kind, "item_id": item_id, "opened_at": at}])


def closed(session: Session, kind: str, item_id: str) -> None:
    session.execute(delete(OpenItem).where(OpenItem.kind == kind, OpenItem.item_id == item_id))


def close_once(session: Session, kind: str, item_id: str) -> bool:
    """Remove an open item; False when it was not open (decided already: a concurrent decision lost)."""
    q = delete(OpenItem).where(OpenItem.kind == kind, OpenItem.item_id == item_id)
    return rowcount(session.execute(q)) == 1


def is_open(session: Session, kind: str, item_id: str) -> bool:
    return session.get(OpenItem, (kind, item_id)) is not None


def of_kind(kind: str):
    """The join condition's half on this side: open items of `kind` (join on `item_id`)."""
    return OpenItem.kind == kind


def count(session: Session, kind: str) -> int:
    return session.execute(select(func.count()).select_from(OpenItem).where(OpenItem.kind == kind)).scalar_one()
