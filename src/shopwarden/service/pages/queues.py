"""The operator console's queues (web/queues.py): how many items wait in each, and each queue's items
with what its rows show (violation type, brand name, the shop's time zone)."""

from __future__ import annotations

from typing import Any

from shopwarden.service import appeals as appeal_cases
from shopwarden.service import brands as brand_cases
from shopwarden.service import cases as review_cases
from shopwarden.service import poor_quality, review_reports
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import appeals as appeal_store
from shopwarden.store import brands as brand_store
from shopwarden.store import cases as case_store
from shopwarden.store import notices as notice_store
from shopwarden.store import open_items
from shopwarden.store import review_reports as report_store
from shopwarden.store import shops as shop_store
from shopwarden.store import violations as violation_store


def queue_counts(ctx: Context, principal: Principal) -> dict[str, int]:
    """How many items wait in each operator queue, by kind: appeals, detector cases, review
    reports, same-product disputes (`match_dispute`), brand qualifications, creators' content and
    open poor-quality determinations (DY-QL-3), undecided notices (DSA Art. 16) and internal complaints (Art. 20)."""
    for action in ("appeal.queue", "case.read", "review_report.read", "qualification.review", "experience.determine", "notice.decide",
                   "complaint.decide"):
        require(principal, action)
    with ctx.db.read() as s:
        return {"appeal": appeal_store.count_pending(s), "case": case_store.count_open(s, not_subject_kind=case_store.DISPUTE),
                "review_report": report_store.count_pending(s), case_store.DISPUTE: case_store.count_open(s, subject_kind=case_store.DISPUTE),
                "qualification": brand_store.count_pending(s), "content": open_items.count(s, "content"),
                "determination": poor_quality.count_open(s), "notice": notice_store.count_pending(s),
                "complaint": notice_store.count_pending_complaints(s)}


def appeal_queue(ctx: Context, principal: Principal, shop_id: str | None, limit: int) -> list[dict[str, Any]]:
    """Pending appeals, oldest first, each with its violation's type and its shop's time zone."""
    rows = [a.as_json() for a in appeal_cases.queue(ctx, principal, shop_id, limit)]
    with ctx.db.read() as s:
        vs = violation_store.summaries(s, [r["violation_id"] for r in rows])
        policies = shop_store.policy_ids(s, list({v.shop_id for v in vs.values()}))
    out = []
    for r in rows:
        v = vs[r["violation_id"]]
        pack = ctx.pack(policies[v.shop_id])
        vt = pack.types.get(v.type)
        out.append(r | {"shop_id": v.shop_id, "type": v.type, "type_name": {"en": vt.name.en, "zh": vt.name.zh} if vt else None,
                        "points": v.points, "timezone": pack.calendar.timezone})
    return out


def case_queue(ctx: Context, principal: Principal, status: str | None, rule: str | None, shop_id: str | None, limit: int,
               subject_kind: str | None = None, not_subject_kind: str | None = None) -> list[dict[str, Any]]:
    """Review cases, oldest first, each with its shop's time zone."""
    rows = [c.as_json() for c in review_cases.search(ctx, principal, status, rule, shop_id, limit, subject_kind, not_subject_kind)]
    with ctx.db.read() as s:
        policies = shop_store.policy_ids(s, list({r["shop_id"] for r in rows}))
    return [r | {"timezone": ctx.pack(policies[r["shop_id"]]).calendar.timezone} for r in rows]


def qualification_queue(ctx: Context, principal: Principal, pending: bool, shop_id: str | None, limit: int) -> list[dict[str, Any]]:
    """Brand qualifications, oldest filed first: pending ones (to review within DY-BQ-1's 1–3
    working days), or the decided ones; each with its brand's name and its shop's time zone."""
    rows = [q.as_json() for q in brand_cases.list_(ctx, principal, None, pending) if shop_id is None or q.shop_id == shop_id]
    rows = (rows if pending else [q for q in rows if q["status"] != "pending"])[:limit]
    with ctx.db.read() as s:
        names = {b.brand_id: b.name for b in brand_store.all_brands(s)}
        policies = shop_store.policy_ids(s, list({q["shop_id"] for q in rows}))
    return [q | {"brand_name": names.get(q["brand_id"]), "timezone": ctx.pack(policies[q["shop_id"]]).calendar.timezone} for q in rows]


def report_queue(ctx: Context, principal: Principal, status: str | None, shop_id: str | None, limit: int) -> list[dict[str, Any]]:
    """Review reports in `status` (None: all), oldest first, each with its shop's time zone."""
    require(principal, "review_report.decide")
    rows = [r.as_json() for r in review_reports.queue(ctx, principal, status, shop_id, limit, 0).reports]
    with ctx.db.read() as s:
        policies = shop_store.policy_ids(s, list({r["shop_id"] for r in rows}))
    return [r | {"id": r["report_id"], "timezone": ctx.pack(policies[r["shop_id"]]).calendar.timezone} for r in rows]
