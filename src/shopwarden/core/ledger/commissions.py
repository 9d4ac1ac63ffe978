"""Commissions a creator earned through content, and which are held (CR-10): pure, in Decimal, to the cent.

A commission is *frozen* while a violation found in the content it was earned through is open:
not revoked, and either appealed and undecided or still appealable. It is *released* when that
violation is revoked or its appeal granted, and *forfeited* (deducted) once the appeal window
closed with no appeal or the last appeal was rejected. Decision: a `commission_frozen` measure
(CR-9: a milestone, the repeat rule or a points threshold) holds every commission not forfeited
while it is in force, and lets them go when it ends or is lifted (the engine does not track
payouts, so "not yet paid" is every commission); one held both ways is counted once, as the
violation decides (forfeiture wins over a hold).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Commission:
    order_id: str
    content_id: str | None
    amount: Decimal
    currency: str
    ordered_at: datetime


@dataclass(frozen=True, slots=True)
class ViolationFate:
    """What became of a content violation by `at`: revoked (released), open (frozen) or final (forfeited)."""

    violation_id: str
    content_id: str
    issued_at: datetime
    state: str  # open | revoked | forfeited
    since: datetime  # when it reached that state


@dataclass(frozen=True, slots=True)
class Hold:
    start: datetime
    end: datetime | None  # None: until lifted


@dataclass(frozen=True, slots=True)
class CommissionState:
    order_id: str
    amount: Decimal
    currency: str
    status: str  # payable | frozen | forfeited
    violation_id: str | None


def states(commissions: Iterable[Commission], fates: Iterable[ViolationFate], holds: Iterable[Hold], at: datetime) -> list[CommissionState]:
    """Each commission's status at `at`."""
    by_content: dict[str, list[ViolationFate]] = {}
    for f in fates:
        if f.issued_at <= at:
            by_content.setdefault(f.content_id, []).append(f)
    holds = [h for h in holds if h.start <= at and (h.end is None or at < h.end)]
    out = []
    for c in commissions:
        if c.ordered_at > at:
            continue
        status, vid = "payable", None
        for f in sorted(by_content.get(c.content_id or "", ()), key=lambda f: f.issued_at):
            if f.state == "forfeited":
                status, vid = "forfeited", f.violation_id
                break
            if f.state == "open":
                status, vid = "frozen", f.violation_id
        if status == "payable" and holds:
            status = "frozen"
        out.append(CommissionState(c.order_id, c.amount, c.currency, status, vid))
    return out


def totals(items: Iterable[CommissionState]) -> dict[str, dict[str, Decimal]]:
    """Frozen and forfeited sums per currency, to the cent."""
    out: dict[str, dict[str, Decimal]] = {}
    for s in items:
        if s.status == "payable":
            continue
        sums = out.setdefault(s.currency, {"frozen": Decimal(0), "forfeited": Decimal(0)})
        sums[s.status] += s.amount
    return {cur: {k: v.quantize(CENT, rounding=ROUND_HALF_UP) for k, v in sums.items()} for cur, sums in out.items()}
