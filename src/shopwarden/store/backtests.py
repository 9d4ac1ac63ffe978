"""The reads a backtest needs: findings and how they ended, and violations operators issued by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from shopwarden.store.appeals import AppealDecision
from shopwarden.store.cases import DISPUTE, CaseDecision, CaseRow
from shopwarden.store.revocations import Revocation
from shopwarden.store.shops import Shop
from shopwarden.store.violations import Violation


@dataclass(frozen=True, slots=True)
class CaseEnd:
    shop_id: str
    rule: str
    detector: str
    opened_at: datetime
    outcome: str | None  # None: not decided yet


@dataclass(frozen=True, slots=True)
class IssuedViolation:
    violation_id: str
    shop_id: str
    issued_at: datetime
    policy_id: str
    type: str
    note: str | None
    overturned: bool  # revoked, or an appeal granted
    from_case: bool  # an operator's decision on a finding's case


def _utc(t: datetime) -> datetime:
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def case_ends(session: Session, lo: datetime, hi: datetime) -> list[CaseEnd]:
    """Every finding's case opened in [lo, hi] (not merchants' match disputes) and its outcome."""
    rows = session.execute(
        select(CaseRow.shop_id, CaseRow.rule, CaseRow.detector, CaseRow.opened_at, CaseDecision.outcome)
        .outerjoin(CaseDecision, CaseDecision.case_id == CaseRow.case_id)
        .where(CaseRow.opened_at >= lo, CaseRow.opened_at <= hi, CaseRow.subject_kind != DISPUTE))
    return [CaseEnd(r.shop_id, r.rule, r.detector, _utc(r.opened_at), r.outcome) for r in rows]


def shop_violations(session: Session, lo: datetime, hi: datetime) -> list[IssuedViolation]:
    """Every shop violation issued in [lo, hi] (not a creator's own, not a joint copy), with whether it
    was taken back and whether it came from a case's decision."""
    v = Violation
    revoked = exists().where(Revocation.violation_id == v.violation_id)
    granted = exists().where(and_(AppealDecision.violation_id == v.violation_id, AppealDecision.outcome == "granted"))
    from_case = exists().where(CaseDecision.violation_id == v.violation_id)
    rows = session.execute(
        select(v.violation_id, v.shop_id, v.issued_at, Shop.policy_id, v.type, v.note, (revoked | granted).label("overturned"), from_case.label("from_case"))
        .join(Shop, Shop.shop_id == v.shop_id)
        .where(v.issued_at >= lo, v.issued_at <= hi, v.joint_of.is_(None)))
    return [IssuedViolation(r.violation_id, r.shop_id, _utc(r.issued_at), r.policy_id, r.type, r.note, bool(r.overturned), bool(r.from_case)) for r in rows]
