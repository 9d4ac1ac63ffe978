"""Use cases for violations: issue one (one transaction) and read one as of `at`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from shopwarden.core.appeals import AppealRecord, AppealStatus, appeal_window
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import Conflict, InvalidInput, NotFound, ShopwardenError
from shopwarden.service import joint
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result, omit_none
from shopwarden.service.times import event_time
from shopwarden.service.violation_rows import (
    new_id as new_id,  # re-exported: the use cases that name ids import it from here
)
from shopwarden.service.violation_rows import points_for as points_for
from shopwarden.service.violation_rows import revoked_at_of as revoked_at_of  # re-exported: appeals reads it from here
from shopwarden.service.violation_rows import violation_row
from shopwarden.store import appeals, creators, revocations, shops, violations
from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.revocations import Revocation
from shopwarden.store.shops import Shop
from shopwarden.store.violations import Violation


class ViolationFields(Protocol):
    """What a shop violation's view reads of its row (the stored row, or the one about to be stored)."""

    @property
    def violation_id(self) -> str: ...
    @property
    def shop_id(self) -> str | None: ...
    @property
    def type(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def points(self) -> int: ...
    @property
    def point_class(self) -> str: ...
    @property
    def issued_at(self) -> datetime: ...
    @property
    def expires_at(self) -> datetime: ...
    @property
    def policy_id(self) -> str: ...
    @property
    def policy_version(self) -> str: ...
    @property
    def evidence(self) -> list[Any]: ...
    @property
    def note(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class ViolationInput:
    """A violation to issue: to a shop (`shop_id`) or to a creator (`creator_id`, CR-7), exactly one."""

    type: str
    severity: str
    shop_id: str | None = None
    creator_id: str | None = None
    content_id: str | None = None
    issued_at: datetime | None = None
    points: int | None = None
    evidence: Sequence[Mapping[str, Any]] = ()
    note: str | None = None

    def as_body(self) -> dict[str, Any]:
        """The fields as the row builders read them (`violation_row`, service/creators)."""
        return {f.name: getattr(self, f.name) for f in fields(self)} | {"evidence": [dict(e) for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class RevocationInput:
    reason: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None


@dataclass(frozen=True, slots=True)
class ShopViolation(Result):
    """A shop's violation as of some instant (TT-PTS-1): its points, class, expiry and status."""

    id: str
    shop_id: str | None
    type: str
    severity: str
    points: int
    point_class: str
    issued_at: datetime
    expires_at: datetime
    status: str
    policy: str
    policy_version: str
    evidence: Sequence[Mapping[str, Any]]
    note: str | None

    @classmethod
    def of(cls, row: ViolationFields, status: str) -> ShopViolation:
        return cls(row.violation_id, row.shop_id, row.type, row.severity, row.points, row.point_class, row.issued_at, row.expires_at,
                   status, row.policy_id, row.policy_version, row.evidence, row.note)


@dataclass(frozen=True, slots=True)
class CreatorViolation(Result):
    """A creator's violation (CR-7) in the fields service/creators gives it (points or a deduction)."""

    data: Mapping[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    def as_json(self) -> dict[str, Any]:
        return dict(self.data)


@dataclass(frozen=True, slots=True)
class AppealView(Result):
    """An appeal as of some instant: pending, or its decision once it was made (TT-APL-5)."""

    id: str
    violation_id: str
    number: int
    status: str
    filed_at: datetime
    deadline: datetime | None
    reason: str
    evidence: Sequence[Mapping[str, Any]]
    decided_at: datetime | None
    outcome: str | None
    decision_reason: str | None
    decided_by: str | None = omit_none()  # only in the answer to the decision itself


@dataclass(frozen=True, slots=True)
class RevocationView(Result):
    revoked_at: datetime
    reason: str
    revoked_by: str


@dataclass(frozen=True, slots=True)
class AppealWindow(Result):
    """Whether the violation can be appealed at the instant, and until when (TT-APL-1..4)."""

    open: bool
    next_number: int | None
    closes_at: datetime | None
    remaining: int
    rule: str | None
    why_closed: str | None


@dataclass(frozen=True, slots=True)
class TypeName(Result):
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class ViolationDetail(Result):
    """A violation as of `at` with its statement of reasons: its appeals, rules, name and appeal window."""

    violation: ShopViolation | CreatorViolation
    revocation: RevocationView | None
    appeals: Sequence[AppealView]
    rules: Sequence[str] | None  # None: the creator's view names its own rules (CR-7)
    type_name: TypeName | None
    appeal: AppealWindow

    @property
    def id(self) -> str:
        return self.violation.id

    @property
    def status(self) -> str:
        return str(self.violation.as_json()["status"])

    def as_json(self) -> dict[str, Any]:
        out = self.violation.as_json()
        if self.revocation is not None:
            out["revocation"] = self.revocation.as_json()
        out["appeals"] = [a.as_json() for a in self.appeals]
        if self.rules is not None:
            out["rules"] = list(self.rules)
            out["type_name"] = None if self.type_name is None else self.type_name.as_json()
        out["appeal"] = self.appeal.as_json()
        return out


_APPEAL_STATUS: dict[str, AppealStatus] = {"pending": "pending", "granted": "granted", "rejected": "rejected"}


def appeal_status(outcome: str | None) -> AppealStatus:
    """An appeal's status from its stored decision's outcome (None: not decided)."""
    return "pending" if outcome is None else _APPEAL_STATUS[outcome]


def appeal_records(history: Sequence[tuple[Appeal, AppealDecision | None]], at: datetime | None = None) -> list[AppealRecord]:
    """The appeals as the rules read them (TT-APL-1..4); with `at`, a decision after it is not yet made."""
    def known(d: AppealDecision | None) -> AppealDecision | None:
        return d if d is not None and (at is None or d.decided_at <= at) else None

    return [AppealRecord(a.appeal_id, a.number, a.filed_at, appeal_status(k.outcome if (k := known(d)) else None), k.decided_at if k else None)
            for a, d in history]


def status_at(row: ViolationFields, revoked_at: datetime | None, at: datetime) -> str:
    if revoked_at is not None and revoked_at <= at:
        return "revoked"
    return "expired" if at >= row.expires_at else "active"


def violation_json(row: ViolationFields, status: str) -> dict[str, Any]:
    """A shop violation's JSON (the outbox's `violation.issued` payload starts from it)."""
    return ShopViolation.of(row, status).as_json()


def issue(ctx: Context, principal: Principal, body: ViolationInput) -> ShopViolation | CreatorViolation:
    """Issue a violation to a shop, or to a creator (`creator_id` instead of `shop_id`, CR-7)."""
    result = issue_many(ctx, principal, [body])[0]
    if isinstance(result, ShopwardenError):
        raise result
    return result


def issue_many(ctx: Context, principal: Principal, bodies: Sequence[ViolationInput]) -> list[ShopViolation | CreatorViolation | ShopwardenError]:
    """`issue` for many bodies in order, in one transaction: each body's violation, or the error that
    refuses that body alone (nothing of it written). Shops' violations go in set-wise (one read of
    the shops, one insert); a creator's (CR-7) runs alone in its own savepoint, at its place in the
    order. The HTTP route is this with one body; the event consumer's micro-batch, many."""
    out: list[ShopViolation | CreatorViolation | ShopwardenError] = []
    run: list[ViolationInput] = []
    for body in bodies:
        if body.creator_id is not None and body.shop_id is None:
            out += _shop_violations(ctx, principal, run)
            run = []
            out.append(_creator_violation(ctx, principal, body))
        else:
            run.append(body)
    return out + _shop_violations(ctx, principal, run)


def _creator_violation(ctx: Context, principal: Principal, body: ViolationInput) -> CreatorViolation | ShopwardenError:
    from shopwarden.service import creators  # creators build on this module's appeal views

    try:
        return CreatorViolation(creators.issue_violation(ctx, principal, body.as_body()))
    except ShopwardenError as exc:
        return exc


def _shop_violations(ctx: Context, principal: Principal, bodies: list[ViolationInput]) -> list[ShopViolation | CreatorViolation | ShopwardenError]:
    """Shop violations (or the error of each refused one): their rows checked first, then inserted together."""
    if not bodies:
        return []
    out: list[ShopViolation | CreatorViolation | ShopwardenError] = []
    rows: list[dict[str, Any]] = []
    now = ctx.clock()
    with ctx.db.transaction() as s:
        known = shops.get_many(s, [b.shop_id for b in bodies if isinstance(b.shop_id, str)])
        for body in bodies:
            try:
                row = _shop_row(ctx, principal, body, known.get(body.shop_id or ""), now)
            except ShopwardenError as exc:
                out.append(exc)
                continue
            rows.append(row)
            out.append(ShopViolation(row["violation_id"], row["shop_id"], row["type"], row["severity"], row["points"], row["point_class"],
                                     row["issued_at"], row["expires_at"], "expired" if now >= row["expires_at"] else "active",
                                     row["policy_id"], row["policy_version"], row["evidence"], row["note"]))
        violations.add_noted(s, rows)
    return out


def _shop_row(ctx: Context, principal: Principal, body: ViolationInput, shop: Shop | None, now: datetime) -> dict[str, Any]:
    """The row of one shop violation, or the error that refuses it (before anything is written)."""
    if (body.shop_id is None) == (body.creator_id is None):
        raise InvalidInput.one("shop_id", "give exactly one of shop_id (a shop's violation) and creator_id (a creator's, CR-7)")
    if body.content_id is not None:
        raise InvalidInput.one("content_id", "only a creator's violation names content; give creator_id")
    assert body.shop_id is not None  # the first check: exactly one of the two
    require(principal, "violation.issue", body.shop_id)
    issued_at = event_time(ctx, principal, body.issued_at, "issued_at")
    if shop is None:
        raise InvalidInput.one("shop_id", f"unknown shop {body.shop_id!r}; create it first with PUT /v1/shops/{{shop_id}}")
    return violation_row(ctx.pack(shop.policy_id), shop.shop_id, body.as_body(), issued_at, now, principal.key_id)


def get(ctx: Context, principal: Principal, violation_id: str, at: datetime | None) -> ViolationDetail:
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


def subject_pack(ctx: Context, s: Session, row: Violation) -> PolicyPack:
    """The pack a violation is judged by: its shop's, or for a creator's its creator's, as the
    appeal checks read it (the creators' window and number of appeals, CR-11)."""
    if row.creator_id is not None:
        creator = creators.get(s, row.creator_id)
        assert creator is not None  # a creator's violation names a creator that exists (issue checks it)
        return ctx.pack(creator.policy_id).for_creators
    assert row.shop_id is not None  # a violation names a shop or a creator
    shop = shops.get(s, row.shop_id)
    assert shop is not None  # a shop's violation names a shop that exists (issue checks it)
    return ctx.pack(shop.policy_id)


def with_appeals(pack: PolicyPack, row: Violation, history: Sequence[tuple[Appeal, AppealDecision | None]], at: datetime,
                 outright: Revocation | None = None) -> ViolationDetail:
    """The violation as of `at` with its appeals and its statement of reasons: which rule, what
    evidence, which policy version, and whether and until when it can be appealed. A decision
    after `at` is not yet known then."""
    revoked_at = revoked_at_of(history, outright, at)
    view: ShopViolation | CreatorViolation
    if row.creator_id is not None:
        from shopwarden.service.creators import creator_violation_json

        view = CreatorViolation(creator_violation_json(row, status_at(row, revoked_at, at), pack))
        vt = None
    else:
        view = ShopViolation.of(row, status_at(row, revoked_at, at))
        vt = pack.types.get(row.type)
    revocation = None
    if outright is not None and outright.revoked_at <= at:
        revocation = RevocationView(outright.revoked_at, outright.reason, outright.revoked_by)
    own_rules = isinstance(view, CreatorViolation) and "rules" in view.data
    w = appeal_window(pack, row.issued_at, revoked_at, appeal_records(history, at), at)
    return ViolationDetail(
        violation=view,
        revocation=revocation,
        appeals=[appeal_view(a, d, at) for a, d in history if a.filed_at <= at],
        rules=None if vt is None and own_rules else (list(vt.rules) if vt else []),
        type_name=TypeName(vt.name.en, vt.name.zh) if vt else None,
        appeal=AppealWindow(w.open, w.number, w.closes_at, w.remaining, w.rule, w.reason),
    )


def appeal_view(a: Appeal, d: AppealDecision | None, at: datetime) -> AppealView:
    decided = d is not None and d.decided_at <= at
    return AppealView(
        id=a.appeal_id,
        violation_id=a.violation_id,
        number=a.number,
        status=d.outcome if d is not None and decided else "pending",
        filed_at=a.filed_at,
        deadline=a.deadline,
        reason=a.reason,
        evidence=a.evidence,
        decided_at=d.decided_at if d is not None and decided else None,
        outcome=d.outcome if d is not None and decided else None,
        decision_reason=d.reason if d is not None and decided else None,
    )


def revoke(ctx: Context, principal: Principal, violation_id: str, body: RevocationInput) -> ViolationDetail:
    """Revoke a violation outright (a platform's reversal, an operator undoing an automatic ticket):
    its points stop counting from `revoked_at`, and sanctions it caused are lifted as for a granted
    appeal (TT-APL-5). Final, like a decision; the seller is told why."""
    require(principal, "violation.revoke")
    revoked_at = event_time(ctx, principal, body.revoked_at, "revoked_at")
    revoked_by = body.revoked_by or principal.key_id
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
                                   "reason": body.reason, "revoked_by": revoked_by, "key_id": principal.key_id}):
            raise Conflict(f"violation {violation_id} was revoked by a concurrent request", rule="TT-APL-5")
        joint.revoke_shares(s, violation_id, revoked_at, body.reason, revoked_by, principal.key_id)
        s.flush()
        history = appeals.of_violation(s, violation_id)
        pack = subject_pack(ctx, s, row)
        return with_appeals(pack, row, history, revoked_at, revocations.get(s, violation_id))
