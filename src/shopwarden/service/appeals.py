"""Use cases for appeals: file one (TT-APL-1..4, DY-APL-1) and decide one (TT-APL-5, TT-APL-6)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.appeals import check_appeal, check_decision, decision_deadline
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import AlreadyDecided, AppealPending, Conflict, InvalidInput, NotFound
from shopwarden.service import joint, misuse
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.times import event_time
from shopwarden.service.violation_rows import new_id, revoked_at_of
from shopwarden.service.violations import AppealView, appeal_records, appeal_status, appeal_view, subject_pack
from shopwarden.store import appeals, notices, revocations, violations
from shopwarden.store.appeals import Appeal
from shopwarden.store.violations import Violation


@dataclass(frozen=True, slots=True)
class AppealInput:
    """A seller's (or creator's) appeal against a violation (TT-APL-1..4)."""

    reason: str
    evidence: Sequence[Mapping[str, Any]] = ()
    filed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """An operator's decision on an appeal (TT-APL-5); DSA Art. 23's mark only on a rejection."""

    outcome: str
    reason: str
    decided_at: datetime | None = None
    decided_by: str | None = None
    manifestly_unfounded: bool = False


@dataclass(frozen=True, slots=True)
class FiledAppeal(Result):
    """The appeal just filed: pending, with its number and the deadline for its decision (TT-APL-5)."""

    violation_id: str
    number: int
    filed_at: datetime
    deadline: datetime | None
    reason: str
    evidence: Sequence[Mapping[str, Any]]
    id: str
    status: str


def file(ctx: Context, principal: Principal, violation_id: str, body: AppealInput) -> FiledAppeal:
    with ctx.db.transaction() as s:
        v = violations.get(s, violation_id)
        if v is None:
            raise NotFound.no("violation", violation_id)
        require(principal, "appeal.file", v.shop_id, v.creator_id)
        filed_at = event_time(ctx, principal, body.filed_at, "filed_at")
        pack = subject_pack(ctx, s, v)
        history = appeals.of_violation(s, violation_id)
        revoked_at = revoked_at_of(history, revocations.get(s, violation_id))
        number = check_appeal(pack, v.issued_at, revoked_at, appeal_records(history), filed_at, bool(body.evidence))
        until = misuse.suspended_until(s, "complainant", misuse.complainant_of(v.shop_id, v.creator_id), filed_at)
        if until is not None:
            raise Conflict(f"complaints from this account are not processed until {until.isoformat()} (DSA Art. 23(2))", rule="DSA Art. 23", until=until)
        appeal_id, evidence, deadline = new_id("a"), [dict(e) for e in body.evidence], decision_deadline(pack, filed_at)
        row = {
            "appeal_id": appeal_id,
            "violation_id": violation_id,
            "shop_id": v.shop_id,
            "creator_id": v.creator_id,
            "number": number,
            "filed_at": filed_at,
            "reason": body.reason,
            "evidence": evidence,
            "deadline": deadline,
            "created_at": ctx.clock(),
            "filed_by": principal.key_id,
        }
        if not appeals.add(s, row):
            _lost_race(pack, v, s, filed_at, bool(body.evidence))
        # Checked again now that this transaction holds the write: a revocation another request wrote
        # between the first check and this insert refuses the appeal (rolled back), as if it came first.
        outright = revocations.get(s, violation_id)
        if outright is not None and outright.revoked_at <= filed_at:
            check_appeal(pack, v.issued_at, outright.revoked_at, appeal_records(history), filed_at, bool(body.evidence))
    return FiledAppeal(violation_id, number, filed_at, deadline, body.reason, evidence, appeal_id, "pending")


def _lost_race(pack: PolicyPack, v: Violation, session: Session, filed_at: datetime, has_evidence: bool) -> None:
    """A concurrent appeal took this number first (it is committed now): the same checks over the
    history as it stands say which rule refuses this one (TT-APL-1's limit, or one pending at a time)."""
    history = appeals.of_violation(session, v.violation_id)
    check_appeal(pack, v.issued_at, revoked_at_of(history, revocations.get(session, v.violation_id)), appeal_records(history), filed_at, has_evidence)
    raise AppealPending(f"a concurrent appeal against violation {v.violation_id} was filed first; a new one can follow only its rejection", rule="TT-APL-3")


def decide(ctx: Context, principal: Principal, appeal_id: str, body: DecisionInput) -> AppealView:
    require(principal, "appeal.decide")
    with ctx.db.transaction() as s:
        a = appeals.get(s, appeal_id)
        if a is None:
            raise NotFound.no("appeal", appeal_id)
        d = appeals.decision(s, appeal_id)
        decided_at = event_time(ctx, principal, body.decided_at, "decided_at")
        check_decision(appeal_status(None if d is None else d.outcome), a.filed_at, decided_at, body.reason or "")
        _a_person_decides(ctx, s, principal, a, body)
        decided_by = body.decided_by or principal.key_id
        row = {
            "appeal_id": appeal_id,
            "violation_id": a.violation_id,
            "shop_id": a.shop_id,
            "creator_id": a.creator_id,
            "outcome": body.outcome,
            "reason": body.reason,
            "decided_at": decided_at,
            "decided_by": decided_by,
            "created_at": ctx.clock(),
            "key_id": principal.key_id,
        }
        if not appeals.add_decision(s, row):
            raise AlreadyDecided(f"appeal {appeal_id} was decided by a concurrent request; a decision is final", rule="TT-APL-6")
        if body.manifestly_unfounded:
            _unfounded(ctx, s, a, row)
        if row["outcome"] == "granted":
            joint.revoke_shares(s, a.violation_id, decided_at, f"appeal {appeal_id} granted: {body.reason}", decided_by, principal.key_id)
        view = appeal_view(a, appeals.decision(s, appeal_id), decided_at)
    return AppealView(view.id, view.violation_id, view.number, view.status, view.filed_at, view.deadline, view.reason, view.evidence,
                      view.decided_at, view.outcome, view.decision_reason, decided_by=decided_by)


def _unfounded(ctx: Context, session: Session, a: Appeal, row: dict[str, Any]) -> None:
    """DSA Art. 23: a rejected complaint a person marks manifestly unfounded counts toward a warning, then a suspension."""
    if row["outcome"] != "rejected":
        raise InvalidInput.one("manifestly_unfounded", "only a rejected complaint can be manifestly unfounded")
    who = misuse.complainant_of(a.shop_id, a.creator_id)
    notices.mark_unfounded(session, {"appeal_id": a.appeal_id, "complainant": who, "marked_at": row["decided_at"], "by": row["decided_by"]})
    v = violations.get(session, a.violation_id)
    assert v is not None  # an appeal's violation is never deleted
    misuse.judge(session, ctx, subject_pack(ctx, session, v), "complainant", who, row["decided_at"])


def _a_person_decides(ctx: Context, session: Session, principal: Principal, a: Appeal, body: DecisionInput) -> None:
    """DSA Art. 20(6): under a pack with a `dsa` section no complaint is rejected by automated means alone.
    Appeals are decided only here, on an operator's request (role `operator`: a person at the console) or
    on the platform's relaying a person's decision, which must then name that person (`decided_by`)."""
    if body.outcome != "rejected" or principal.role == "operator" or body.decided_by:
        return
    v = violations.get(session, a.violation_id)
    assert v is not None  # an appeal's violation is never deleted
    if subject_pack(ctx, session, v).dsa is not None:
        raise InvalidInput.one("decided_by", "DSA Art. 20(6): a complaint is not rejected by automated means alone; name the person "
                                             "(qualified staff) who decided, or decide it at the console as an operator")


def get(ctx: Context, principal: Principal, appeal_id: str) -> AppealView:
    with ctx.db.read() as s:
        a = appeals.get(s, appeal_id)
        if a is None:
            raise NotFound.no("appeal", appeal_id)
        require(principal, "violation.read", a.shop_id, a.creator_id)
        return appeal_view(a, appeals.decision(s, appeal_id), datetime.max.replace(tzinfo=a.filed_at.tzinfo))


def queue(ctx: Context, principal: Principal, shop_id: str | None, limit: int) -> list[AppealView]:
    """Pending appeals, oldest first, with their SLA deadlines (operators' queue)."""
    require(principal, "appeal.queue")
    with ctx.db.read() as s:
        return [appeal_view(a, None, ctx.clock()) for a in appeals.pending(s, shop_id, limit)]
