"""Use cases for creators (CR-5..13): keep a creator, earn credits, issue a creator's violation,
and read its standing and notices as of `at` — by its pack's model (CR-7)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

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
from shopwarden.service.times import event_time
from shopwarden.service.violation_rows import revoked_at_of
from shopwarden.store import appeals, creators, revocations, shops, subject_locks, violations
from shopwarden.store import events as shop_events
from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.creators import CreatorRow
from shopwarden.store.reviews import OrderRow
from shopwarden.store.revocations import Revocation
from shopwarden.store.violations import Violation

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


def rules_of(pack: PolicyPack, field: str = "policy") -> HealthScoreRules | PointsRules:
    if pack.creators is None:
        with_section = ", ".join(p for p in ("tiktok-shop", "tiktok-shop-chr"))
        raise InvalidInput.one(field, f"policy {pack.id!r} has no creators section (CR-7); use one that has, e.g. {with_section}")
    return pack.creators


def creator_json(row: CreatorRow, pack: PolicyPack) -> dict[str, Any]:
    return {"creator_id": row.creator_id, "name": row.name, "policy": row.policy_id, "shop_id": row.shop_id,
            "model": rules_of(pack).model, "own_account": row.shop_id is not None}


def put(ctx: Context, principal: Principal, creator_id: str, data: CreatorInput) -> tuple[dict[str, Any], bool]:
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


def _creator(s, creator_id: str) -> CreatorRow:
    row = creators.get(s, creator_id)
    if row is None:
        raise NotFound(f"no creator {creator_id!r}; create it with PUT /v1/creators/{{creator_id}}")
    return row


def get(ctx: Context, principal: Principal, creator_id: str) -> dict[str, Any]:
    require(principal, "creator.read", creator_id=creator_id)
    with ctx.db.read() as s:
        row = _creator(s, creator_id)
    return creator_json(row, ctx.pack(row.policy_id))


def add_credit(ctx: Context, principal: Principal, creator_id: str, data: CreditInput) -> tuple[dict[str, Any], bool]:
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
            return _credit_json(creators.credit_by_ref(s, creator_id, data.kind, data.ref)), False
    return _credit_json(creators.CreditRow(**credit)), True


def _credit_json(row) -> dict[str, Any]:
    return {"credit_id": row.credit_id, "creator_id": row.creator_id, "kind": row.kind, "ref": row.ref, "amount": row.amount, "at": row.at}


# ---- creator violations (POST /v1/violations with creator_id) ----


def violation_row(pack: PolicyPack, creator: CreatorRow, body: dict, issued_at: datetime, now: datetime, key_id: str) -> dict[str, Any]:
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


def issue_violation(ctx: Context, principal: Principal, body: dict) -> dict[str, Any]:
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


def ledger(s, creator_id: str) -> tuple[list[Event], CreditSeries]:
    """The creator's events (violations, appeals, decisions, revocations) and its credits as columns (CR-7)."""
    out: list[Event] = []
    for v in s.query(Violation).filter(Violation.creator_id == creator_id):
        out.append(ViolationIssued(v.violation_id, v.issued_at, v.type, v.severity, v.points, v.point_class, v.expires_at))
    for a in s.query(Appeal).filter(Appeal.creator_id == creator_id):
        out.append(AppealFiled(a.appeal_id, a.violation_id, a.number, a.filed_at))
    for d in s.query(AppealDecision).filter(AppealDecision.creator_id == creator_id):
        out.append(AppealDecided(d.appeal_id, d.violation_id, d.outcome, d.decided_at, d.reason, d.decided_by))
    for r in s.query(Revocation).filter(Revocation.creator_id == creator_id):
        out.append(ViolationRevoked(r.violation_id, r.revoked_at, r.reason))
    credits = [CreditEarned(c.credit_id, c.at, c.kind, c.amount) for c in creators.credits(s, creator_id)]
    return out, CreditSeries(credits)


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
                  for o in s.query(OrderRow).filter(OrderRow.creator_id == creator_id, OrderRow.commission.is_not(None))]
        fates = []
        for v in s.query(Violation).filter(Violation.creator_id == creator_id, Violation.content_id.is_not(None), Violation.issued_at <= at):
            fates.append(_fate(appeal_pack, v, appeals.of_violation(s, v.violation_id), revocations.get(s, v.violation_id), at))
    history = st.history
    holds = [Hold(m.starts_at, m.ends_at) for m in history if m.kind == "commission_frozen"]
    return commission_fold(earned, fates, holds, at)


def _fate(pack: PolicyPack, v: Violation, history, outright, at: datetime) -> ViolationFate:
    """Where a content violation stands for its commissions (CR-10): revoked, still open, or final."""
    revoked = revoked_at_of(history, outright, at)
    if revoked is not None:
        return ViolationFate(v.violation_id, v.content_id, v.issued_at, "revoked", revoked)
    records = [AppealRecord(a.appeal_id, a.number, a.filed_at, d.outcome if d and d.decided_at <= at else "pending",
                            d.decided_at if d and d.decided_at <= at else None) for a, d in history if a.filed_at <= at]
    if any(r.status == "pending" for r in records):
        return ViolationFate(v.violation_id, v.content_id, v.issued_at, "open", max(r.filed_at for r in records))
    window = appeal_window(pack, v.issued_at, None, records, at)
    return ViolationFate(v.violation_id, v.content_id, v.issued_at, "open" if window.open else "forfeited", v.issued_at)


def commissions_json(items: list[CommissionState]) -> dict[str, Any]:
    sums = commission_totals(items)
    if len(sums) <= 1:
        currency, figures = next(iter(sums.items()), (None, {"frozen": Decimal(0), "forfeited": Decimal(0)}))
        return {"frozen": float(figures["frozen"]), "forfeited": float(figures["forfeited"]), "currency": currency,
                "orders": [_commission_json(c) for c in items if c.status != "payable"]}
    return {"frozen": None, "forfeited": None, "currency": None,
            "by_currency": {cur: {k: float(v) for k, v in f.items()} for cur, f in sums.items()},
            "orders": [_commission_json(c) for c in items if c.status != "payable"]}


def _commission_json(c: CommissionState) -> dict[str, Any]:
    return {"order_id": c.order_id, "amount": float(c.amount), "currency": c.currency, "status": c.status, "violation_id": c.violation_id}


def health(ctx: Context, principal: Principal, creator_id: str, at: datetime | None) -> dict[str, Any]:
    pack, row, st = standing(ctx, principal, creator_id, at)
    rules = rules_of(pack)
    with ctx.db.read() as s:
        found_in = dict(s.query(Violation.violation_id, Violation.content_id).filter(Violation.creator_id == creator_id))
    out: dict[str, Any] = {"creator_id": creator_id, "at": st.at, "policy": pack.id, "policy_version": pack.version, "model": rules.model}
    if isinstance(st, ScoreStanding):
        out |= {"score": st.score, "band": st.band, "next_milestone": st.next_milestone, "points": None, "level": None, "next_threshold": None,
                "measures": [_measure_json(m) for m in st.measures], "privileges": st.privileges,
                "violations": [{"id": v.violation_id, "type": v.type, "severity": v.severity, "deduction": v.deduction,
                                "content_id": found_in.get(v.violation_id), "issued_at": v.issued_at, "status": v.status} for v in st.violations]}
    else:
        out |= {"score": None, "band": None, "next_milestone": None, "points": st.points, "level": st.level, "next_threshold": st.next_threshold,
                "points_to_next": st.points_to_next, "warning": st.warning,
                "measures": [_sanction_json(m) for m in st.sanctions], "privileges": st.privileges,
                "violations": [{"id": v.violation_id, "type": v.type, "severity": v.severity, "points": v.points,
                                "content_id": found_in.get(v.violation_id), "issued_at": v.issued_at, "status": v.status} for v in st.violations]}
    out["commissions"] = commissions_json(commission_states(ctx, creator_id, pack, st))
    gone = _shop_deactivated(ctx, row, st.at)
    if gone is not None:  # CR-12: a deactivated shop takes its own account's e-commerce rights
        out["measures"].append({"kind": "rights_removed", "reason": "shop-deactivated", "rule": "CR-12", "starts_at": gone, "ends_at": None,
                                "privilege": None, "name": {"en": measure_name("rights_removed", "en"), "zh": measure_name("rights_removed", "zh")}})
        out["privileges"] |= {p: False for p in ("promote_products", "live_selling", "showcase")}
    return out


def privileges_at(ctx: Context, creator: CreatorRow, at: datetime) -> tuple[dict[str, bool], dict[str, str]]:
    """The creator's privileges at `at` and, for each one taken away, the measure that took it (CR-9, CR-12)."""
    with ctx.db.read() as s:
        events, credits = ledger(s, creator.creator_id)
    pack = ctx.pack(creator.policy_id)
    st = creator_fold(rules_of(pack), events, at, credits)
    privileges = dict(st.privileges)
    why: dict[str, str] = {}
    for m in (st.measures if isinstance(st, ScoreStanding) else st.sanctions):
        removes = m.removes if isinstance(m, MeasureInstance) else rules_of(pack).sanction_removes.get(m.kind, frozenset())
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


def _measure_json(m: MeasureInstance) -> dict[str, Any]:
    return {"kind": m.kind, "reason": m.cause, "rule": m.rule, "starts_at": m.starts_at, "ends_at": m.ends_at,
            "privilege": m.privilege, "name": {"en": measure_name(m.kind, "en"), "zh": measure_name(m.kind, "zh")}}


def _sanction_json(m: SanctionInstance) -> dict[str, Any]:
    privilege = next(iter(MEASURE_REMOVES[m.kind])) if m.kind == "privilege_revoked" else None  # a points ladder's step names no privilege
    return {"kind": m.kind, "reason": f"threshold-{m.threshold}", "rule": "CR-7", "starts_at": m.starts_at, "ends_at": m.ends_at,
            "privilege": privilege, "name": {"en": measure_name(m.kind, "en"), "zh": measure_name(m.kind, "zh")}}


def appeal_statuses(ctx: Context, principal: Principal, creator_id: str) -> dict[str, str]:
    """Each appealed violation's latest appeal: `pending`, or its outcome (CR-11, shown in the creator centre, CR-13)."""
    require(principal, "creator.read", creator_id=creator_id)
    with ctx.db.read() as s:
        filed = sorted(s.query(Appeal).filter(Appeal.creator_id == creator_id), key=lambda a: a.number)
        outcome = dict(s.query(AppealDecision.appeal_id, AppealDecision.outcome).filter(AppealDecision.creator_id == creator_id))
    return {a.violation_id: outcome.get(a.appeal_id, "pending") for a in filed}


def notices(ctx: Context, principal: Principal, creator_id: str, at: datetime | None, lang: str = "en") -> list[dict[str, Any]]:
    """Every notice due to the creator by `at` (CR-4): violations, measures, their ends, appeal decisions."""
    pack, _, st = standing(ctx, principal, creator_id, at)
    out = []
    for n in st.notices:
        en, zh = render_creator(n, pack, "en"), render_creator(n, pack, "zh")
        main = zh if lang == "zh" else en
        out.append({"id": n.id, "kind": n.kind, "sent_at": n.sent_at, "title": main.title, "body": main.body, "rule": n.rule,
                    "violation_id": n.violation_id, "policy_version": pack.version,
                    "i18n": {"en": {"title": en.title, "body": en.body}, "zh": {"title": zh.title, "body": zh.body}}})
    return out
