"""Statements of reasons (DSA Art. 17): recorded in the transaction that applies the measure, listed,
and exported to the Transparency Database in batches of at most 100 (API.md "Statements of reasons").

Two ways a measure reaches `record`:
- a measure point that writes the measure (a ban, a hidden review, a content action, a DY-QL-4
  determination) calls `record(...)` with its `Measure`, in its own transaction;
- a sanction (shop ladder) or a creator measure is derived by the fold, so it starts when a violation
  is written: `store.violations.add` notes the subject on the session, and just before that transaction
  commits (`Database.before_commit`, installed by `install`) the subject's ledger is folded inside
  the transaction and every sanction instance started so far gets its statement. The importer's bulk
  path (`add_many`) notes nothing, to keep its rate: imported history is stated by `backfill`
  (`shopwarden statements backfill`), which is idempotent like the rest.
Both are idempotent: the puid is a function of (kind, measure id) and a unique key, and a subject's
already-stated puids are read first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from shopwarden import metrics
from shopwarden.core.dsa import transparency
from shopwarden.core.dsa.render import render
from shopwarden.core.dsa.statement import Measure, build, puid_of
from shopwarden.core.ledger.events import Event
from shopwarden.core.ledger.standing import SanctionInstance, fold
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context, commit_hook
from shopwarden.store import events, noted, products, shops, statements, violations
from shopwarden.store.bans import BanRow, MatchAction
from shopwarden.store.creators import ContentAction
from shopwarden.store.experience import QualityDetermination
from shopwarden.store.reviews import ReviewHide
from shopwarden.store.statements import StatementRow

# How a violation came to be, from the note its writer gives it (the ledger keeps no other mark):
AUTO_NOTE = "issued automatically"  # service/consequences.py: a detector's finding issued by the pack alone
CASE_NOTE = "case "  # service/cases.py: a detector's finding a person decided
CONTENT_NOTE = "content "  # service/content.py: a creator's content scan issued it


STATED = "stated_measure_kinds"  # session.info: the kinds of the measures stated in this transaction, counted once it commits


@commit_hook("statements")
def install(ctx: Context) -> None:
    """State sanctions and creator measures when a transaction that wrote violations commits; count
    the measures stated once it has committed."""
    ctx.db.before_commit["statements"] = lambda session: on_commit(ctx, session)
    ctx.db.after_commit["measures"] = count_measures


def record(session: Session, ctx: Context, pack: PolicyPack, m: Measure) -> str:
    """The statement of `m`, stored in the caller's transaction (a second call for one measure stores nothing)."""
    return record_many(session, ctx, [(pack, m)])[0]


def record_many(session: Session, ctx: Context, measures: list[tuple[PolicyPack, Measure]]) -> list[str]:
    """`record` for many measures in one statement; their puids, in order."""
    rows = []
    for pack, m in measures:
        body = build(m, pack)
        rows.append({"puid": body["puid"], "measure_kind": m.kind, "measure_id": m.measure_id, "shop_id": m.shop_id,
                     "creator_id": m.creator_id, "applied_at": m.starts_at, "policy_id": pack.id, "policy_version": pack.version,
                     "body": body, "submission": transparency.submission(body, pack), "recorded_at": ctx.clock()})
    added = statements.add_many(session, rows)
    session.info.setdefault(STATED, []).extend(r["measure_kind"] for r in rows if r["puid"] in added)
    return [r["puid"] for r in rows]


def count_measures(session: Session) -> None:
    """`shopwarden_measures_total` by kind: the one place measures are counted. Every measure of every
    kind (a sanction the fold starts, a ban, a content action, a hidden review, a DY-QL-4 measure)
    gets exactly one statement, inserted once (its puid is unique); so counting the statements that
    went in, after their transaction committed, counts each measure once and never one rolled back.
    prometheus-client's multiprocess mode sums the counts of every worker and consumer process."""
    for kind in session.info.pop(STATED, ()):
        metrics.MEASURES.labels(kind).inc()


def link(kind: str, measure_id: str) -> str:
    """Where a measure's record points to its statement: by kind and measure id, no hash on the health path
    (ids are of API.md's Id pattern, so nothing needs quoting)."""
    return f"/v1/statements?kind={kind}&measure_id={measure_id}"


def sanction_link(shop_id: str, s: SanctionInstance) -> str:
    return link(f"sanction.{s.kind}", f"{shop_id}:{s.id}")


def in_sanction_notices(ctx: Context, shop_id: str, history: list[SanctionInstance]) -> dict[str, list[dict[str, Any]]]:
    """The statements each sanction notice carries (by the notice's subject and instant), as the notice shows them."""
    wanted: dict[tuple[str, datetime], list[str]] = {}
    for s in history:
        wanted.setdefault((f"{s.point_class}-{s.threshold}", s.starts_at), []).append(puid_of(f"sanction.{s.kind}", f"{shop_id}:{s.id}"))
    if not wanted:
        return {}
    with ctx.db.read() as session:
        rows = {r.puid: r for r in statements.by_puids(session, [p for ps in wanted.values() for p in ps])}
    return {f"{subject}@{at.isoformat()}": [notice_json(rows[p]) for p in ps if p in rows] for (subject, at), ps in wanted.items()}


def notice_json(r: StatementRow) -> dict[str, Any]:
    return {"puid": r.puid, "url": f"/v1/statements?puid={r.puid}", "text": {"en": render(r.body, "en"), "zh": render(r.body, "zh")}}


def on_commit(ctx: Context, session: Session) -> None:
    touched, rows = session.info.pop(noted.SUBJECTS, None), session.info.pop(noted.MEASURES, None)
    if not touched and not rows:
        return
    session.flush()
    for row in rows or ():
        if inspect(row).persistent:  # a row added in a savepoint that rolled back is no measure
            for pack, m in _MEASURES[type(row)](session, ctx, row, rows):
                record(session, ctx, pack, m)
    ordered = sorted(touched or (), key=lambda t: (t[0] or "", t[1] or ""))
    shop_ids = [shop_id for shop_id, _ in ordered if shop_id is not None]
    ledgers = events.ledgers_at_commit(session, shop_ids)  # one read, shared with the outbox hook
    done = statements.puids_of_shops(session, shop_ids)  # one read for every touched shop
    due: list[Due] = []
    for shop_id in dict.fromkeys(shop_ids):
        due += due_sanctions(ctx, shop_id, ledgers[shop_id], done.get(shop_id, set()))
    if due:
        record_many(session, ctx, sanction_measures(session, due))
    for _, creator_id in ordered:
        if creator_id is not None:
            creator_measures(session, ctx, creator_id)


Stated = list[tuple[PolicyPack, Measure]]  # the measures a written row applies, each with the pack that states it
Ledger = tuple[str | None, list[Event]]  # a shop's (policy id, ledger events) as read


def _shop_pack(session: Session, ctx: Context, shop_id: str) -> PolicyPack:
    shop = shops.get(session, shop_id)
    if shop is None:
        raise NotFound.no("shop", shop_id)
    return ctx.pack(shop.policy_id)


def _listed_at(session: Session, product_id: str, version: int, default: datetime) -> datetime:
    v = products.version(session, product_id, version)
    return v.submitted_at if v is not None else default


def _ban(session: Session, ctx: Context, b: BanRow, batch: list[Any]) -> Stated:
    """DY-LQ-6: a product banned by a person, or automatically on its positive-review rate (DY-LQ-1).
    A ban by the sweep (DY-LQ-3) is stated with its match action."""
    if b.rule != "DY-LQ-6":
        return []
    auto = b.reason == "low_positive_rate"
    return [(_shop_pack(session, ctx, b.shop_id), Measure(
        kind="listing.banned", measure_id=b.ban_id, subject_id=b.product_id, shop_id=b.shop_id, creator_id=None, starts_at=b.banned_at,
        ends_at=None, content_at=_listed_at(session, b.product_id, b.product_version, b.banned_at), ground_key=_type_of(session, b.violation_id),
        rules=("DY-LQ-1", "DY-LQ-6") if auto else ("DY-LQ-5", "DY-LQ-6"), facts=(("reason", b.reason), ("severity", b.severity)),
        detected_by_machine=auto, decided="fully" if auto else "not"))]


_MATCH_KINDS = {"banned": "listing.banned", "taken_down": "listing.taken_down", "intercepted": "listing.intercepted", "rejected": "listing.rejected"}


def _match(session: Session, ctx: Context, a: MatchAction, batch: list[Any]) -> Stated:
    """DY-LQ-2..4: a listing found to be the same product as a banned one, by the fingerprint match alone."""
    kind = _MATCH_KINDS.get(a.action)
    if kind is None:  # exempted, ban_lifted: a measure ending, not one applied
        return []
    score = (a.match or {}).get("score")
    facts = (("banned_product", (a.match or {}).get("banned_product_id") or a.ban_id), ("match_score", round(score, 3) if score is not None else "-"))
    return [(_shop_pack(session, ctx, a.shop_id), Measure(
        kind=kind, measure_id=a.action_id, subject_id=a.product_id, shop_id=a.shop_id, creator_id=None, starts_at=a.at, ends_at=None,
        content_at=_listed_at(session, a.product_id, a.product_version, a.at), ground_key=None, rules=(a.rule,), facts=facts,
        detected_by_machine=True, decided="fully", redress="dispute"))]


_CONTENT_KINDS = ("links_removed", "content_removed", "content_blocked")


def _content(session: Session, ctx: Context, a: ContentAction, batch: list[Any]) -> Stated:
    """CR-9 on a piece of content: by the scan's findings alone, or by an operator's decision (CR-6)."""
    if a.kind not in _CONTENT_KINDS or a.rule == "DSA Art. 16":  # a notice's measure is stated by the notice (service/notices.py)
        return []
    creator = statements.creator(session, a.creator_id)
    if creator is None:
        raise NotFound.no("creator", a.creator_id)
    person = any(isinstance(r, ContentAction) and r.content_id == a.content_id and r.kind.startswith("decided_") for r in batch)
    return [(ctx.pack(creator.policy_id), Measure(
        kind=f"creator.{a.kind}", measure_id=a.action_id, subject_id=a.content_id, shop_id=None, creator_id=a.creator_id, starts_at=a.at,
        ends_at=None, content_at=a.at, ground_key=None, rules=(a.rule,), facts=(("findings", a.reason if not person else "decided by an operator"),),
        detected_by_machine=True, decided="not" if person else "fully"))]


def _hide(session: Session, ctx: Context, h: ReviewHide, batch: list[Any]) -> Stated:
    """RV-6: a review hidden on a seller's report, decided by a person (RV-1). The reviewer has no appeal route here."""
    return [(_shop_pack(session, ctx, h.shop_id), Measure(
        kind="review.hidden", measure_id=h.review_id, subject_id=h.review_id, shop_id=h.shop_id, creator_id=None, starts_at=h.hidden_at,
        ends_at=None, content_at=h.hidden_at, ground_key="review_report", rules=("RV-1", h.rule), facts=(("report", h.report_id),),
        detected_by_machine=False, decided="not", source="report", redress="none"))]


def _quality(session: Session, ctx: Context, d: QualityDetermination, batch: list[Any]) -> Stated:
    """DY-QL-4's measures of a DY-QL-3 determination, computed from the shop's indicators by the pack's rules."""
    pack = _shop_pack(session, ctx, d.shop_id)
    out: Stated = []
    for i, m in enumerate(d.measures):
        facts = (("subject", d.subject), ("occurrence", d.occurrence), *((k, m[k]) for k in ("limit_per_day", "amount") if k in m))
        out.append((pack, Measure(
            kind=f"quality.{m['kind']}", measure_id=f"{d.determination_id}:{i}", subject_id=d.subject, shop_id=d.shop_id, creator_id=None,
            starts_at=_instant(m["starts_at"]) or d.at, ends_at=_instant(m.get("ends_at")), content_at=d.at, ground_key=_type_of(session, d.violation_id),
            rules=("DY-QL-3", "DY-QL-4"), facts=facts, detected_by_machine=True, decided="fully")))
    return out


def _instant(value: str | datetime | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value


def _type_of(session: Session, violation_id: str | None) -> str | None:
    v = violations.get(session, violation_id) if violation_id else None
    return v.type if v is not None else None


_MEASURES: dict[type, Callable[[Session, Context, Any, list[Any]], Stated]] = {BanRow: _ban, MatchAction: _match, ContentAction: _content, ReviewHide: _hide, QualityDetermination: _quality}


def shop_sanctions(session: Session, ctx: Context, shop_id: str, read: Ledger | None = None) -> Stated:
    """Every sanction the shop's ledger has started so far and not yet stated (TT-PTS-5: a sanction
    starts at the violation that crosses the threshold, which this transaction may have just written):
    the measures for `record_many`. `read`: the shop's (policy id, ledger) as read in this transaction already."""
    return sanction_measures(session, due_sanctions(ctx, shop_id, read or events.shop_ledger_in(session, shop_id), None, session))


Due = tuple[PolicyPack, str, str, SanctionInstance]  # (pack, shop id, measure id, the sanction)


def due_sanctions(ctx: Context, shop_id: str, read: Ledger, done: set[str] | None, session: Session | None = None) -> list[Due]:
    """The shop's sanctions not yet stated, from its (policy id, ledger) and its stated puids (`done`;
    None: read them through `session`)."""
    policy_id, ledger = read
    if policy_id is None:
        return []
    pack = ctx.pack(policy_id)
    horizon = max([ctx.clock(), *(e.at for e in ledger)])
    history = fold(pack, ledger, horizon).history
    if done is None:
        done = statements.puids(session, shop_id=shop_id) if history and session is not None else set()
    return [(pack, shop_id, f"{shop_id}:{x.id}", x) for x in history if puid_of(f"sanction.{x.kind}", f"{shop_id}:{x.id}") not in done]


def sanction_measures(session: Session, due: list[Due]) -> list[tuple[PolicyPack, Measure]]:
    """The measures of due sanctions, the violations that crossed each threshold read in one query."""
    causes = statements.crossing_shops(session, [(shop_id, x.starts_at) for _, shop_id, _, x in due])
    return [(pack, _sanction(shop_id, mid, x, causes.get((shop_id, x.starts_at), []))) for pack, shop_id, mid, x in due]


def _sanction(shop_id: str, mid: str, s: SanctionInstance, causes: list[Any]) -> Measure:
    auto = [c for c in causes if (c.note or "").startswith(AUTO_NOTE)]
    found = auto or [c for c in causes if (c.note or "").startswith(CASE_NOTE)]
    top = max(causes, key=lambda c: c.points, default=None)
    facts = (("threshold", s.threshold), ("point_class", s.point_class), ("level", s.level),
             ("violations", ", ".join(f"{c.violation_id} ({c.type}, {c.points} points)" for c in causes) or "-"))
    return Measure(kind=f"sanction.{s.kind}", measure_id=mid, subject_id=shop_id, shop_id=shop_id, creator_id=None, starts_at=s.starts_at,
                   ends_at=s.ends_at, content_at=s.starts_at, ground_key=top.type if top else None, rules=("TT-PTS-3", "TT-PTS-5"),
                   facts=facts, detected_by_machine=bool(found), decided="fully" if causes and len(auto) == len(causes) else "partially")


def creator_measures(session: Session, ctx: Context, creator_id: str) -> None:
    """As `shop_sanctions`, for a creator's fold (CR-7): milestones, repeat rules or the points ladder."""
    from shopwarden.core.ledger.creator_score import creator_fold
    from shopwarden.service.creators import (  # creators build on violations, which this module's hook serves
        ledger,
        rules_of,
    )

    row = statements.creator(session, creator_id)
    if row is None:
        return
    pack = ctx.pack(row.policy_id)
    ledger_events, credits = ledger(session, creator_id)
    horizon = max([ctx.clock(), *(e.at for e in ledger_events)])
    done = statements.puids(session, creator_id=creator_id)
    for m in creator_fold(rules_of(pack), ledger_events, horizon, credits).history:
        mid = f"{creator_id}:{m.id}"
        if puid_of(f"creator.{m.kind}", mid) in done:
            continue
        causes = statements.crossing(session, m.starts_at, creator_id=creator_id)
        scanned = [c for c in causes if (c.note or "").startswith(CONTENT_NOTE)]
        cause = getattr(m, "cause", None) or f"threshold {getattr(m, 'threshold', '-')}"  # a points-ladder measure names its threshold
        facts = (("cause", cause), ("violations", ", ".join(f"{c.violation_id} ({c.type})" for c in causes) or "-"))
        record(session, ctx, pack, Measure(
            kind=f"creator.{m.kind}", measure_id=mid, subject_id=creator_id, shop_id=None, creator_id=creator_id, starts_at=m.starts_at,
            ends_at=m.ends_at, content_at=m.starts_at, ground_key=None, rules=(getattr(m, "rule", "CR-9"),), facts=facts,
            detected_by_machine=bool(scanned), decided="fully" if causes and len(scanned) == len(causes) else "partially",
            redress="none" if m.kind == "warning" else "appeal"))


def backfill(ctx: Context, principal: Principal, batch: int = 500) -> int:
    """State every shop's and creator's sanctions and measures not yet stated (after a bulk import);
    one transaction per `batch` subjects; returns how many statements were added."""
    require(principal, "statement.export")
    with ctx.db.read() as s:
        subjects = [(sid, None) for sid in statements.all_shops(s)] + [(None, cid) for cid in statements.all_creators(s)]
    added = 0
    for i in range(0, len(subjects), batch):
        with ctx.db.transaction() as s:
            before = statements.count(s)
            s.info[noted.SUBJECTS] = set(subjects[i : i + batch])
            on_commit(ctx, s)
            s.info.pop(STATED, None)  # history stated late: measures applied before this run, not counted as applied now
            added += statements.count(s) - before
    return added


# ---- reading and exporting ----

@dataclass(frozen=True, slots=True)
class Query:
    since: datetime | None = None
    until: datetime | None = None
    shop_id: str | None = None
    creator_id: str | None = None
    measure_id: str | None = None
    puid: str | None = None
    kind: str | None = None
    after: int = 0
    limit: int = 100


@dataclass(frozen=True, slots=True)
class Page:
    items: list[dict[str, Any]]
    next: int | None

    def as_json(self) -> dict[str, Any]:
        return {"items": self.items, "next": self.next}


@dataclass
class Export:
    batches: list[dict[str, Any]] = field(default_factory=list)  # {"statements": [...]}, each ready to submit
    withheld: list[dict[str, Any]] = field(default_factory=list)  # batches that failed the check: not produced
    next: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"batches": self.batches, "withheld": self.withheld, "next": self.next}


def _check_range(q: Query) -> None:
    if q.since and q.until and q.until <= q.since:
        raise InvalidInput.one("until", f"must be after since ({q.since.isoformat()})")


def search(ctx: Context, principal: Principal, q: Query) -> Page:
    """Statements of measures applied in [since, until): operators and the platform all, a seller its own
    shop's, a creator its own; each as stored, with its zh and en text and its Transparency Database form."""
    _check_range(q)
    shop_id = principal.shop_id if principal.role == "seller" else q.shop_id
    creator_id = principal.creator_id if principal.role == "creator" else q.creator_id
    require(principal, "statement.read", shop_id if principal.role == "seller" else None,
            creator_id if principal.role == "creator" else None)
    f = statements.Filter(q.since, q.until, shop_id, creator_id, q.measure_id, q.kind, puid=q.puid)
    with ctx.db.read() as s:
        rows = statements.page(s, f, q.after, q.limit + 1)
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    return Page([statement_json(r) for r in rows], rows[-1].seq if more else None)


def statement_json(r: StatementRow) -> dict[str, Any]:
    return {**r.body, "measure_id": r.measure_id, "applied_at": r.applied_at, "text": {"en": render(r.body, "en"), "zh": render(r.body, "zh")},
            "transparency_database": r.submission}


def export(ctx: Context, principal: Principal, since: datetime | None, until: datetime | None, after: int = 0, max_batches: int = 10) -> Export:
    """Transparency Database batches of at most 100 statements, in recorded order: each batch passes the
    format's checks or is withheld whole (listed with its problems). No statement in range: no batch."""
    require(principal, "statement.export")
    _check_range(Query(since=since, until=until))
    out = Export()
    f = statements.Filter(since, until, exported_only=True)
    with ctx.db.read() as s:
        for _ in range(max_batches):
            rows = statements.page(s, f, after, transparency.BATCH)
            if not rows:
                return out
            after = rows[-1].seq
            batch = [r.submission for r in rows if r.submission is not None]  # exported_only: each has one
            found = transparency.problems(batch)
            if found:
                out.withheld.append({"puids": [b["puid"] for b in batch], "problems": found})
            else:
                out.batches.append({"statements": batch})
        out.next = after if statements.page(s, f, after, 1) else None
    return out
