"""The ledger's append-only events. A shop's standing is a fold over these; nothing else is state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal


@dataclass(frozen=True, slots=True)
class ViolationIssued:
    """TT-PTS-1: a violation carries points set by type and severity; its expiry is fixed when issued."""

    violation_id: str
    at: datetime
    type: str
    severity: str
    points: int
    point_class: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ViolationRevoked:
    """The violation's points stop counting from `at` on (a granted appeal, or a platform's own reversal)."""

    violation_id: str
    at: datetime
    reason: str
    appeal_id: str | None = None


@dataclass(frozen=True, slots=True)
class AppealFiled:
    appeal_id: str
    violation_id: str
    number: int
    at: datetime


@dataclass(frozen=True, slots=True)
class AppealDecided:
    appeal_id: str
    violation_id: str
    outcome: Literal["granted", "rejected"]
    at: datetime
    reason: str
    decided_by: str


@dataclass(frozen=True, slots=True)
class CreditEarned:
    """CR-7 (health score): compliant activity earns points back; `amount` is what the pack offers
    for `kind`, before the daily cap, which the fold applies."""

    credit_id: str
    at: datetime
    kind: str
    amount: int


Event = ViolationIssued | ViolationRevoked | AppealFiled | AppealDecided | CreditEarned


def revocations(events: list[Event]) -> dict[str, datetime]:
    """When each violation was revoked: the earliest explicit revocation or granted appeal (TT-APL-5)."""
    out: dict[str, datetime] = {}
    for e in events:
        if isinstance(e, ViolationRevoked) or (isinstance(e, AppealDecided) and e.outcome == "granted"):
            prev = out.get(e.violation_id)
            if prev is None or e.at < prev:
                out[e.violation_id] = e.at
    return out
