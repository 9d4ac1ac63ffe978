"""Shadow detectors' findings: one row per stored scan and shadowed detector, the live and
the shadow findings side by side, and an operator's label of which was right. Never read by anything
that acts (cases, violations, the ledger)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from shopwarden.store.base import Base


class ShadowFinding(Base):
    __tablename__ = "shadow_findings"

    shadow_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # listing | message
    subject_id: Mapped[str] = mapped_column(String(200))
    subject_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    shop_id: Mapped[str] = mapped_column(String(64), index=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(32))
    detector: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(64))  # the shadow's version
    verdict: Mapped[str] = mapped_column(String(16), index=True)  # agree | live_only | shadow_only | differ
    rules: Mapped[list] = mapped_column(JSON)  # every rule either side raised
    live: Mapped[list] = mapped_column(JSON)  # the live version's findings of this detector
    shadow: Mapped[list] = mapped_column(JSON)  # the shadow's findings
    at: Mapped[datetime] = mapped_column(index=True)
    label: Mapped[str | None] = mapped_column(String(16), nullable=True)  # live | shadow | neither
    label_note: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    labelled_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    labelled_at: Mapped[datetime | None] = mapped_column(nullable=True)


def add(session: Session, rows: list[dict]) -> None:
    session.add_all(ShadowFinding(**r) for r in rows)


def get(session: Session, shadow_id: str) -> ShadowFinding | None:
    return session.get(ShadowFinding, shadow_id)


def in_period(session: Session, lo: datetime, hi: datetime, disagreeing: bool = True, detector: str | None = None,
              unlabelled: bool = False, limit: int | None = None) -> list[ShadowFinding]:
    """Rows in [lo, hi], newest first; `disagreeing`: only where the two versions disagree."""
    q = select(ShadowFinding).where(ShadowFinding.at >= lo, ShadowFinding.at <= hi)
    if disagreeing:
        q = q.where(ShadowFinding.verdict != "agree")
    if detector:
        q = q.where(ShadowFinding.detector == detector)
    if unlabelled:
        q = q.where(ShadowFinding.label.is_(None))
    q = q.order_by(ShadowFinding.at.desc(), ShadowFinding.shadow_id)
    if limit is not None:
        q = q.limit(limit)
    return list(session.scalars(q))


def counts(session: Session, lo: datetime, hi: datetime) -> list[tuple[str, str, str, str | None, int]]:
    """(detector, version, verdict, label, rows) in [lo, hi]."""
    c = ShadowFinding
    q = (select(c.detector, c.version, c.verdict, c.label, func.count()).where(c.at >= lo, c.at <= hi)
         .group_by(c.detector, c.version, c.verdict, c.label))
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(q)]


def set_label(session: Session, shadow_id: str, label: str, note: str | None, by: str, at: datetime) -> None:
    session.execute(update(ShadowFinding).where(ShadowFinding.shadow_id == shadow_id)
                    .values(label=label, label_note=note, labelled_by=by, labelled_at=at))
