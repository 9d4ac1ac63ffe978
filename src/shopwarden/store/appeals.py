"""Appeals and their decisions: two append-only tables; a decision is final once written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, and_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import open_items, outbox
from shopwarden.store.base import Base
from shopwarden.store.db import insert_once
from shopwarden.store.open_items import OpenItem


class Appeal(Base):
    __tablename__ = "appeals"

    appeal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    violation_id: Mapped[str] = mapped_column(String(64), ForeignKey("violations.violation_id"), index=True)
    shop_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)  # a creator's appeal (CR-11), 0016
    number: Mapped[int] = mapped_column(Integer)
    filed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(default=list)
    deadline: Mapped[datetime | None]
    created_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("violation_id", "number", name="uq_appeals_violation_number"),)


class AppealDecision(Base):
    __tablename__ = "appeal_decisions"

    appeal_id: Mapped[str] = mapped_column(String(64), ForeignKey("appeals.appeal_id"), primary_key=True)
    violation_id: Mapped[str] = mapped_column(String(64))
    shop_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
    key_id: Mapped[str] = mapped_column(String(64))


def add(session: Session, row: dict) -> bool:
    """False when the violation's appeal `number` is already taken: a concurrent appeal won
    (TT-APL-1, one pending at a time: numbers 1..max, each after the previous one's rejection)."""
    if not insert_once(session, Appeal, row):
        return False
    open_items.opened(session, "appeal", row["appeal_id"], row["filed_at"])
    return True


def add_decision(session: Session, row: dict) -> bool:
    """False when the appeal already has its decision (keyed by appeal id: final, TT-APL-6)."""
    if not insert_once(session, AppealDecision, row):
        return False
    open_items.closed(session, "appeal", row["appeal_id"])
    outbox.note(session, "decision", row)  # appeal.decided and the sanctions a granted one lifts (0020)
    return True


def get(session: Session, appeal_id: str) -> Appeal | None:
    return session.get(Appeal, appeal_id)


def decision(session: Session, appeal_id: str) -> AppealDecision | None:
    return session.get(AppealDecision, appeal_id)


def of_violation(session: Session, violation_id: str) -> list[tuple[Appeal, AppealDecision | None]]:
    q = (
        select(Appeal, AppealDecision)
        .outerjoin(AppealDecision, AppealDecision.appeal_id == Appeal.appeal_id)
        .where(Appeal.violation_id == violation_id)
        .order_by(Appeal.number)
    )
    return [(a, d) for a, d in session.execute(q)]


def of_shop(session: Session, shop_id: str) -> tuple[list, list]:
    a, d = Appeal.__table__.c, AppealDecision.__table__.c
    filed = list(session.execute(select(a.appeal_id, a.violation_id, a.number, a.filed_at).where(a.shop_id == shop_id)))
    decided = list(
        session.execute(
            select(d.appeal_id, d.violation_id, d.outcome, d.decided_at, d.reason, d.decided_by).where(d.shop_id == shop_id)
        )
    )
    return filed, decided


def pending(session: Session, shop_id: str | None = None, limit: int = 100) -> list[Appeal]:
    q = (
        select(Appeal)
        .join(OpenItem, and_(open_items.of_kind("appeal"), OpenItem.item_id == Appeal.appeal_id))
        .order_by(OpenItem.opened_at, OpenItem.item_id)
        .limit(limit)
    )
    if shop_id is not None:
        q = q.where(Appeal.shop_id == shop_id)
    return list(session.scalars(q))


def count_pending(session: Session) -> int:
    """How many appeals wait for a decision (the console's overview)."""
    return open_items.count(session, "appeal")


def decided_of(session: Session, shop_id: str | None, creator_id: str | None) -> list[AppealDecision]:
    """The decisions on a shop's (or a creator's) appeals (DSA Art. 23 counts them)."""
    D = AppealDecision
    q = select(D).where(D.creator_id == creator_id) if creator_id is not None else select(D).where(D.shop_id == shop_id, D.creator_id.is_(None))
    return list(session.scalars(q))
