"""Use cases for violations: issue one (one transaction) and read one as of `at`."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from typing import Any

from shopwarden.core.appeals import AppealRecord, appeal_window
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import Conflict, InvalidInput, NotFound, ShopwardenError
from shopwarden.service import joint
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.times import event_time
from shopwarden.service.violation_rows import (
    new_id as new_id,  # re-exported: the use cases that name ids import it from here
)
from shopwarden.service.violation_rows import points_for as points_for
from shopwarden.service.violation_rows import revoked_at_of as revoked_at_of  # re-exported: appeals reads it from here
from shopwarden.service.violation_rows import violation_row
from shopwarden.store import appeals, creators, revocations, shops, violations


def status_at(row, revoked_at: datetime | None, at: datetime) -> str:
    if revoked_at is not None and revoked_at <= at:
        return "revoked"
    return "expired" if at >= row.expires_at else "active"


def violation_json(row, status: str) -> dict:
    return {
        "id": row.violation_id,
        "shop_id": row.shop_id,
        "type": row.type,
        "severity": row.severity,
        "points": row.points,
        "point_class": row.point_class,
        "issued_at": row.issued_at,
        "expires_at": row.expires_at,
        "status": status,
        "policy": row.policy_id,
        "policy_version": row.policy_version,
        "evidence": row.evidence,
        "note": row.note,
    }


def issue(ctx: Context, principal: Principal, body: dict) -> dict:
    """Issue a violation to a shop, or to a creator (`creator_id` instead of `shop_id`, CR-7)."""
    result = issue_many(ctx, principal, [body])[0]
    if isinstance(result, ShopwardenError):
        raise result
    return result


def issue_many(ctx: Context, principal: Principal, bodies: list[dict[str, Any]]) -> list[dict[str, Any] | ShopwardenError]:
    """`issue` for many bodies in order, in one transaction: each body's violation, or the error that
    refuses that body alone (nothing of it written). Shops' violations go in set-wise (one read of
    the shops, one insert); a creator's (CR-7) runs alone in its own savepoint, at its place in the
    order. The HTTP route is this with one body; the event consumer's micro-batch, many."""
    out: list[dict[str, Any] | ShopwardenError] = []
    run: list[dict[str, Any]] = []
    for body in bodies:
        if body.get("creator_id") is not None and body.get("shop_id") is None:
            out += _shop_violations(ctx, principal, run)
            run = []
            out.append(_creator_violation(ctx, principal, body))
        else:
            run.append(body)
    return out + _shop_violations(ctx, principal, run)


def _creator_violation(ctx: Context, principal: Principal, body: dict[str, Any]) -> dict[str, Any] | ShopwardenError:
    from shopwarden.service import creators  # creators build on this module's appeal views

    try:
        return creators.issue_violation(ctx, principal, body)
    except ShopwardenError as exc:
        return exc


def _shop_violations(ctx: Context, principal: Principal, bodies: list[dict[str, Any]]) -> list[dict[str, Any] | ShopwardenError]:
    """Shop violations (or the error of each refused one): their rows checked first, then inserted together."""
    if not bodies:
        return []
    out: list[dict[str, Any] | ShopwardenError] = []
    rows: list[dict[str, Any]] = []
    now = ctx.clock()
    with ctx.db.transaction() as s:
        known = shops.get_many(s, [b["shop_id"] for b in bodies if isinstance(b.get("shop_id"), str)])
        for body in bodies:
            try:
                row = _shop_row(ctx, principal, body, known.get(body.get("shop_id") or ""), now)
            except ShopwardenError as exc:
                out.append(exc)
                continue
            rows.append(row)
            out.append(violation_json(SimpleNamespace(**row), status_at(SimpleNamespace(**row), None, now)))
        violations.add_noted(s, rows)
    return out


def _shop_row(ctx: Context, principal: Principal, body: dict[str, Any], shop: Any, now: datetime) -> dict[str, Any]:
    """The row of one shop violation, or the error that refuses it (before anything is written)."""
    if (body.get("shop_id") is None) == (body.get("creator_id") is None):
        raise InvalidInput.one("shop_id", "give exactly one of shop_id (a shop's violation) and creator_id (a creator's, CR-7)")
    if body.get("content_id") is not None:
        raise InvalidInput.one("content_id", "only a creator's violation names content; give creator_id")
    require(principal, "violation.issue", body["shop_id"])
    issued_at = event_time(ctx, principal, body.get("issued_at"), "issued_at")
    if shop is None:
        raise InvalidInput.one("shop_id", f"unknown shop {body['shop_id']!r}; create it first with PUT /v1/shops/{{shop_id}}")
    return violation_row(ctx.pack(shop.policy_id), shop.shop_id, body, issued_at, now, principal.key_id)


def get(ctx: Context, principal: Principal, violation_id: str, at: datetime | None) -> dict:
    at = at or ctx.clock()
    with ctx.db.read() as s:
        row = violations.get(s, violation_id)
        if row is None:
            raise NotFound.no("violation", violation_id)
        require(principal, "violation.read", row.shop_id, row.creator_id)
        if row.issued_at > at:
            raise NotFound(f"violation {violation_id!r} was not yet issued at {at.isoformat()}")
        history = appeals.of_violation(s, violation_id)
        pack = subject_pack(ctx, s, row)
        outright = revocations.get(s, violation_id)
    return with_appeals(pack, row, history, at, outright)


def subject_pack(ctx: Context, s, row) -> PolicyPack:
    """The pack a violation is judged by: its shop's, or for a creator's its creator's, as the
    appeal checks read it (the creators' window and number of appeals, CR-11)."""
    if row.creator_id is not None:
        return ctx.pack(creators.get(s, row.creator_id).policy_id).for_creators
    return ctx.pack(shops.get(s, row.shop_id).policy_id)


def with_appeals(pack: PolicyPack, row, history, at: datetime, outright=None) -> dict:
    """The violation as of `at` with its appeals and its statement of reasons: which rule, what
    evidence, which policy version, and whether and until when it can be appealed. A decision
    after `at` is not yet known then."""
    revoked_at = revoked_at_of(history, outright, at)
    if getattr(row, "creator_id", None) is not None:
        from shopwarden.service.creators import creator_violation_json

        out = creator_violation_json(row, status_at(row, revoked_at, at), pack)
    else:
        out = violation_json(row, status_at(row, revoked_at, at))
    if outright is not None and outright.revoked_at <= at:
        out["revocation"] = {"revoked_at": outright.revoked_at, "reason": outright.reason, "revoked_by": outright.revoked_by}
    out["appeals"] = [appeal_json(a, d, at) for a, d in history if a.filed_at <= at]
    vt = pack.types.get(row.type) if getattr(row, "creator_id", None) is None else None
    if vt is not None or "rules" not in out:
        out["rules"] = list(vt.rules) if vt else []
        out["type_name"] = {"en": vt.name.en, "zh": vt.name.zh} if vt else None
    records = [AppealRecord(a.appeal_id, a.number, a.filed_at, d.outcome if d and d.decided_at <= at else "pending", d.decided_at if d and d.decided_at <= at else None) for a, d in history]
    w = appeal_window(pack, row.issued_at, revoked_at, records, at)
    out["appeal"] = {"open": w.open, "next_number": w.number, "closes_at": w.closes_at, "remaining": w.remaining, "rule": w.rule, "why_closed": w.reason}
    return out


def appeal_json(a, d, at: datetime) -> dict:
    decided = d is not None and d.decided_at <= at
    return {
        "id": a.appeal_id,
        "violation_id": a.violation_id,
        "number": a.number,
        "status": d.outcome if decided else "pending",
        "filed_at": a.filed_at,
        "deadline": a.deadline,
        "reason": a.reason,
        "evidence": a.evidence,
        "decided_at": d.decided_at if decided else None,
        "outcome": d.outcome if decided else None,
        "decision_reason": d.reason if decided else None,
    }


def revoke(ctx: Context, principal: Principal, violation_id: str, body: dict) -> dict:
    """Revoke a violation outright (a platform's reversal, an operator undoing an automatic ticket):
    its points stop counting from `revoked_at`, and sanctions it caused are lifted as for a granted
    appeal (TT-APL-5). Final, like a decision; the seller is told why."""
    require(principal, "violation.revoke")
    revoked_at = event_time(ctx, principal, body.get("revoked_at"), "revoked_at")
    with ctx.db.transaction() as s:
        row = violations.get(s, violation_id)
        if row is None:
            raise NotFound.no("violation", violation_id)
        if revoked_at < row.issued_at:
            raise InvalidInput.one("revoked_at", f"before the violation was issued ({row.issued_at.isoformat()})")
        earlier = revoked_at_of(appeals.of_violation(s, violation_id), revocations.get(s, violation_id))
        if earlier is not None:
            raise Conflict(f"violation {violation_id} is already revoked (since {earlier.isoformat()})", rule="TT-APL-5")
        if not revocations.add(s, {"violation_id": violation_id, "shop_id": row.shop_id, "creator_id": row.creator_id, "revoked_at": revoked_at,
                                   "reason": body["reason"], "revoked_by": body.get("revoked_by") or principal.key_id, "key_id": principal.key_id}):
            raise Conflict(f"violation {violation_id} was revoked by a concurrent request", rule="TT-APL-5")
        joint.revoke_shares(s, violation_id, revoked_at, body["reason"], body.get("revoked_by") or principal.key_id, principal.key_id)
        s.flush()
        history = appeals.of_violation(s, violation_id)
        pack = subject_pack(ctx, s, row)
        return with_appeals(pack, row, history, revoked_at, revocations.get(s, violation_id))
