"""A shop's ledger as core events: the one read the fold needs."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued
from shopwarden.store import appeals, violations


def of_shop(session: Session, shop_id: str) -> list[Event]:
    out: list[Event] = [
        ViolationIssued(r.violation_id, r.issued_at, r.type, r.severity, r.points, r.point_class, r.expires_at)
        for r in violations.of_shop(session, shop_id)
    ]
    filed, decided = appeals.of_shop(session, shop_id)
    out.extend(AppealFiled(r.appeal_id, r.violation_id, r.number, r.filed_at) for r in filed)
    out.extend(AppealDecided(r.appeal_id, r.violation_id, r.outcome, r.decided_at, r.reason, r.decided_by) for r in decided)
    return out
