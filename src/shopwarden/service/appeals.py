"""Use cases for appeals: file one (TT-APL-1..4, DY-APL-1) and decide one (TT-APL-5, TT-APL-6)."""

from __future__ import annotations

from datetime import datetime

from shopwarden.core.appeals import AppealRecord, check_appeal, check_decision, decision_deadline
from shopwarden.errors import AlreadyDecided, AppealPending, Conflict, InvalidInput, NotFound
from shopwarden.service import joint, misuse
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.times import event_time
from shopwarden.service.violations import appeal_json, new_id, revoked_at_of, subject_pack
from shopwarden.store import appeals, notices, revocations, violations


def _records(history) -> list[AppealRecord]:
    return [
        AppealRecord(a.appeal_id, a.number, a.filed_at, d.outcome if d else "pending", d.decided_at if d else None)
        for a, d in history
    ]


def file(ctx: Context, principal: Principal, violation_id: str, body: dict) -> dict:
    with ctx.db.transaction() as s:
        v = violations.get(s, violation_id)
        if v is None:
            raise NotFound.no("violation", violation_id)
        require(principal, "appeal.file", v.shop_id, v.creator_id)
        filed_at = event_time(ctx, principal, body.get("filed_at"), "filed_at")
        pack = subject_pack(ctx, s, v)
        history = appeals.of_violation(s, violation_id)
        revoked_at = revoked_at_of(history, revocations.get(s, violation_id))
        number = check_appeal(pack, v.issued_at, revoked_at, _records(history), filed_at, bool(body.get("evidence")))
        until = misuse.suspended_until(s, "complainant", misuse.complainant_of(v.shop_id, v.creator_id), filed_at)
        if until is not None:
            raise Conflict(f"complaints from this account are not processed until {until.isoformat()} (DSA Art. 23(2))", rule="DSA Art. 23", until=until)
        row = {
            "appeal_id": new_id("a"),
            "violation_id": violation_id,
            "shop_id": v.shop_id,
            "creator_id": v.creator_id,
            "number": number,
            "filed_at": filed_at,
            "reason": body["reason"],
            "evidence": body.get("evidence") or [],
            "deadline": decision_deadline(pack, filed_at),
            "created_at": ctx.clock(),
            "filed_by": principal.key_id,
        }
        if not appeals.add(s, row):
            _lost_race(pack, v, s, filed_at, bool(body.get("evidence")))
        # Checked again now that this transaction holds the write: a revocation another request wrote
        # between the first check and this insert refuses the appeal (rolled back), as if it came first.
        outright = revocations.get(s, violation_id)
        if outright is not None and outright.revoked_at <= filed_at:
            check_appeal(pack, v.issued_at, outright.revoked_at, _records(history), filed_at, bool(body.get("evidence")))
    return {k: row[k] for k in ("violation_id", "number", "filed_at", "deadline", "reason", "evidence")} | {"id": row["appeal_id"], "status": "pending"}


def _lost_race(pack, v, session, filed_at: datetime, has_evidence: bool) -> None:
    """A concurrent appeal took this number first (it is committed now): the same checks over the
    history as it stands say which rule refuses this one (TT-APL-1's limit, or one pending at a time)."""
    history = appeals.of_violation(session, v.violation_id)
    check_appeal(pack, v.issued_at, revoked_at_of(history, revocations.get(session, v.violation_id)), _records(history), filed_at, has_evidence)
    raise AppealPending(f"a concurrent appeal against violation {v.violation_id} was filed first; a new one can follow only its rejection", rule="TT-APL-3")


def decide(ctx: Context, principal: Principal, appeal_id: str, body: dict) -> dict:
    require(principal, "appeal.decide")
    with ctx.db.transaction() as s:
        a = appeals.get(s, appeal_id)
        if a is None:
            raise NotFound.no("appeal", appeal_id)
        d = appeals.decision(s, appeal_id)
        decided_at = event_time(ctx, principal, body.get("decided_at"), "decided_at")
        check_decision("pending" if d is None else d.outcome, a.filed_at, decided_at, body.get("reason") or "")
        _a_person_decides(ctx, s, principal, a, body)
        row = {
            "appeal_id": appeal_id,
            "violation_id": a.violation_id,
            "shop_id": a.shop_id,
            "creator_id": a.creator_id,
            "outcome": body["outcome"],
            "reason": body["reason"],
            "decided_at": decided_at,
            "decided_by": body.get("decided_by") or principal.key_id,
            "created_at": ctx.clock(),
            "key_id": principal.key_id,
        }
        if not appeals.add_decision(s, row):
            raise AlreadyDecided(f"appeal {appeal_id} was decided by a concurrent request; a decision is final", rule="TT-APL-6")
        if body.get("manifestly_unfounded"):
            _unfounded(ctx, s, a, row)
        if row["outcome"] == "granted":
            joint.revoke_shares(s, a.violation_id, decided_at, f"appeal {appeal_id} granted: {row['reason']}", row["decided_by"], principal.key_id)
        d = appeals.decision(s, appeal_id)
        out = appeal_json(a, d, decided_at)
    return out | {"decided_by": row["decided_by"]}


def _unfounded(ctx: Context, session, a, row: dict) -> None:
    """DSA Art. 23: a rejected complaint a person marks manifestly unfounded counts toward a warning, then a suspension."""
    if row["outcome"] != "rejected":
        raise InvalidInput.one("manifestly_unfounded", "only a rejected complaint can be manifestly unfounded")
    who = misuse.complainant_of(a.shop_id, a.creator_id)
    notices.mark_unfounded(session, {"appeal_id": a.appeal_id, "complainant": who, "marked_at": row["decided_at"], "by": row["decided_by"]})
    misuse.judge(session, ctx, subject_pack(ctx, session, violations.get(session, a.violation_id)), "complainant", who, row["decided_at"])


def _a_person_decides(ctx: Context, session, principal: Principal, a, body: dict) -> None:
    """DSA Art. 20(6): under a pack with a `dsa` section no complaint is rejected by automated means alone.
    Appeals are decided only here, on an operator's request (role `operator`: a person at the console) or
    on the platform's relaying a person's decision, which must then name that person (`decided_by`)."""
    if body.get("outcome") != "rejected" or principal.role == "operator" or body.get("decided_by"):
        return
    v = violations.get(session, a.violation_id)
    if subject_pack(ctx, session, v).dsa is not None:
        raise InvalidInput.one("decided_by", "DSA Art. 20(6): a complaint is not rejected by automated means alone; name the person "
                                             "(qualified staff) who decided, or decide it at the console as an operator")


def get(ctx: Context, principal: Principal, appeal_id: str) -> dict:
    with ctx.db.read() as s:
        a = appeals.get(s, appeal_id)
        if a is None:
            raise NotFound.no("appeal", appeal_id)
        require(principal, "violation.read", a.shop_id, a.creator_id)
        return appeal_json(a, appeals.decision(s, appeal_id), datetime.max.replace(tzinfo=a.filed_at.tzinfo))


def queue(ctx: Context, principal: Principal, shop_id: str | None, limit: int) -> list[dict]:
    """Pending appeals, oldest first, with their SLA deadlines (operators' queue)."""
    require(principal, "appeal.queue")
    with ctx.db.read() as s:
        return [appeal_json(a, None, ctx.clock()) for a in appeals.pending(s, shop_id, limit)]
