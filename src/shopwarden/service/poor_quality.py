"""DY-QL-3 determinations and DY-QL-4 measures: one transaction per run; the measures in force for
the health page and for the order route, which refuses the order a limit does not allow.

A run (`determine`, by the platform or an operator, e.g. nightly) judges the shop at `at`: each
poor-quality product, and the shop when its score stayed below the pack's line for the pack's
consecutive days. Each new subject gets a determination with its figures and the measures of the
ladder's step for this repetition, and a ticket (a `poor_quality` violation of 0 points) that the
merchant appeals like any other within DY-APL-1's 7 days; a granted appeal lifts its measures.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select, true
from sqlalchemy.orm import Session

from shopwarden.core.ledger.events import revocations
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.quality import determinations as rules_of
from shopwarden.core.quality.determinations import Measure, Past
from shopwarden.core.quality.window import day_of, start_of
from shopwarden.errors import Conflict, InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.experience import Assessment, DeterminationView, assess, determination_json, determination_view
from shopwarden.service.results import Result
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.times import event_time
from shopwarden.service.violation_rows import violation_row
from shopwarden.store import events, outbox, shops, violations
from shopwarden.store import experience as store
from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.experience import FraudFinding, QualityDetermination
from shopwarden.store.reviews import OrderRow
from shopwarden.store.revocations import Revocation

TICKET_TYPE, TICKET_SEVERITY = "poor_quality", "minor"  # the pack's DY-QL type; its minor tier carries no points
SANCTION_OF = {"order_limit": "orders_limited", "payout_frozen": "payouts_frozen"}  # the pack's sanction kind (privileges)


@dataclass(frozen=True, slots=True)
class Finding:
    subject: str
    figures: dict[str, Any]
    text: str


def determine(ctx: Context, principal: Principal, shop_id: str, at: datetime | None) -> tuple[list[DeterminationView], int]:
    """Judge the shop at `at`; record a determination for each newly poor subject (201), none: 200."""
    require(principal, "experience.determine", shop_id)
    at = event_time(ctx, principal, at, "at")
    now = assess(ctx, shop_id, at)
    if not now.rules.determines:
        return [], 200  # the pack scores and judges products but has no measures ladder: nothing to record
    found = [*_poor_products(now), *_poor_shop(ctx, shop_id, at, now)]
    if not found:
        return [], 200
    _, ledger = events.shop_ledger(ctx.db.engine, shop_id)
    revoked = revocations(ledger)
    with ctx.db.transaction() as s:
        shops.lock(s, shop_id)
        past = _past(s, shop_id, revoked)
        fresh = [f for f in found if not rules_of.already_determined(past, f.subject, at)]
        if not fresh:
            return [], 200
        occurrence = rules_of.occurrence(past, at, _repeat_days(now.rules.repeat_days))
        measures = rules_of.measures_for(now.rules, occurrence, at)
        rows = [_record(ctx, s, principal, now.pack, shop_id, f, at, occurrence, measures) for f in fresh]
        return [determination_view(r) for r in rows], 201


def _repeat_days(days: int | None) -> int:
    """The pack's repetition window; `determines` (checked first) is true only with a ladder, which names it."""
    assert days is not None, "a pack whose experience section determines names its repeat_days"
    return days


def sweep(ctx: Context, principal: Principal, at: datetime | None, shop_ids: list[str] | None = None) -> list[DeterminationView]:
    """`determine` for every shop under a policy whose experience section has a measures ladder (or the given shops),
    one transaction per shop, e.g. nightly: the new determinations of them all."""
    require(principal, "experience.determine")
    at = event_time(ctx, principal, at, "at")
    if shop_ids is None:
        with ctx.db.read() as s:
            shop_ids = shops.under_policies(s, sorted(p for p, pack in ctx.packs.items() if pack.experience is not None and pack.experience.determines))
    made: list[DeterminationView] = []
    for shop_id in shop_ids:
        made.extend(determine(ctx, principal, shop_id, at)[0])
    return made


def _poor_products(a: Assessment) -> list[Finding]:
    out: list[Finding] = []
    for j in a.products:
        if not j.poor_quality:
            continue
        figures = {"indicator": "negative_feedback_rate", "value": round(j.rate or 0.0, 4), "count": j.negative_feedback, "of": j.orders,
                   "lower_bound": round(j.lower_bound, 4), "industry": j.industry, "industry_mean": round(j.industry_mean or 0.0, 4),
                   "factor": j.factor, "min_orders": j.min_orders, "confidence_z": a.rules.poor_quality_product.confidence_z,
                   "window_days": a.rules.window_days}
        text = (f"Product {j.product_id}: {j.negative_feedback} of {j.orders} orders in the last {a.rules.window_days} days had negative "
                f"feedback ({figures['value']:.1%}); the Wilson lower bound {figures['lower_bound']:.4f} (z {figures['confidence_z']}) is above "
                f"{j.factor} × the {j.industry} industry mean {figures['industry_mean']:.4f} (DY-QL-3).")
        out.append(Finding(f"product:{j.product_id}", figures, text))
    return out


def _poor_shop(ctx: Context, shop_id: str, at: datetime, now: Assessment) -> list[Finding]:
    line = now.rules.poor_quality_shop
    if line is None:
        return []
    scores = [now.result.score]
    while len(scores) < line.days and scores[-1] is not None and scores[-1] < line.below:
        scores.append(assess(ctx, shop_id, at - timedelta(days=len(scores)), detail=False).result.score)
    scores.reverse()
    if not rules_of.shop_is_poor(scores, line):
        return []
    figures = {"scores": scores, "below": line.below, "days": line.days, "industry": now.industry, "orders": now.result.orders,
               "indicators": [{"id": i.id, "value": i.rate.value, "count": i.rate.count, "of": i.rate.of, "industry_mean": i.industry_mean,
                               "score": i.score} for i in now.result.indicators]}
    text = (f"Shop {shop_id}: experience score below {line.below} on {line.days} consecutive days "
            f"({', '.join(f'{x:.1f}' for x in scores)}); industry {now.industry} (DY-QL-3).")
    return [Finding(f"shop:{shop_id}", figures, text)]


def _history(session: Session, shop_id: str, revoked: dict[str, datetime]) -> list[tuple[QualityDetermination, Past]]:
    return [(d, Past(d.at, d.subject, tuple(Measure.from_json(m) for m in d.measures), revoked.get(d.violation_id)))
            for d in store.determinations_of(session, shop_id)]


def _past(session: Session, shop_id: str, revoked: dict[str, datetime]) -> list[Past]:
    return [p for _, p in _history(session, shop_id, revoked)]


def _record(ctx: Context, s: Session, principal: Principal, pack: PolicyPack, shop_id: str, f: Finding, at: datetime,
            occurrence: int, measures: tuple[Measure, ...]) -> QualityDetermination:
    listed = "; ".join(_measure_text(m) for m in measures)
    repeat_days = pack.experience.repeat_days if pack.experience is not None else None
    note = f"{f.text} Measures (DY-QL-4, determination {occurrence} within {repeat_days} days): {listed}. Appeal within 7 days (DY-APL-1)."
    ticket = violation_row(pack, shop_id, {"type": TICKET_TYPE, "severity": TICKET_SEVERITY, "note": note[:4000],
                                           "evidence": [{"kind": "text", "value": f.text[:4000]}]}, at, ctx.clock(), principal.key_id)
    violations.add(s, ticket)
    row = QualityDetermination(determination_id=f"dq_{secrets.token_hex(8)}", shop_id=shop_id, subject=f.subject, rule="DY-QL-3", at=at,
                               occurrence=occurrence, figures=f.figures | {"statement": note}, measures=[_jsonable(m) for m in measures],
                               violation_id=ticket["violation_id"], policy_version=pack.version, created_at=ctx.clock(), created_by=principal.key_id)
    store.add_determination(s, row)
    outbox.add(s, "determination.made", shop_id, determination_json(row))  # 0020
    return row  # its measures are counted with their statements (service/statements.py count_measures)


def _jsonable(m: Measure) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in m.as_json().items()}


def _measure_text(m: Measure) -> str:
    if m.kind == "order_limit":
        return f"at most {m.limit_per_day} orders a day until {m.ends_at:%Y-%m-%d %H:%M} UTC"
    if m.kind == "payout_frozen":
        return f"payouts frozen and settlement stopped until {m.ends_at:%Y-%m-%d %H:%M} UTC"
    return f"a penalty fee of {m.amount:g}"


# ---------------------------------------------------------------- fraud (DY-QL-4)


@dataclass(frozen=True, slots=True)
class FraudInput:
    kind: str  # intent | batch_risk
    reason: str
    amount_per_order: float
    found_at: datetime | None = None
    found_by: str | None = None


@dataclass(frozen=True, slots=True)
class Fraud(Result):
    """DY-QL-4's fraud finding: the compensation (order, buyer, amount) to each affected buyer, and their total."""

    fraud_id: str
    determination_id: str
    shop_id: str
    kind: str
    reason: str
    amount_per_order: float
    compensations: Sequence[Mapping[str, Any]]
    total: float
    found_at: datetime
    found_by: str
    rule: str


def fraud_view(row: FraudFinding) -> Fraud:
    return Fraud(row.fraud_id, row.determination_id, row.shop_id, row.kind, row.reason, row.amount_per_order, row.compensations,
                 round(sum(c["amount"] for c in row.compensations), 2), row.found_at, row.found_by, "DY-QL-4")


def find_fraud(ctx: Context, principal: Principal, determination_id: str, body: FraudInput) -> Fraud:
    """An operator's finding of fraud on a determination (DY-QL-4): compensation, at the operator's
    amount, to the buyer of every order whose negative feedback counted in the determination's
    window, for its subject (the product, or the whole shop). Once per determination (409 after)."""
    require(principal, "experience.determine")
    found_at = event_time(ctx, principal, body.found_at, "found_at")
    with ctx.db.transaction() as s:
        d = store.get_determination(s, determination_id)
        if d is None:
            raise NotFound.no("determination", determination_id)
        if found_at < d.at:
            raise InvalidInput.one("found_at", f"before the determination ({d.at.isoformat()})")
        if store.fraud_of(s, determination_id) is not None:
            raise Conflict(f"determination {determination_id} already has a fraud finding; it does not change", rule="DY-QL-4")
        window = timedelta(days=int(d.figures.get("window_days") or _window_days(pack_of(ctx, s, d.shop_id))))
        kind, _, subject = d.subject.partition(":")
        affected = store.negative_feedback_orders(s, d.shop_id, subject if kind == "product" else None, d.at - window, d.at)
        row = FraudFinding(fraud_id=f"fq_{secrets.token_hex(8)}", determination_id=determination_id, shop_id=d.shop_id, kind=body.kind,
                           reason=body.reason, amount_per_order=body.amount_per_order, found_at=found_at, found_by=body.found_by or principal.key_id,
                           compensations=[{"order_id": o, "buyer_id": b, "amount": body.amount_per_order} for o, b in affected],
                           created_by=principal.key_id)
        s.add(row)
        s.flush()
        return fraud_view(row)


def _window_days(pack: PolicyPack) -> int:
    if pack.experience is None:
        raise NotFound(f"policy {pack.id} scores no experience (its pack has no experience section)")
    return pack.experience.window_days


# ---------------------------------------------------------------- measures in force


def measures_at(session: Session, shop_id: str, at: datetime, revoked: dict[str, datetime]) -> tuple[list[dict[str, Any]], set[str], datetime | None]:
    """The DY-QL-4 measures in force at `at` as health lists them, the privileges they remove (the
    pack's sanction kinds), and the next instant they may change."""
    history = _history(session, shop_id, revoked)
    if not history:
        return [], set(), None
    rows = {id(p): d for d, p in history}
    past = [p for _, p in history]
    out: list[dict[str, Any]] = []
    for p, m in rules_of.in_force(past, at):
        d = rows[id(p)]
        out.append({"kind": m.kind, "threshold": None, "point_class": None, "starts_at": m.starts_at, "ends_at": m.ends_at, "rule": "DY-QL-4",
                    "determination_id": d.determination_id, "violation_id": d.violation_id}
                   | ({"limit_per_day": m.limit_per_day} if m.limit_per_day is not None else {})
                   | ({"amount": m.amount} if m.amount is not None else {}))
    return out, {SANCTION_OF[m["kind"]] for m in out if m["kind"] in SANCTION_OF}, rules_of.next_change(past, at)


def check_order_limit(ctx: Context, s: Session, shop_id: str, ordered_at: datetime) -> None:
    """DY-QL-4's order limit (限单): the order beyond the day's limit is refused (409)."""
    if not store.determinations_of(s, shop_id):
        return
    _, ledger = events.shop_ledger(ctx.db.engine, shop_id)
    past = _past(s, shop_id, revocations(ledger))
    limits = [m for _, m in rules_of.in_force(past, ordered_at) if m.kind == "order_limit"]
    if not limits:
        return
    tightest = min(limits, key=lambda m: m.limit_per_day if m.limit_per_day is not None else 0)
    limit = tightest.limit_per_day or 0  # an order limit names its limit
    shops.lock(s, shop_id)  # orders of one shop are counted one after the other while a limit holds
    day = start_of(day_of(ordered_at))
    taken = s.scalar(select(func.count()).select_from(OrderRow).where(OrderRow.shop_id == shop_id, OrderRow.ordered_at >= day,
                                                                      OrderRow.ordered_at < day + timedelta(days=1))) or 0
    if taken >= limit:
        until = min(day + timedelta(days=1), tightest.ends_at) if tightest.ends_at else day + timedelta(days=1)
        raise Conflict(f"shop {shop_id} is limited to {tightest.limit_per_day} orders a day (DY-QL-4 order limit, until "
                       f"{tightest.ends_at.isoformat() if tightest.ends_at else 'further notice'}); {taken} orders were already taken on "
                       f"{day.date().isoformat()}", rule="DY-QL-4", until=until)


# ---------------------------------------------------------------- the operators' queue


QUEUE_STATUSES = ("open", "appealed", "fraud", "all")


def _lifted() -> ColumnElement[bool]:
    d = QualityDetermination
    granted = select(AppealDecision.appeal_id).where(AppealDecision.violation_id == d.violation_id, AppealDecision.outcome == "granted")
    return or_(exists(granted), exists(select(Revocation.violation_id).where(Revocation.violation_id == d.violation_id)))


def _with_fraud() -> ColumnElement[bool]:
    d = QualityDetermination
    return exists(select(FraudFinding.fraud_id).where(FraudFinding.determination_id == d.determination_id))


def _appealed() -> ColumnElement[bool]:
    d = QualityDetermination
    undecided = and_(Appeal.violation_id == d.violation_id, not_(exists(select(AppealDecision.appeal_id).where(AppealDecision.appeal_id == Appeal.appeal_id))))
    return exists(select(Appeal.appeal_id).where(undecided))


QUEUE_WHERE: dict[str, Callable[[], ColumnElement[bool]]] = {
    "open": lambda: and_(not_(_lifted()), not_(_with_fraud())), "appealed": _appealed, "fraud": _with_fraud, "all": true,
}


def count_open(session: Session) -> int:
    """Determinations neither lifted nor with a fraud finding (the console's overview)."""
    return session.scalar(select(func.count()).select_from(QualityDetermination).where(QUEUE_WHERE["open"]())) or 0


@dataclass(frozen=True, slots=True)
class QueueRow(Result):
    """A determination in the operators' queue: its state (open, appealed, fraud, lifted), its ticket's latest appeal, the shop's time zone."""

    determination: DeterminationView
    shop_id: str
    status: str
    appeal_id: str | None
    appeal_outcome: str | None
    timezone: str

    def as_json(self) -> dict[str, Any]:
        return self.determination.as_json() | {"shop_id": self.shop_id, "status": self.status, "appeal_id": self.appeal_id,
                                               "appeal_outcome": self.appeal_outcome, "timezone": self.timezone}


@dataclass(frozen=True, slots=True)
class QueueItem(Result):
    """One determination of the queue with its fraud finding in full (None: none)."""

    row: QueueRow
    fraud_finding: Fraud | None

    def as_json(self) -> dict[str, Any]:
        return self.row.as_json() | {"fraud_finding": None if self.fraud_finding is None else self.fraud_finding.as_json()}


def queue(ctx: Context, principal: Principal, status: str, shop_id: str | None, limit: int) -> list[QueueRow]:
    """The operators' determinations queue (DY-QL-3/4), newest first: `open` (neither lifted by a granted
    appeal or a revocation nor with a fraud finding), `appealed` (an appeal waits), `fraud`, or `all`;
    each row with its figures, measures, pending appeal, fraud finding and state."""
    require(principal, "experience.determine")
    if status not in QUEUE_STATUSES:
        raise InvalidInput.one("status", f"{status!r} is not a queue filter; one of: {', '.join(QUEUE_STATUSES)}")
    q = select(QualityDetermination).where(QUEUE_WHERE[status]()).order_by(QualityDetermination.at.desc(), QualityDetermination.determination_id).limit(limit)
    if shop_id is not None:
        q = q.where(QualityDetermination.shop_id == shop_id)
    with ctx.db.read() as s:
        return _queue_rows(ctx, s, list(s.scalars(q)))


def queue_item(ctx: Context, principal: Principal, determination_id: str) -> QueueItem:
    """One determination as the queue shows it, with its ticket's appeal and its fraud finding in full (404: none)."""
    require(principal, "experience.determine")
    with ctx.db.read() as s:
        d = store.get_determination(s, determination_id)
        if d is None:
            raise NotFound.no("determination", determination_id)
        fraud = store.fraud_of(s, determination_id)
        return QueueItem(_queue_rows(ctx, s, [d])[0], fraud_view(fraud) if fraud else None)


def _queue_rows(ctx: Context, s: Session, rows: list[QualityDetermination]) -> list[QueueRow]:
    ids, tickets = [r.determination_id for r in rows], [r.violation_id for r in rows]
    if not rows:
        return []
    frauds = {f.determination_id: f for f in s.scalars(select(FraudFinding).where(FraudFinding.determination_id.in_(ids)))}
    appeals = s.execute(select(Appeal.violation_id, Appeal.appeal_id, AppealDecision.outcome).outerjoin(AppealDecision, AppealDecision.appeal_id == Appeal.appeal_id)
                        .where(Appeal.violation_id.in_(tickets)).order_by(Appeal.filed_at)).all()
    revoked = set(s.scalars(select(Revocation.violation_id).where(Revocation.violation_id.in_(tickets))))
    policies = shops.policy_ids(s, list({r.shop_id for r in rows}))
    last = {v: (a, outcome) for v, a, outcome in appeals}  # the latest appeal of each ticket
    out: list[QueueRow] = []
    for r in rows:
        appeal_id, outcome = last.get(r.violation_id, (None, None))
        fraud = frauds.get(r.determination_id)
        lifted = outcome == "granted" or r.violation_id in revoked
        state = "lifted" if lifted else "fraud" if fraud else "appealed" if appeal_id and outcome is None else "open"
        out.append(QueueRow(determination_view(r, fraud), r.shop_id, state, appeal_id, outcome, ctx.pack(policies[r.shop_id]).calendar.timezone))
    return out
