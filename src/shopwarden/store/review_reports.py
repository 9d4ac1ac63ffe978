"""Sellers' reports of malicious reviews (RV-1..6), their decisions, and the reporting warnings
and blocks of RV-4. All append-only: a report, a decision and a block are records, never edited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import open_items
from shopwarden.store.base import Base
from shopwarden.store.db import insert_once
from shopwarden.store.open_items import OpenItem


class ReviewReport(Base):
    __tablename__ = "review_reports"

    report_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    review_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int] = mapped_column(Integer)  # the review's 1st, 2nd … report: (review_id, number) is unique, so a race loses (RV-3)
    shop_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list]
    signals: Mapped[list]
    filed_at: Mapped[datetime]
    filed_by: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))

    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_review_reports_review_number"),
                      Index("ix_review_reports_shop_filed", "shop_id", "filed_at"))


class ReportDecision(Base):
    __tablename__ = "review_report_decisions"

    report_id: Mapped[str] = mapped_column(String(64), ForeignKey("review_reports.report_id"), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime]
    decided_by: Mapped[str] = mapped_column(String(128))
    key_id: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_review_report_decisions_shop_decided", "shop_id", "decided_at"),)


class ReportingAction(Base):
    """RV-4: a warning (`until` null) or a block from reporting until `until`, with the figures behind it."""

    __tablename__ = "reporting_actions"

    action_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the shop's 1st, 2nd … action: (shop_id, number) unique, so a race loses
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    until: Mapped[datetime | None]
    figures: Mapped[dict]
    report_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))

    __table_args__ = (Index("uq_reporting_actions_shop_number", "shop_id", "number", unique=True),)


def add(session: Session, row: dict) -> bool:
    """False when the review's report `number` is already taken (a concurrent report won, RV-3)."""
    if not insert_once(session, ReviewReport, row):
        return False
    open_items.opened(session, "review_report", row["report_id"], row["filed_at"])
    return True


def get(session: Session, report_id: str) -> tuple[ReviewReport, ReportDecision | None] | None:
    row = session.get(ReviewReport, report_id)
    return None if row is None else (row, session.get(ReportDecision, report_id))


def of_review(session: Session, review_id: str) -> list[ReviewReport]:
    return list(session.scalars(select(ReviewReport).where(ReviewReport.review_id == review_id).order_by(ReviewReport.number)))


def add_decision(session: Session, row: dict) -> bool:
    """False when the report already has its decision (keyed by report id: final, RV-1)."""
    if not insert_once(session, ReportDecision, row):
        return False
    open_items.closed(session, "review_report", row["report_id"])
    return True


def queue(session: Session, status: str | None, shop_id: str | None, limit: int, offset: int) -> list[tuple[ReviewReport, ReportDecision | None]]:
    """Reports oldest first, with their decisions; `status` pending | granted | rejected."""
    q = select(ReviewReport, ReportDecision).outerjoin(ReportDecision, ReportDecision.report_id == ReviewReport.report_id)
    if shop_id is not None:
        q = q.where(ReviewReport.shop_id == shop_id)
    if status == "pending":  # walk the open ones only, oldest first
        q = q.join(OpenItem, and_(open_items.of_kind("review_report"), OpenItem.item_id == ReviewReport.report_id))
        q = q.order_by(OpenItem.opened_at, OpenItem.item_id).limit(limit).offset(offset)
        return [(r, d) for r, d in session.execute(q)]
    if status is not None:
        q = q.where(ReportDecision.outcome == status)
    q = q.order_by(ReviewReport.filed_at, ReviewReport.report_id).limit(limit).offset(offset)
    return [(r, d) for r, d in session.execute(q)]


def decided_between(session: Session, shop_id: str, start: datetime, end: datetime) -> dict[str, int]:
    """The shop's report decisions with `start < decided_at <= end`, counted by outcome."""
    q = (select(ReportDecision.outcome, func.count()).where(ReportDecision.shop_id == shop_id, ReportDecision.decided_at > start,
                                                            ReportDecision.decided_at <= end).group_by(ReportDecision.outcome))
    return {o: int(n) for o, n in session.execute(q)}


def decisions_of_shop(session: Session, shop_id: str, until: datetime) -> list[tuple[ReportDecision, ReviewReport]]:
    q = (select(ReportDecision, ReviewReport).join(ReviewReport, ReviewReport.report_id == ReportDecision.report_id)
         .where(ReportDecision.shop_id == shop_id, ReportDecision.decided_at <= until).order_by(ReportDecision.decided_at))
    return [(d, r) for d, r in session.execute(q)]


def add_action(session: Session, row: dict) -> bool:
    """False when the shop's action `number` is taken: a concurrent decision issued it (RV-4).
    Without a number, the next after the shop's last (for tests and imports; not race-safe)."""
    if row.get("number") is None:
        last = session.scalar(select(func.max(ReportingAction.number)).where(ReportingAction.shop_id == row["shop_id"]))
        row = row | {"number": (last or 0) + 1}
    return insert_once(session, ReportingAction, row)


def actions(session: Session, shop_id: str, until: datetime | None) -> list[ReportingAction]:
    """The shop's RV-4 warnings and blocks issued up to `until` (None: all of them), oldest first."""
    q = select(ReportingAction).where(ReportingAction.shop_id == shop_id)
    if until is not None:
        q = q.where(ReportingAction.at <= until)
    return list(session.scalars(q.order_by(ReportingAction.at, ReportingAction.action_id)))


def count_pending(session: Session) -> int:
    """How many reports wait for a decision (the console's overview)."""
    return open_items.count(session, "review_report")
