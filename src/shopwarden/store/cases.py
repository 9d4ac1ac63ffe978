"""Review cases opened from findings, and operators' decisions on them (append-only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, and_, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import open_items
from shopwarden.store.base import Base
from shopwarden.store.db import insert_once
from shopwarden.store.open_items import OpenItem

DISPUTE = "match_dispute"  # the subject kind of a merchant's dispute of a same-product match (DY-LQ-3/4)


class CaseRow(Base):
    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64))
    subject_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule: Mapped[str] = mapped_column(String(32), index=True)
    detector: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    finding: Mapped[dict]
    decision: Mapped[str] = mapped_column(String(10))
    opened_at: Mapped[datetime]
    # A match dispute's banned product and its ordinal among the disputes of that pair: unique, so of
    # two concurrent disputes of one match only one is stored (one open at a time). Null for findings.
    subject_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("uq_cases_subject_ref_number", "subject_kind", "subject_id", "subject_ref", "number", unique=True),)


class CaseDecision(Base):
    __tablename__ = "case_decisions"

    case_id: Mapped[str] = mapped_column(String(64), ForeignKey("cases.case_id"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    violation_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(128))


def add(session: Session, row: dict) -> None:
    session.add(CaseRow(**row))
    open_items.opened(session, "case", row["case_id"], row["opened_at"])


def add_once(session: Session, row: dict) -> bool:
    """`add` for a case with an ordinal (a match dispute): False when its number is already taken."""
    if not insert_once(session, CaseRow, row):
        return False
    open_items.opened(session, "case", row["case_id"], row["opened_at"])
    return True


def get(session: Session, case_id: str) -> tuple[CaseRow, CaseDecision | None] | None:
    row = session.get(CaseRow, case_id)
    return None if row is None else (row, session.get(CaseDecision, case_id))


def add_decision(session: Session, row: dict) -> bool:
    """False when the case already has its decision (keyed by case id: final)."""
    if not insert_once(session, CaseDecision, row):
        return False
    open_items.closed(session, "case", row["case_id"])
    return True


def search(session: Session, status: str | None, rule: str | None, shop_id: str | None, limit: int,
           subject_kind: str | None = None, not_subject_kind: str | None = None) -> list[tuple[CaseRow, CaseDecision | None]]:
    """Cases oldest first; `subject_kind` keeps one kind (e.g. `match_dispute`), `not_subject_kind` leaves one out."""
    q = select(CaseRow, CaseDecision).outerjoin(CaseDecision, CaseDecision.case_id == CaseRow.case_id).limit(limit)
    if status == "open":  # walk the open ones only, oldest first
        q = q.join(OpenItem, and_(open_items.of_kind("case"), OpenItem.item_id == CaseRow.case_id)).order_by(OpenItem.opened_at, OpenItem.item_id)
    else:
        q = q.order_by(CaseRow.opened_at)
    if status == "decided":
        q = q.where(CaseDecision.case_id.is_not(None))
    if rule:
        q = q.where(CaseRow.rule == rule)
    if shop_id:
        q = q.where(CaseRow.shop_id == shop_id)
    if subject_kind:
        q = q.where(CaseRow.subject_kind == subject_kind)
    if not_subject_kind:
        q = q.where(CaseRow.subject_kind != not_subject_kind)
    return [(c, d) for c, d in session.execute(q)]


def decided_of_shop(session: Session, shop_id: str, subject_kind: str, at: datetime) -> list[tuple[CaseRow, CaseDecision]]:
    """A shop's cases of one subject kind decided by `at`, in decision order."""
    q = (select(CaseRow, CaseDecision).join(CaseDecision, CaseDecision.case_id == CaseRow.case_id)
         .where(CaseRow.shop_id == shop_id, CaseRow.subject_kind == subject_kind, CaseDecision.decided_at <= at).order_by(CaseDecision.decided_at))
    return [(c, d) for c, d in session.execute(q)]


def count_open(session: Session, subject_kind: str | None = None, not_subject_kind: str | None = None) -> int:
    """How many cases wait for a decision, of one subject kind or all but one (the console's overview)."""
    q = select(func.count()).select_from(CaseRow).join(OpenItem, and_(open_items.of_kind("case"), OpenItem.item_id == CaseRow.case_id))
    if subject_kind:
        q = q.where(CaseRow.subject_kind == subject_kind)
    if not_subject_kind:
        q = q.where(CaseRow.subject_kind != not_subject_kind)
    return session.execute(q).scalar_one()


def of_subject(session: Session, subject_kind: str, subject_id: str) -> list[tuple[CaseRow, CaseDecision | None]]:
    """A subject's cases of one kind (e.g. a listing's same-product disputes), oldest first."""
    q = (select(CaseRow, CaseDecision).outerjoin(CaseDecision, CaseDecision.case_id == CaseRow.case_id)
         .where(CaseRow.subject_kind == subject_kind, CaseRow.subject_id == subject_id).order_by(CaseRow.opened_at, CaseRow.case_id))
    return [(c, d) for c, d in session.execute(q)]
