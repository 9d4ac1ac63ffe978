"""Revocations a platform or operator records outright (no appeal): append-only, one per violation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store import outbox
from shopwarden.store.base import Base
from shopwarden.store.db import insert_once


class Revocation(Base):
    __tablename__ = "revocations"

    violation_id: Mapped[str] = mapped_column(String(64), ForeignKey("violations.violation_id"), primary_key=True)
    shop_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    creator_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    revoked_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[str] = mapped_column(String(128))
    key_id: Mapped[str] = mapped_column(String(64))


def add(session: Session, row: dict) -> bool:
    """False when the violation was already revoked (keyed by violation id: one revocation)."""
    if not insert_once(session, Revocation, row):
        return False
    outbox.note(session, "revocation", row)  # violation.revoked and the sanctions it lifts (0020)
    return True


def get(session: Session, violation_id: str) -> Revocation | None:
    return session.get(Revocation, violation_id)
