"""Joint responsibility (CR-12): a creator's violation that also counts on a shop's ledger.

Decision: the shop's share is a violation row of its own on the shop's ledger (`joint_of` names
the creator's), typed and priced by the shop's pack, so the shop fold needs nothing new. It is
written in the same transaction as its cause, and revoked at the same instant as the creator's
violation (a granted appeal or an outright revocation), so one appeal settles both.

- Own account (the creator is bound to a shop): every violation of a type the creators section
  maps to a shop type (`shop_type`) also counts on that shop, at once.
- Affiliate: an operator may extend the violation to the shop whose product was promoted, with a
  reason (`extend`); that is a recorded decision, never automatic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.policy.creators import CreatorViolationType
from shopwarden.core.policy.schema import PolicyPack, ViolationType
from shopwarden.errors import Conflict, InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.violation_rows import revoked_at_of, violation_row
from shopwarden.store import appeals, creators, revocations, shops, subject_locks, violations
from shopwarden.store.violations import Violation


def shop_severity(creator_type: CreatorViolationType, shop_type: ViolationType, severity: str) -> str:
    """The shop severity for a creator severity: the same name, else the one at the same rank
    (by points, lightest first) — 'severe' on a creator is 'critical' on a TikTok shop."""
    if severity in shop_type.severities:
        return severity
    mine = list(creator_type.severities)
    theirs = sorted(shop_type.severities, key=lambda s: shop_type.severities[s].points)
    rank = mine.index(severity) / max(len(mine) - 1, 1) if severity in mine else 1.0
    return theirs[round(rank * (len(theirs) - 1))]


def shop_row(ctx: Context, s: Session, creator_violation: dict[str, Any], shop_id: str, reason: str, at: datetime, key_id: str) -> dict[str, Any] | None:
    """The shop's share of a creator's violation (None when the creator pack maps its type to no shop type)."""
    creator = creators.get(s, creator_violation["creator_id"])
    assert creator is not None  # a creator's violation names a creator that exists
    cpack = ctx.pack(creator.policy_id)
    ctype = cpack.creators.types.get(creator_violation["type"]) if cpack.creators else None
    spack: PolicyPack = pack_of(ctx, s, shop_id)
    if ctype is None or ctype.shop_type is None or ctype.shop_type not in spack.types:
        return None
    stype = spack.types[ctype.shop_type]
    body = {"type": stype.type, "severity": shop_severity(ctype, stype, creator_violation["severity"]),
            "evidence": creator_violation["evidence"], "note": f"CR-12: {reason} (creator violation {creator_violation['violation_id']})"}
    row = violation_row(spack, shop_id, body, creator_violation["issued_at"], at, key_id)
    return row | {"joint_of": creator_violation["violation_id"], "content_id": creator_violation.get("content_id")}


def own_account_share(ctx: Context, s: Session, creator_violation: dict[str, Any], at: datetime, key_id: str) -> str | None:
    """CR-12: an own account's violation also counts on its shop; the shop row's id, or None."""
    creator = creators.get(s, creator_violation["creator_id"])
    if creator is None or creator.shop_id is None:
        return None
    row = shop_row(ctx, s, creator_violation, creator.shop_id, "the shop's own account", at, key_id)
    if row is None:
        return None
    violations.add(s, row)
    shared: str = row["violation_id"]
    return shared


@dataclass(frozen=True, slots=True)
class JointShare(Result):
    """The shop's share of a creator's violation (CR-12): a shop violation that counts with it."""

    id: str
    shop_id: str
    joint_of: str
    type: str
    severity: str
    points: int
    issued_at: datetime
    reason: str
    rule: str


def extend(ctx: Context, principal: Principal, violation_id: str, shop_id: str, reason: str) -> JointShare:
    """CR-12: an operator extends an affiliate's violation to the shop whose product was promoted."""
    require(principal, "violation.issue", shop_id)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        _hold_shares(s, violation_id)
        v = violations.get(s, violation_id)
        if v is None:
            raise NotFound.no("violation", violation_id)
        if v.creator_id is None:
            raise InvalidInput.one("violation_id", "only a creator's violation can be extended to a shop (CR-12)")
        if shops.get(s, shop_id) is None:
            raise InvalidInput.one("shop_id", f"unknown shop {shop_id!r}")
        if any(j.shop_id == shop_id for j in violations.joint_rows(s, violation_id)):
            raise Conflict(f"violation {violation_id} already counts on shop {shop_id}", rule="CR-12")
        if revoked_at_of(appeals.of_violation(s, violation_id), revocations.get(s, violation_id)) is not None:
            raise Conflict(f"violation {violation_id} is revoked (an outright revocation or a granted appeal)", rule="CR-12")
        cv = {c.name: getattr(v, c.name) for c in Violation.__table__.columns}
        row = shop_row(ctx, s, cv, shop_id, reason, now, principal.key_id)
        if row is None:
            raise InvalidInput.one("violation_id", f"creator violation type {v.type!r} maps to no violation type of shop {shop_id}'s pack")
        violations.add(s, row)
    return JointShare(row["violation_id"], shop_id, violation_id, row["type"], row["severity"], row["points"], row["issued_at"], reason, "CR-12")


def revoke_shares(s: Session, violation_id: str, at: datetime, reason: str, by: str, key_id: str) -> None:
    """The shop rows of a creator violation stop counting when it does (a granted appeal or revocation);
    a share extended after that instant stops counting when it was issued."""
    _hold_shares(s, violation_id)
    for j in violations.joint_rows(s, violation_id):
        if revocations.get(s, j.violation_id) is None:
            revocations.add(s, {"violation_id": j.violation_id, "shop_id": j.shop_id, "creator_id": None, "revoked_at": max(at, j.issued_at),
                                "reason": f"CR-12: {reason}", "revoked_by": by, "key_id": key_id})


def _hold_shares(s: Session, violation_id: str) -> None:
    """One writer at a time of a creator violation's shares: an extension and a revocation (or a granted appeal), or
    two extensions, at the same moment take turns, so the later one reads what the earlier one wrote (CR-12)."""
    subject_locks.hold(s, f"shares:{violation_id}")
