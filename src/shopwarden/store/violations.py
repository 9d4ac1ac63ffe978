"""Issued violations: append-only rows; a revocation or an appeal never updates them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import noted, outbox
from shopwarden.store.base import Base, table_of
from shopwarden.store.db import insert_rows


class Violation(Base):
    __tablename__ = "violations"

    violation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    shop_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("shops.shop_id"), nullable=True)  # null: a creator's alone
    creator_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # the creator subject (CR-7), 0016
    content_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the content it was found in (CR-5)
    joint_of: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)  # CR-12: the creator violation this shop row answers for
    type: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(64))
    points: Mapped[int] = mapped_column(Integer)
    point_class: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[list] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))

    # Covering the fold's columns: the health read is one index range scan (migration 0002).
    __table_args__ = (
        Index("ix_violations_shop_ledger", "shop_id", "issued_at", "violation_id", "type", "severity", "point_class", "points", "expires_at"),
    )


def add(session: Session, row: dict) -> None:
    session.execute(insert(Violation), [row])
    outbox.note(session, "violation", row)  # violation.issued and the sanctions it starts (0020)
    noted.subjects(session, [row])  # DSA Art. 17: the sanctions it starts are stated before commit


def add_noted(session: Session, rows: list[dict[str, Any]]) -> None:
    """As `add` for many rows: one executemany, each row noted for the commit hooks as `add` notes it
    (the consumer's set-based path, service/violations.issue_many)."""
    if not rows:
        return
    insert_rows(session, table_of(Violation), rows)
    for row in rows:
        outbox.note(session, "violation", row)
    noted.subjects(session, rows)


def add_many(session: Session, rows: list[dict]) -> None:
    """Bulk path for imports: one Core executemany on the table, skipping the ORM's unit of work."""
    if rows:
        session.connection().execute(table_of(Violation).insert(), rows)  # noted nowhere: `statements backfill` states imports


def joint_rows(session: Session, violation_id: str) -> list[Violation]:
    """The shop rows that answer for a creator's violation (CR-12)."""
    return list(session.scalars(select(Violation).where(Violation.joint_of == violation_id)))


def get(session: Session, violation_id: str) -> Violation | None:
    return session.get(Violation, violation_id)


def of_shop(session: Session, shop_id: str) -> list:
    cols = table_of(Violation).c
    q = select(
        cols.violation_id, cols.type, cols.severity, cols.points, cols.point_class, cols.issued_at, cols.expires_at
    ).where(cols.shop_id == shop_id)
    return list(session.execute(q))


def summaries(session: Session, ids: list[str]) -> dict:
    """Each of `ids` by id with its shop, type and points (not the evidence), in one query."""
    if not ids:
        return {}
    c = table_of(Violation).c
    return {r.violation_id: r for r in session.execute(select(c.violation_id, c.shop_id, c.type, c.points).where(c.violation_id.in_(ids)))}


def contents(session: Session, ids: list[str]) -> dict[str, dict]:
    """What an import compares of those of `ids` already stored, in one query (the importer's duplicate check)."""
    if not ids:
        return {}
    c = table_of(Violation).c
    q = select(c.violation_id, c.shop_id, c.type, c.severity, c.points, c.issued_at, c.evidence, c.note).where(c.violation_id.in_(ids))
    return {r.violation_id: r._asdict() for r in session.execute(q)}
