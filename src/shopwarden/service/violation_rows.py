"""A shop violation's row as it is stored: its points and point class by the pack (TT-PTS-1), its
expiry, and a new id. Apart from `service/violations` (whose use cases also serve creators), so that
what issues shop violations (joint shares, consequences, cases, bans, imports) needs only this, and
creators' views read when a violation stopped counting without depending on the violations' use cases."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from shopwarden.core.ledger.expiry import expires_at
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import in_force
from shopwarden.errors import InvalidInput
from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.revocations import Revocation


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def points_for(pack: PolicyPack, vtype: str, severity: str, points: int | None) -> tuple[int, str]:
    """TT-PTS-1: points by type and severity, or a reviewer's explicit choice inside the type's range."""
    t = pack.types.get(vtype)
    if t is None:
        raise InvalidInput.one("type", f"unknown violation type {vtype!r} in policy {pack.id}; allowed: {', '.join(pack.types)}")
    sev = t.severities.get(severity)
    if sev is None:
        raise InvalidInput.one("severity", f"unknown severity {severity!r} for {vtype}; allowed: {', '.join(t.severities)}")
    if points is None:
        return sev.points, pack.class_of(vtype, severity)
    if not t.min_points <= points <= t.max_points:
        raise InvalidInput.one("points", f"{points} is outside {vtype}'s range {t.min_points}..{t.max_points}")
    return points, pack.class_of(vtype, severity)


def violation_row(pack: PolicyPack, shop_id: str, body: Mapping[str, Any], issued_at: datetime, now: datetime, key_id: str) -> dict[str, Any]:
    pack = in_force(pack, issued_at)  # TT-PTS-1/2: points, class and expiry of the version in force at the issue
    points, point_class = points_for(pack, body["type"], body["severity"], body.get("points"))
    return {
        "violation_id": body.get("id") or new_id("v"),
        "shop_id": shop_id,
        "type": body["type"],
        "severity": body["severity"],
        "points": points,
        "point_class": point_class,
        "issued_at": issued_at,
        "expires_at": expires_at(pack, point_class, issued_at),
        "policy_id": pack.id,
        "policy_version": pack.version,
        "evidence": body.get("evidence") or [],
        "note": body.get("note"),
        "created_at": now,
        "created_by": key_id,
    }


__all__ = ["new_id", "points_for", "violation_row"]


def revoked_at_of(history: Iterable[tuple[Appeal, AppealDecision | None]], outright: Revocation | None, at: datetime | None = None) -> datetime | None:
    """When the violation stopped counting: a granted appeal or an outright revocation, the earlier."""
    times = [d.decided_at for _, d in history if d is not None and d.outcome == "granted"]
    times += [outright.revoked_at] if outright is not None else []
    times = [t for t in times if at is None or t <= at]
    return min(times) if times else None
