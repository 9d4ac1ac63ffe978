"""The seller centre's pages (web/seller.py): the diagnosis with its forecast and points series, the
violation list, the listings awaiting review with their disputes, and the reviews with why each
cannot be reported now (RV-2..4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.detect.listing_subject import listing_fields
from shopwarden.core.ledger.events import AppealDecided, AppealFiled
from shopwarden.core.ledger.series import Series, samples
from shopwarden.core.ledger.standing import Standing, fold
from shopwarden.core.policy.schema import PolicyPack, ReviewReportRules
from shopwarden.errors import Code, Conflict, NotFound
from shopwarden.service import products, review_reports, violations
from shopwarden.service.auth import Principal, require
from shopwarden.service.case_documents import case_json
from shopwarden.service.context import Context
from shopwarden.service.pages.shop import ShopView, image_sizes, ledger_of, shop
from shopwarden.service.review_reports import ReportView
from shopwarden.store import cases as case_store
from shopwarden.store import products as product_store
from shopwarden.store import reviews
from shopwarden.store.review_reports import ReportingAction
from shopwarden.store.reviews import ReviewHide, ReviewRow

REVIEW_LIMIT = 200  # the reviews page lists the shop's newest reviews
FORECAST_MOMENTS = 8  # the diagnosis page shows this many upcoming changes at most
OPEN_LISTING = ("pending_review", "rejected", "taken_down", "banned")


@dataclass(frozen=True)
class Moment:
    """An upcoming change to the standing: a violation expires, or a sanction runs out."""

    at: datetime
    cause: str  # expiry | sanction_end
    subject: str  # the violation id, or the sanction kind
    standing: Standing


def diagnosis(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None) -> tuple[PolicyPack, Standing, list[Moment]]:
    """The standing now and the forecast: the standing replayed at each upcoming expiry of an active
    violation and each end of a sanction in force, from one read of the ledger."""
    pack, ledger = ledger_of(ctx, principal, shop_id)
    now = fold(pack, ledger, at or ctx.clock())
    return pack, now, [Moment(t, cause, subject, fold(pack, ledger, t)) for t, cause, subject in upcoming(now)[:FORECAST_MOMENTS]]


def points_series(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None, back: int = 180, ahead: int = 60) -> Series:
    """The shop's points from `back` days before `at` to `ahead` days after (the forecast, if nothing else happens)."""
    pack, ledger = ledger_of(ctx, principal, shop_id)
    now = at or ctx.clock()
    changes = [e.at for e in ledger] + [e.expires_at for e in ledger if hasattr(e, "expires_at")]
    when = samples(now - timedelta(days=back), now + timedelta(days=ahead), changes + [now])
    lines = [(float(th.points), th.level) for th in pack.ladders.get(pack.primary, ())]
    return Series([(t, float(fold(pack, ledger, t).classes[pack.primary].points)) for t in when], lines, now)


def upcoming(st: Standing) -> list[tuple[datetime, str, str]]:
    moments = {(v.expires_at, "expiry", v.violation_id) for v in st.violations if v.status == "active"}
    moments |= {(s.ends_at, "sanction_end", s.kind) for s in st.sanctions if s.ends_at is not None}
    return sorted(moments)


def violations_of(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None) -> tuple[PolicyPack, Standing, dict[str, str]]:
    """The standing (its `violations`, newest first) and each violation's latest appeal status."""
    pack, ledger = ledger_of(ctx, principal, shop_id)
    st = fold(pack, ledger, at or ctx.clock())
    st.violations.sort(key=lambda v: v.issued_at, reverse=True)
    latest: dict[str, tuple[int, str]] = {}
    outcomes = {e.appeal_id: e.outcome for e in ledger if isinstance(e, AppealDecided) and e.at <= st.at}
    for e in ledger:
        if isinstance(e, AppealFiled) and e.at <= st.at and e.number >= latest.get(e.violation_id, (0, ""))[0]:
            latest[e.violation_id] = (e.number, outcomes.get(e.appeal_id, "pending"))
    return pack, st, {vid: status for vid, (_, status) in latest.items()}


@dataclass(frozen=True, slots=True)
class ListingLine:
    """A listing in the seller centre's list: its latest version's status and findings."""

    product_id: str
    version: int
    status: str
    title: str
    findings: Sequence[Mapping[str, Any]]
    submitted_at: datetime
    policy_version: str


def violation_of_shop(ctx: Context, principal: Principal, shop_id: str, violation_id: str) -> dict[str, Any]:
    """One violation as the seller centre shows it (service/violations' view); 404 unless it belongs to `shop_id`."""
    v = violations.get(ctx, principal, violation_id, None).as_json()
    if v["shop_id"] != shop_id:
        raise NotFound.no("violation", violation_id, f" in shop {shop_id!r}")
    return v


def listings_of(ctx: Context, principal: Principal, shop_id: str, statuses: tuple[str, ...] = OPEN_LISTING) -> list[ListingLine]:
    """The shop's listings in these statuses, latest first, with their latest version's findings."""
    require(principal, "product.read", shop_id)
    with ctx.db.read() as s:
        out = []
        for head in product_store.of_shop(s, shop_id):
            if head.status in statuses:
                v = product_store.version(s, head.product_id, head.version)
                if v is None:  # a head names a version that exists
                    raise NotFound.no("product version", f"{head.product_id}@{head.version}")
                out.append(ListingLine(head.product_id, head.version, head.status, v.listing.get("title", ""), v.findings, v.submitted_at,
                                       v.policy_version))
        return out


def listing_of_shop(ctx: Context, principal: Principal, shop_id: str, product_id: str) -> dict[str, Any]:
    """A listing's latest version with its text fields (as evidence spans index them) and the sizes
    of its images (for boxes drawn over them); 404 unless it belongs to `shop_id`. service/products' view, extended."""
    p = products.get(ctx, principal, product_id).as_json()
    if p["shop_id"] != shop_id:
        raise NotFound.no("product", product_id, f" in shop {shop_id!r}")
    return p | {"fields": listing_fields(p["listing"]), "images": image_sizes(ctx, p["listing"].get("images") or []),
                "disputes": _disputes_of(ctx, product_id)}


def _disputes_of(ctx: Context, product_id: str) -> dict[str, dict[str, Any]]:
    """The listing's latest same-product dispute per banned product (DY-LQ-3/4), with its outcome."""
    with ctx.db.read() as s:
        found = case_store.of_subject(s, case_store.DISPUTE, product_id)
    return {c.finding["banned_product_id"]: case_json(c, d) for c, d in found}


# ---------------------------------------------------------------- review reports (RV-1..6)


@dataclass(frozen=True)
class Refusal:
    """Why a review cannot be reported now: the service's own check (`review_reports`), its rule,
    until when (RV-4), and which of RV-2's two conditions failed (for the page's wording)."""

    rule: str | None
    detail: str
    until: datetime | None = None
    why: str = "other"  # blocked | not_negative | too_old | reported | other
    error: Conflict | None = None  # the refusal itself, with its code and params


_WHY: dict[str, str] = {Code.REPORTING_BLOCKED: "blocked", Code.ALREADY_REPORTED: "reported", Code.REPORT_NOT_NEGATIVE: "not_negative",
        Code.REPORT_WINDOW_CLOSED: "too_old"}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    review: ReviewRow
    hidden: ReviewHide | None  # the hide in force (RV-6), if any
    refusal: Refusal | None  # why it cannot be reported now; None: it can
    reports: tuple[ReportView, ...]


@dataclass(frozen=True, slots=True)
class ReviewsPage:
    """The seller centre's reviews page: the shop's reviews with their reports, the RV-4 block in
    force, the pack's reporting rules, and the reports newest first."""

    shop: ShopView
    items: tuple[ReviewItem, ...]
    block: ReportingAction | None
    rules: ReviewReportRules | None
    reports: tuple[ReportView, ...]


def report_refusal(session: Session, pack: PolicyPack, review: ReviewRow, at: datetime) -> Refusal | None:
    """None when the seller may report `review` at `at`; else the Refusal the service would give.
    The rules are the service's (`review_reports.check_reportable`), which writes nothing."""
    try:
        review_reports.check_reportable(session, pack, review, at)
    except Conflict as exc:
        return Refusal(exc.rule, exc.detail, exc.until, _WHY.get(exc.code, "other"), exc)
    return None


def shop_reviews(ctx: Context, principal: Principal, shop_id: str, limit: int = REVIEW_LIMIT) -> ReviewsPage:
    """The shop's reviews (newest first), each with whether it is hidden, its reports and, when it
    cannot be reported now, why; the RV-4 block in force and the pack's reporting rules."""
    require(principal, "review.read", shop_id)
    require(principal, "review_report.read", shop_id)
    view = shop(ctx, principal, shop_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        rows = reviews.newest_of_shop(s, shop_id, now, limit)
        block = review_reports.active_block(s, shop_id, now)
        found = [(r, _hidden(reviews.hide_of(s, r.review_id), now), report_refusal(s, view.pack, r, now)) for r in rows]
    reports = review_reports.queue(ctx, principal, None, shop_id, limit, 0).reports
    by_review: dict[str, list[ReportView]] = {}
    for rep in reports:
        by_review.setdefault(rep.review_id, []).append(rep)
    items = tuple(ReviewItem(r, hidden, refusal, tuple(by_review.get(r.review_id, ()))) for r, hidden, refusal in found)
    return ReviewsPage(view, items, block, view.pack.review_reports, tuple(reversed(reports)))


def _hidden(hide: ReviewHide | None, now: datetime) -> ReviewHide | None:
    return hide if hide is not None and hide.hidden_at <= now else None


def review_of_shop(ctx: Context, principal: Principal, shop_id: str, review_id: str) -> tuple[ReviewRow, Refusal | None]:
    """One review of `shop_id` with why it cannot be reported now (None: it can); 404 elsewhere."""
    require(principal, "review.read", shop_id)
    view = shop(ctx, principal, shop_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        row = reviews.get(s, review_id)
        if row is None or row.shop_id != shop_id or row.posted_at > now:
            raise NotFound.no("review", review_id, f" in shop {shop_id!r}")
        return row, report_refusal(s, view.pack, row, now)
