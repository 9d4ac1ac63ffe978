"""Statements of reasons (DSA Art. 17): recorded in the transaction that applies the measure, listed,
and exported to the Transparency Database in batches of at most 100 (API.md "Statements of reasons").

Two ways a measure reaches `record`:
- a measure point that writes the measure (a ban, a hidden review, a content action, a DY-QL-4
  determination) calls `record(...)` with its `Measure`, in its own transaction;
- a sanction (shop ladder) or a creator measure is derived by the fold, so it starts when a violation
  is written: `store.violations` notes the subject on the session, and just before that transaction
  commits (`Database.before_commit`, installed by `install`) the subject's ledger is folded inside
  the transaction and every sanction instance started so far gets its statement.
Both are idempotent: the puid is a function of (kind, measure id) and a unique key, and a subject's
already-stated puids are read first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.dsa import transparency
from shopwarden.core.dsa.render import render
from shopwarden.core.dsa.statement import Measure, build, puid_of
from shopwarden.core.ledger.standing import SanctionInstance, fold
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import InvalidInput
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import events, shops, statements
from shopwarden.store.violations import TOUCHED

AUTO_NOTE = "issued automatically"  # service/consequences.py: a detector's finding issued by the pack alone
CASE_NOTE = "case "  # service/cases.py: a detector's finding a person decided


def install(ctx: Context) -> None:
    """State sanctions and creator measures when a transaction that wrote violations commits."""
    ctx.db.before_commit = lambda session: on_commit(ctx, session)


def record(session: Session, ctx: Context, pack: PolicyPack, m: Measure) -> str:
    """The statement of `m`, stored in the caller's transaction (a second call for one measure stores nothing)."""
    body = build(m, pack)
    statements.add(session, {"puid": body["puid"], "measure_kind": m.kind, "measure_id": m.measure_id, "shop_id": m.shop_id,
                             "creator_id": m.creator_id, "applied_at": m.starts_at, "policy_id": pack.id, "policy_version": pack.version,
                             "body": body, "submission": transparency.submission(body, pack), "recorded_at": ctx.clock()})
    return body["puid"]


def link(kind: str, measure_id: str) -> str:
    """Where a measure's record points to its statement (its puid is known without a read)."""
    return f"/v1/statements?puid={puid_of(kind, measure_id)}"


def on_commit(ctx: Context, session: Session) -> None:
    touched = session.info.pop(TOUCHED, None)
    if not touched:
        return
    for shop_id, creator_id in sorted(touched, key=lambda t: (t[0] or "", t[1] or "")):
        if shop_id is not None:
            shop_sanctions(session, ctx, shop_id)
        if creator_id is not None:
            creator_measures(session, ctx, creator_id)


def shop_sanctions(session: Session, ctx: Context, shop_id: str) -> None:
    """Every sanction the shop's ledger has started so far, stated once (TT-PTS-5: a sanction starts
    at the violation that crosses the threshold, which this transaction may have just written)."""
    policy_id, ledger = events.shop_ledger_in(session, shop_id)
    if policy_id is None:
        return
    pack = ctx.pack(policy_id)
    horizon = max([ctx.clock(), *(e.at for e in ledger)])
    done = statements.puids(session, shop_id=shop_id)
    for s in fold(pack, ledger, horizon).history:
        mid = f"{shop_id}:{s.id}"
        if puid_of(f"sanction.{s.kind}", mid) not in done:
            record(session, ctx, pack, _sanction(session, shop_id, mid, s))


def _sanction(session: Session, shop_id: str, mid: str, s: SanctionInstance) -> Measure:
    causes = statements.crossing(session, shop_id, s.starts_at)
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
    from shopwarden.service.creators import ledger, rules_of  # creators build on violations, which this module's hook serves

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
        cause = getattr(m, "cause", None) or f"threshold {m.threshold}"
        record(session, ctx, pack, Measure(
            kind=f"creator.{m.kind}", measure_id=mid, subject_id=creator_id, shop_id=None, creator_id=creator_id, starts_at=m.starts_at,
            ends_at=m.ends_at, content_at=m.starts_at, ground_key=None, rules=(getattr(m, "rule", "CR-9"),), facts=(("cause", cause),),
            detected_by_machine=False, decided="partially", redress="none" if m.kind == "warning" else "appeal"))


# ---- reading and exporting ----

@dataclass(frozen=True)
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


@dataclass
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


def statement_json(r) -> dict[str, Any]:
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
            batch = [r.submission for r in rows]
            found = transparency.problems(batch)
            if found:
                out.withheld.append({"puids": [b["puid"] for b in batch], "problems": found})
            else:
                out.batches.append({"statements": batch})
        out.next = after if statements.page(s, f, after, 1) else None
    return out
