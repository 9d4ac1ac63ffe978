"""Review cases: the operators' queue of findings, and their decisions (violation or dismiss)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from shopwarden.errors import InvalidInput, NotFound
from shopwarden.service import bans
from shopwarden.service.auth import Principal, require
from shopwarden.service.case_documents import CaseView, case_view
from shopwarden.service.consequences import Target
from shopwarden.service.context import Context
from shopwarden.service.decisions import Decidable, deciding
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.violation_rows import violation_row
from shopwarden.store import cases, violations
from shopwarden.store.cases import CaseRow

DISPUTE = cases.DISPUTE  # a merchant's dispute of a same-product match: upheld or dismissed, never a violation
CASE = Decidable("case", "case", "TT-APL-6", cases.get)


@dataclass(frozen=True, slots=True)
class CaseDecisionInput:
    """An operator's decision: `violation` (type and severity required), `dismiss`, or for a match
    dispute `upheld`; with the reason the seller reads."""

    outcome: str
    reason: str
    type: str | None = None
    severity: str | None = None
    points: int | None = None
    decided_at: datetime | None = None
    decided_by: str | None = None


def search(ctx: Context, principal: Principal, status: str | None, rule: str | None, shop_id: str | None, limit: int,
           subject_kind: str | None = None, not_subject_kind: str | None = None) -> list[CaseView]:
    require(principal, "case.read")
    with ctx.db.read() as s:
        return [case_view(c, d) for c, d in cases.search(s, status, rule, shop_id, limit, subject_kind, not_subject_kind)]


def get(ctx: Context, principal: Principal, case_id: str) -> CaseView:
    require(principal, "case.read")
    with ctx.db.read() as s:
        found = cases.get(s, case_id)
    if found is None:
        raise NotFound.no("case", case_id)
    return case_view(*found)


def decide(ctx: Context, principal: Principal, case_id: str, body: CaseDecisionInput) -> CaseView:
    """`violation` issues one with the finding's evidence (type and severity required); `dismiss` closes it."""
    with deciding(ctx, principal, "case.decide", CASE, case_id, body.decided_at) as open_:
        s, case, decided_at = open_.session, open_.item, open_.decided_at
        _check_outcome(case, body.outcome)
        violation_id = _violation(ctx, s, case, body, decided_at, principal) if body.outcome == "violation" else None
        if body.outcome == "upheld":
            bans.uphold(s, case, body.reason, decided_at, principal.key_id)
        if not cases.add_decision(s, {"case_id": case_id, "outcome": body.outcome, "reason": body.reason, "violation_id": violation_id,
                                      "decided_at": decided_at, "decided_by": body.decided_by or principal.key_id}):
            raise CASE.lost_race(case_id)  # this one's violation and upheld effects roll back with it
        found = cases.get(s, case_id)
    assert found is not None  # just decided, in this transaction
    return case_view(*found)


def _check_outcome(case: CaseRow, outcome: str) -> None:
    """A finding is decided `violation` or `dismiss`; a merchant's dispute of a same-product match
    is decided `upheld` (not the same product: the listing is cleared) or `dismiss` (the match stands)."""
    dispute = case.subject_kind == cases.DISPUTE
    if dispute and outcome == "violation":
        raise InvalidInput.one("outcome", "a match dispute is decided 'upheld' (not the same product) or 'dismiss' (the match stands)")
    if not dispute and outcome == "upheld":
        raise InvalidInput.one("outcome", "'upheld' decides match disputes only; a finding is decided 'violation' or 'dismiss'")


def _violation(ctx: Context, session: Session, case: CaseRow, body: CaseDecisionInput, at: datetime, principal: Principal) -> str:
    missing = [f for f in ("type", "severity") if not getattr(body, f)]
    if missing:
        raise InvalidInput.one(missing[0], "is required when the outcome is 'violation'")
    pack = pack_of(ctx, session, case.shop_id)
    evidence = [{"kind": "text", "value": e["text"], "note": f"{case.subject_kind} {case.subject_id} {e['field']}[{e['start']}:{e['end']}]"} for e in case.finding.get("evidence", [])]
    target = Target(case.shop_id, case.subject_kind, case.subject_id, case.subject_version, at, principal.key_id)
    row = violation_row(pack, target.shop_id, {"type": body.type, "severity": body.severity, "points": body.points, "evidence": evidence,
                                               "note": f"case {case.case_id} ({case.rule}): {body.reason}"}, at, at, principal.key_id)
    violations.add(session, row)
    violation_id: str = row["violation_id"]
    return violation_id
