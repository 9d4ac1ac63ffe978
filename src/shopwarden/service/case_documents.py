"""A review case (and its decision, if any) as the API and the pages show it; apart from
`service/cases`, so that the use cases that open cases (`service/bans`) and the one that decides
them both use it without importing each other."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shopwarden.service.results import Result
from shopwarden.store.cases import CaseDecision, CaseRow


@dataclass(frozen=True, slots=True)
class CaseSubject(Result):
    """What the case is about: a listing (with its version), a message, a shop, or a match dispute."""

    kind: str
    id: str
    version: int | None


@dataclass(frozen=True, slots=True)
class CaseView(Result):
    """A review case: the finding that opened it (open data: the detector's evidence) and its decision."""

    id: str
    shop_id: str
    subject: CaseSubject
    rule: str
    detector: str
    severity: str
    score: float
    decision: str
    finding: Mapping[str, Any]
    opened_at: datetime
    status: str
    outcome: str | None
    reason: str | None
    violation_id: str | None
    decided_at: datetime | None


def case_view(c: CaseRow, d: CaseDecision | None) -> CaseView:
    return CaseView(
        id=c.case_id, shop_id=c.shop_id, subject=CaseSubject(c.subject_kind, c.subject_id, c.subject_version),
        rule=c.rule, detector=c.detector, severity=c.severity, score=c.score, decision=c.decision,
        finding=c.finding, opened_at=c.opened_at, status="decided" if d else "open",
        outcome=d.outcome if d else None, reason=d.reason if d else None,
        violation_id=d.violation_id if d else None, decided_at=d.decided_at if d else None,
    )


def case_json(c: CaseRow, d: CaseDecision | None) -> dict[str, Any]:
    """The case's JSON (the pages read it as a mapping)."""
    return case_view(c, d).as_json()
