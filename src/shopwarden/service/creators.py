"""Use cases for creators (CR-5..13): keep a creator, earn credits, issue a creator's violation,
and read its standing and notices as of `at` — by its pack's model (CR-7)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, cast

from sqlalchemy.orm import Session

from shopwarden.core.appeals import AppealRecord, appeal_window
from shopwarden.core.ledger.commissions import Commission, CommissionState, Hold, ViolationFate
from shopwarden.core.ledger.commissions import states as commission_fold
from shopwarden.core.ledger.commissions import totals as commission_totals
from shopwarden.core.ledger.creator_notices import measure_name, render_creator
from shopwarden.core.ledger.creator_score import MeasureInstance, ScoreStanding, creator_fold, score_fold
from shopwarden.core.ledger.credit_series import CreditSeries
from shopwarden.core.ledger.events import (
    AppealDecided,
    AppealFiled,
    CreditEarned,
    Event,
    ViolationIssued,
    ViolationRevoked,
)
from shopwarden.core.ledger.series import Series, samples
from shopwarden.core.ledger.standing import SanctionInstance, Standing, fold
from shopwarden.core.policy.creators import MEASURE_REMOVES, POINTS_CLASS, HealthScoreRules, PointsRules
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import Conflict, InvalidInput, NotFound
from shopwarden.service import joint
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.notice_docs import NoticeText, ShopNotice
from shopwarden.service.results import Result
from shopwarden.service.times import event_time
from shopwarden.service.violation_rows import revoked_at_of
from shopwarden.store import appeals, creators, revocations, shops, subject_locks, violations
from shopwarden.store import events as shop_events
from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.creators import CreatorRow, CreditRow
from shopwarden.store.reviews import OrderRow
from shopwarden.store.revocations import Revocation
from shopwarden.store.violations import Violation

CreatorNotice = ShopNotice  # a creator's notice has a shop notice's shape, without statements (key left out)

# A health-score deduction never expires (CR-7): its expiry is the end of representable time.
NEVER = datetime(9999, 12, 31, tzinfo=UTC)
SCORE_CLASS = "score"


@dataclass(frozen=True, slots=True)
class CreatorInput:
    name: str
    policy: str
    shop_id: str | None = None


@dataclass(frozen=True, slots=True)
class CreditInput:
    kind: str  # order_content | quiz
    ref: str
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Creator(Result):
    creator_id: str
    name: str
    policy: str
    shop_id: str | None  # a shop's own account (CR-5, CR-12)
    model: str  # health_score | points (CR-7)
    own_account: bool


@dataclass(frozen=True, slots=True)
class Credit(Result):
    credit_id: str
    creator_id: str
    kind: str
    ref: str
    amount: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Named(Result):
    en: str
    zh: str


@dataclass(frozen=True, slots=True)
class CreatorMeasureLine(Result):
    """A measure in force (CR-7..9, CR-12), from a health-score milestone or a points threshold."""

    kind: str
    reason: str
    rule: str
    starts_at: datetime
    ends_at: datetime | None
    privilege: str | None
    name: Named


@dataclass(frozen=True, slots=True)
class ScoreViolationLine(Result):
    id: str
    type: str
    severity: str
    deduction: int
    content_id: str | None
    issued_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class PointsViolationLine(Result):
    id: str
    type: str
    severity: str
    points: int
    content_id: str | None
    issued_at: datetime
    status: str


@dataclass(frozen=True, slots=True)
class CommissionLine(Result):
    order_id: str
    amount: float
    currency: str
    status: str  # frozen | forfeited (payable ones are not listed)
    violation_id: str | None


@dataclass(frozen=True, slots=True)
class Commissions(Result):
    """CR-10: frozen and forfeited commissions; in more than one currency, the sums per currency only."""

    frozen: float | None
    forfeited: float | None
    currency: str | None
    by_currency: Mapping[str, Mapping[str, float]] | None  # left out of the JSON with one currency
    orders: tuple[CommissionLine, ...]

    def as_json(self) -> dict[str, Any]:
        out = Result.as_json(self)
        if self.by_currency is None:
            del out["by_currency"]
        return out


@dataclass(frozen=True, slots=True)
class CreatorHealth(Result):
    """The creator's standing at `at` by its pack's model (CR-7): a health score with bands and
    milestones, or points with thresholds (`points_to_next` and `warning` only then)."""

    creator_id: str
    at: datetime
    policy: str
    policy_version: str
    model: str
    score: int | None
    band: str | None
    next_milestone: int | None
    points: int | None
    level: str | None
    next_threshold: int | None
    points_to_next: int | None
    warning: bool | None
    measures: tuple[CreatorMeasureLine, ...]
    privileges: Mapping[str, bool]
    violations: tuple[ScoreViolationLine, ...] | tuple[PointsViolationLine, ...]
    commissions: Commissions

    def as_json(self) -> dict[str, Any]:
        out = Result.as_json(self)
        if self.score is not None:  # the health-score model has no points_to_next or warning
            del out["points_to_next"], out["warning"]
        return out


def rules_of(pack: PolicyPack, field: str = "policy") -> HealthScoreRules | PointsRules:
    if pack.creators is None:
        with_section = ", ".join(p for p in ("tiktok-shop", "tiktok-shop-chr"))
        raise InvalidInput.one(field, f"policy {pack.id!r} has no creators section (CR-7); use one that has, e.g. {with_section}")
    return pack.creators


def creator_json(row: CreatorRow, pack: PolicyPack) -> Creator:
    return Creator(row.creator_id, row.name, row.policy_id, row.shop_id, rules_of(pack).model, row.shop_id is not None)


def put(ctx: Context, principal: Principal, creator_id: str, data: CreatorInput) -> tuple[Creator, bool]:
    """Create or update a creator (idempotent). `shop_id` makes it that shop's own account (CR-5, CR-12).
    Returns (creator, created)."""
    require(principal, "creator.write")
    pack = ctx.check_policy("policy", data.policy)
    rules_of(pack)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        if data.shop_id is not None and shops.get(s, data.shop_id) is None:
            raise InvalidInput.one("shop_id", f"unknown shop {data.shop_id!r}; create it first with PUT /v1/shops/{{shop_id}}")
        subject_locks.hold(s, f"put:creator:{creator_id}")  # two first PUTs at once: the second updates (200), not a lost insert (409)
        created = creators.get(s, creator_id) is None
        row = creators.put(s, {"creator_id": creator_id, "name": data.name, "policy_id": data.policy, "shop_id": data.shop_id,
                               "created_at": now, "updated_at": now})
        return creator_json(row, pack), created


def _creator(s: Session, creator_id: str) -> CreatorRow:
    row = creators.get(s, creator_id)
    if row is None:
        raise NotFound(f"no creator {creator_id!r}; create it with PUT /v1/creators/{{creator_id}}")
    return row


def get(ctx: Context, principal: Principal, creator_id: str) -> Creator:
    require(principal, "creator.read", creator_id=creator_id)
    with ctx.db.read() as s:
        row = _creator(s, creator_id)
    return creator_json(row, ctx.pack(row.policy_id))


def add_credit(ctx: Context, principal: Principal, creator_id: str, data: CreditInput) -> tuple[Credit, bool]:
    """CR-7: record an earned credit (the pack's amount; the fold applies the daily cap). The same
    (kind, ref) again is the same credit: answered, not counted twice. Returns (credit, created)."""
    require(principal, "creator.credit", creator_id=creator_id)
    at = event_time(ctx, principal, data.at, "at")
    with ctx.db.transaction() as s:
        row = _creator(s, creator_id)
        rules = rules_of(ctx.pack(row.policy_id))
        if not isinstance(rules, HealthScoreRules):
            raise Conflict(f"creator {creator_id}'s policy {row.policy_id} scores by points, which credits do not lower (CR-7)", rule="CR-7")
        earlier = creators.credit_by_ref(s, creator_id, data.kind, data.ref)
        if earlier is not None:
            return _credit_json(earlier), False
        credit = {"credit_id": f"cr_{secrets.token_hex(10)}", "creator_id": creator_id, "kind": data.kind, "ref": data.ref,
                  "amount": rules.earn.amount(data.kind), "at": at, "created_at": ctx.clock(), "created_by": principal.key_id}
        if not creators.add_credit(s, credit):  # the same credit reported at the same moment: one stands
            s.flush()
            stood = creators.credit_by_ref(s, creator_id, data.kind, data.ref)
            if stood is None:  # the insert lost to that same credit, so it is there
                raise Conflict(f"credit {data.kind} {data.ref} of creator {creator_id} was written by a concurrent request", rule="CR-7")
            return _credit_json(stood), False
    return _credit_json(CreditRow(**credit)), True


def _credit_json(row: CreditRow) -> Credit:
    return Credit(row.credit_id, row.creator_id, row.kind, row.ref, row.amount, row.at)


# ---- creator violations (POST /v1/violations with creator_id) ----


def violation_row(pack: PolicyPack, creator: CreatorRow, body: Mapping[str, Any], issued_at: datetime, now: datetime, key_id: str) -> dict[str, Any]:
    """A creator's violation: points by the creators' points ladder, or a deduction by severity (CR-7)."""
    rules = rules_of(pack)
    vt = rules.types.get(body["type"])
    if vt is None:
        raise InvalidInput.one("type", f"unknown creator violation type {body['type']!r} in policy {pack.id}; allowed: {', '.join(rules.types)}")
    if body["severity"] not in vt.severities:
        raise InvalidInput.one("severity", f"unknown severity {body['severity']!r} for {vt.type}; allowed: {', '.join(vt.severities)}")
    chosen = body.get("points")
    if isinstance(rules, PointsRules):
        low, high = min(vt.severities.values()), max(vt.severities.values())
        if chosen is not None and not low <= chosen <= high:  # a reviewer's choice within the type's range, as TT-PTS-1
            raise InvalidInput.one("points", f"{chosen} is outside {vt.type}'s range {low}..{high}")
        amount, cls, expires = vt.severities[body["severity"]] if chosen is None else chosen, POINTS_CLASS, issued_at + timedelta(days=rules.expiry_days)
    else:
        if chosen is not None:
            raise InvalidInput.one("points", f"policy {pack.id} scores creators by a health score: the deduction is the pack's for the severity "
                                             f"({', '.join(f'{k} {rules.deduction(vt.type, k)}' for k in vt.severities)}); leave points out")
        amount, cls, expires = rules.deduction(vt.type, body["severity"]), SCORE_CLASS, NEVER
    return {"violation_id": body.get("id") or f"v_{secrets.token_hex(8)}", "shop_id": None, "creator_id": creator.creator_id,
            "content_id": body.get("content_id"), "joint_of": None, "type": vt.type, "severity": body["severity"], "points": amount,
            "point_class": cls, "issued_at": issued_at, "expires_at": expires, "policy_id": pack.id, "policy_version": pack.version,
            "evidence": body.get("evidence") or [], "note": body.get("note"), "created_at": now, "created_by": key_id}


def issue_violation(ctx: Context, principal: Principal, body: Mapping[str, Any]) -> dict[str, Any]:
    """A creator's violation (POST /v1/violations with creator_id), as service/violations answers it."""
    creator_id = body["creator_id"]
    require(principal, "violation.issue", creator_id=creator_id)
    issued_at = event_time(ctx, principal, body.get("issued_at"), "issued_at")
    with ctx.db.transaction() as s:
        creator = creators.get(s, creator_id)
        if creator is None:
            raise InvalidInput.one("creator_id", f"unknown creator {creator_id!r}; create it first with PUT /v1/creators/{{creator_id}}")
        if body.get("content_id") is not None:
            content = creators.content(s, body["content_id"])
            if content is None or content.creator_id != creator_id:
                raise InvalidInput.one("content_id", f"no content {body['content_id']!r} of creator {creator_id!r}")
        row = violation_row(ctx.pack(creator.policy_id), creator, body, issued_at, ctx.clock(), principal.key_id)
        violations.add(s, row)
        shared = joint.own_account_share(ctx, s, row, ctx.clock(), principal.key_id)
    return creator_violation_json(Violation(**row), "active", ctx.pack(creator.policy_id)) | {"shop_violation_id": shared}


def creator_violation_json(row: Violation, status: str, pack: PolicyPack) -> dict[str, Any]:
    rules = rules_of(pack)
    vt = rules.types.get(row.type)
    amount = {"points": row.points} if isinstance(rules, PointsRules) else {"deduction": row.points}
    return {"id": row.violation_id, "creator_id": row.creator_id, "shop_id": None, "content_id": row.content_id, "type": row.type,
            "category": vt.category if vt else None, "type_name": {"en": vt.name.en, "zh": vt.name.zh} if vt else None,
            "severity": row.severity, **amount, "issued_at": row.issued_at,
            "expires_at": None if row.expires_at >= NEVER else row.expires_at, "status": status,
            "policy": row.policy_id, "policy_version": row.policy_version, "evidence": row.evidence, "note": row.note, "rules": ["CR-7"]}


# ---- the creator's ledger and standing ----


def ledger(s: Session, creator_id: str) -> tuple[list[Event], CreditSeries]:
    """The creator's events (violations, appeals, decisions, revocations) and its credits as columns (CR-7)."""
    out: list[Event] = []
    for v in s.query(Violation).filter(Violation.creator_id == creator_id):
        out.append(ViolationIssued(v.violation_id, v.issued_at, v.type, v.severity, v.points, v.point_class, v.expires_at))
    for a in s.query(Appeal).filter(Appeal.creator_id == creator_id):
        out.append(AppealFiled(a.appeal_id, a.violation_id, a.number, a.filed_at))
    for d in s.query(AppealDecision).filter(AppealDecision.creator_id == creator_id):
        out.append(AppealDecided(d.appeal_id, d.violation_id, _outcome(d.outcome), d.decided_at, d.reason, d.decided_by))
    for r in s.query(Revocation).filter(Revocation.creator_id == creator_id):
        out.append(ViolationRevoked(r.violation_id, r.revoked_at, r.reason))
    credits = [CreditEarned(c.credit_id, c.at, c.kind, c.amount) for c in creators.credits(s, creator_id)]
    return out, CreditSeries(credits)


def _outcome(stored: str) -> Literal["granted", "rejected"]:
    """An appeal decision's outcome as stored (a plain string column; only these two are written)."""
    return cast(Literal["granted", "rejected"], stored)


def standing(ctx: Context, principal: Principal, creator_id: str, at: datetime | None) -> tuple[PolicyPack, CreatorRow, ScoreStanding | Standing]:
    require(principal, "creator.read", creator_id=creator_id)
    at = at or ctx.clock()
    with ctx.db.read() as s:
        row = _creator(s, creator_id)
        events, credits = ledger(s, creator_id)
    pack = ctx.pack(row.policy_id)
    return pack, row, creator_fold(rules_of(pack), events, at, credits)


def series(ctx: Context, principal: Principal, creator_id: str, at: datetime | None = None, back: int = 90, ahead: int = 30) -> Series:
    """The creator's score (or points) from `back` days before `at` to `ahead` days after, with
    the milestones (or thresholds) it is judged against (CR-13)."""
    require(principal, "creator.read", creator_id=creator_id)
    now = at or ctx.clock()
    with ctx.db.read() as s:
        row = _creator(s, creator_id)
        events, credits = ledger(s, creator_id)
    rules = rules_of(ctx.pack(row.policy_id))
    changes = [e.at for e in events] + [c.at for c in credits.credits] + [e.expires_at for e in events if isinstance(e, ViolationIssued) and e.expires_at < NEVER]
    when = samples(now - timedelta(days=back), now + timedelta(days=ahead), changes + [now])
    if isinstance(rules, HealthScoreRules):
        lines = [(float(m.score), f"milestone {m.score}") for m in rules.milestones]
        return Series([(t, float(score_fold(rules, events, t, credits).score)) for t in when], lines, now)
    lines = [(float(th.points), th.level) for th in rules.thresholds]
    return Series([(t, float(fold(rules, events, t).points)) for t in when], lines, now)  # type: ignore[arg-type]


def commission_states(ctx: Context, creator_id: str, pack: PolicyPack, st: ScoreStanding | Standing) -> list[CommissionState]:
    """CR-10: each commission earned through the creator's content, payable, frozen or forfeited at `st.at`."""
    at = st.at
    appeal_pack = pack.for_creators
    with ctx.db.read() as s:
        earned = [Commission(o.order_id, o.content_id, o.commission, o.commission_currency, o.ordered_at)
                  for o in s.query(OrderRow).filter(OrderRow.creator_id == creator_id, OrderRow.commission.is_not(None))
                  if o.commission is not None and o.commission_currency is not None]  # the filter's; a commission has its currency
        fates = []
        for v in s.query(Violation).filter(Violation.creator_id == creator_id, Violation.content_id.is_not(None), Violation.issued_at <= at):
            if v.content_id is not None:  # the query's filter
                fates.append(_fate(appeal_pack, v, v.content_id, appeals.of_violation(s, v.violation_id), revocations.get(s, v.violation_id), at))
    history = st.history
    holds = [Hold(m.starts_at, m.ends_at) for m in history if m.kind == "commission_frozen"]
    return commission_fold(earned, fates, holds, at)


def _fate(pack: PolicyPack, v: Violation, content_id: str, history: Sequence[tuple[Appeal, AppealDecision | None]], outright: Revocation | None,
          at: datetime) -> ViolationFate:
    """Where a content violation stands for its commissions (CR-10): revoked, still open, or final."""
    revoked = revoked_at_of(history, outright, at)
    if revoked is not None:
        return ViolationFate(v.violation_id, content_id, v.issued_at, "revoked", revoked)
    records = [AppealRecord(a.appeal_id, a.number, a.filed_at, _outcome(d.outcome) if d and d.decided_at <= at else "pending",
                            d.decided_at if d and d.decided_at <= at else None) for a, d in history if a.filed_at <= at]
    if any(r.status == "pending" for r in records):
        return ViolationFate(v.violation_id, content_id, v.issued_at, "open", max(r.filed_at for r in records))
    window = appeal_window(pack, v.issued_at, None, records, at)
    return ViolationFate(v.violation_id, content_id, v.issued_at, "open" if window.open else "forfeited", v.issued_at)


def commissions_json(items: list[CommissionState]) -> Commissions:
    sums = commission_totals(items)
    orders = tuple(_commission_json(c) for c in items if c.status != "payable")
    if len(sums) <= 1:
        currency, figures = next(iter(sums.items()), (None, {"frozen": Decimal(0), "forfeited": Decimal(0)}))
        return Commissions(float(figures["frozen"]), float(figures["forfeited"]), currency, None, orders)
    return Commissions(None, None, None, {cur: {k: float(v) for k, v in f.items()} for cur, f in sums.items()}, orders)


def _commission_json(c: CommissionState) -> CommissionLine:
    return CommissionLine(c.order_id, float(c.amount), c.currency, c.status, c.violation_id)


def health(ctx: Context, principal: Principal, creator_id: str, at: datetime | None) -> CreatorHealth:
    pack, row, st = standing(ctx, principal, creator_id, at)
    rules = rules_of(pack)
    with ctx.db.read() as s:
        found_in: dict[str, str | None] = {vid: cid for vid, cid in s.query(Violation.violation_id, Violation.content_id).filter(Violation.creator_id == creator_id)}
    commissions = commissions_json(commission_states(ctx, creator_id, pack, st))
    privileges = dict(st.privileges)
    gone = _shop_deactivated(ctx, row, st.at)
    if gone is not None:  # CR-12: a deactivated shop takes its own account's e-commerce rights
        privileges |= {p: False for p in ("promote_products", "live_selling", "showcase")}
    lost = () if gone is None else (CreatorMeasureLine("rights_removed", "shop-deactivated", "CR-12", gone, None, None, _named("rights_removed")),)
    if isinstance(st, ScoreStanding):
        return CreatorHealth(creator_id, st.at, pack.id, pack.version, rules.model, st.score, st.band, st.next_milestone, None, None, None, None, None,
                             tuple(_measure_json(m) for m in st.measures) + lost, privileges,
                             tuple(ScoreViolationLine(v.violation_id, v.type, v.severity, v.deduction, found_in.get(v.violation_id), v.issued_at, v.status)
                                   for v in st.violations), commissions)
    return CreatorHealth(creator_id, st.at, pack.id, pack.version, rules.model, None, None, None, st.points, st.level, st.next_threshold,
                         st.points_to_next, st.warning, tuple(_sanction_json(m) for m in st.sanctions) + lost, privileges,
                         tuple(PointsViolationLine(v.violation_id, v.type, v.severity, v.points, found_in.get(v.violation_id), v.issued_at, v.status)
                               for v in st.violations), commissions)


def _named(kind: str) -> Named:
    return Named(measure_name(kind, "en"), measure_name(kind, "zh"))


def privileges_at(ctx: Context, creator: CreatorRow, at: datetime) -> tuple[dict[str, bool], dict[str, str]]:
    """The creator's privileges at `at` and, for each one taken away, the measure that took it (CR-9, CR-12)."""
    with ctx.db.read() as s:
        events, credits = ledger(s, creator.creator_id)
    pack = ctx.pack(creator.policy_id)
    st = creator_fold(rules_of(pack), events, at, credits)
    privileges = dict(st.privileges)
    why: dict[str, str] = {}
    rules = rules_of(pack)
    for m in (st.measures if isinstance(st, ScoreStanding) else st.sanctions):
        if isinstance(m, MeasureInstance):
            removes = m.removes
        else:
            removes = rules.sanction_removes.get(m.kind, frozenset()) if isinstance(rules, PointsRules) else frozenset()
        for p in removes:
            why.setdefault(p, f"{m.kind} until {m.ends_at.isoformat() if m.ends_at else 'lifted'}")
    if _shop_deactivated(ctx, creator, at) is not None:
        for p in ("promote_products", "live_selling", "showcase"):
            privileges[p] = False
            why.setdefault(p, "the shop was deactivated (CR-12)")
    return privileges, why


def _shop_deactivated(ctx: Context, creator: CreatorRow, at: datetime) -> datetime | None:
    """When the creator's own shop was deactivated (a permanent sanction in force at `at`), else None."""
    if creator.shop_id is None:
        return None
    policy_id, ledger_events = shop_events.shop_ledger(ctx.db.engine, creator.shop_id)
    if policy_id is None:
        return None
    st = fold(ctx.pack(policy_id), ledger_events, at)
    return min((s.starts_at for s in st.sanctions if s.ends_at is None), default=None)


def _measure_json(m: MeasureInstance) -> CreatorMeasureLine:
    return CreatorMeasureLine(m.kind, m.cause, m.rule, m.starts_at, m.ends_at, m.privilege, _named(m.kind))


def _sanction_json(m: SanctionInstance) -> CreatorMeasureLine:
    privilege = next(iter(MEASURE_REMOVES[m.kind])) if m.kind == "privilege_revoked" else None  # a points ladder's step names no privilege
    return CreatorMeasureLine(m.kind, f"threshold-{m.threshold}", "CR-7", m.starts_at, m.ends_at, privilege, _named(m.kind))


def appeal_statuses(ctx: Context, principal: Principal, creator_id: str) -> dict[str, str]:
    """Each appealed violation's latest appeal: `pending`, or its outcome (CR-11, shown in the creator centre, CR-13)."""
    require(principal, "creator.read", creator_id=creator_id)
    with ctx.db.read() as s:
        filed = sorted(s.query(Appeal).filter(Appeal.creator_id == creator_id), key=lambda a: a.number)
        outcome = dict(s.query(AppealDecision.appeal_id, AppealDecision.outcome).filter(AppealDecision.creator_id == creator_id))
    return {a.violation_id: outcome.get(a.appeal_id, "pending") for a in filed}


def notices(ctx: Context, principal: Principal, creator_id: str, at: datetime | None, lang: str = "en") -> list[CreatorNotice]:
    """Every notice due to the creator by `at` (CR-4): violations, measures, their ends, appeal decisions."""
    pack, _, st = standing(ctx, principal, creator_id, at)
    out = []
    for n in st.notices:
        en, zh = render_creator(n, pack, "en"), render_creator(n, pack, "zh")
        main = zh if lang == "zh" else en
        out.append(CreatorNotice(n.id, n.kind, n.sent_at, main.title, main.body, n.rule, n.violation_id, pack.version,
                                 {"en": NoticeText(en.title, en.body), "zh": NoticeText(zh.title, zh.body)}))
    return out
