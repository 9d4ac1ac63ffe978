"""What the seller centre and the operator console read beyond the API's use cases: a shop's
diagnosis with its forecast, its violation list, listings awaiting review, the images a caller may
see, a shop's ledger timeline, a queue item with its evidence, the loaded packs.

Each function checks the caller with `auth.require`, like every use case, and is built on the
existing service and store functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from shopwarden.core.detect.listing_subject import listing_fields
from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.series import Series, samples
from shopwarden.core.ledger.standing import Standing, fold
from shopwarden.core.policy.loader import pack_to_api
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import Conflict, NotFound
from shopwarden.service import appeals as appeal_cases
from shopwarden.service import brands as brand_cases
from shopwarden.service import review_reports
from shopwarden.service import cases as review_cases
from shopwarden.service import image_index, poor_quality, products, shops, violations
from shopwarden.service import images as images_service
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import bans as ban_store
from shopwarden.store import brands as brand_store
from shopwarden.store import appeals as appeal_store
from shopwarden.store import cases as case_store
from shopwarden.store import events, images, messages, open_items, reviews
from shopwarden.store import notices as notice_store
from shopwarden.store import review_reports as report_store
from shopwarden.store import products as product_store
from shopwarden.store import shops as shop_store
from shopwarden.store.reviews import ReviewRow
from shopwarden.store.violations import Violation

REVIEW_LIMIT = 200  # the reviews page lists the shop's newest reviews
FORECAST_MOMENTS = 8  # the diagnosis page shows this many upcoming changes at most
OPEN_LISTING = ("pending_review", "rejected", "taken_down", "banned")


@dataclass(frozen=True)
class ShopView:
    shop_id: str
    name: str
    kind: str
    pack: PolicyPack

    @property
    def timezone(self) -> str:
        return self.pack.calendar.timezone


def shop(ctx: Context, principal: Principal, shop_id: str) -> ShopView:
    info = shops.get_shop(ctx, principal, shop_id)
    return ShopView(info["shop_id"], info["name"], info["kind"], ctx.pack(info["policy"]))


@dataclass(frozen=True)
class Moment:
    """An upcoming change to the standing: a violation expires, or a sanction runs out."""

    at: datetime
    cause: str  # expiry | sanction_end
    subject: str  # the violation id, or the sanction kind
    standing: Standing


def _ledger(ctx: Context, principal: Principal, shop_id: str) -> tuple[PolicyPack, list[Event]]:
    require(principal, "violation.read", shop_id)
    policy_id, ledger = events.shop_ledger(ctx.db.engine, shop_id)
    if policy_id is None:
        raise NotFound(f"no shop {shop_id!r}")
    return ctx.pack(policy_id), ledger


def diagnosis(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None) -> tuple[PolicyPack, Standing, list[Moment]]:
    """The standing now and the forecast: the standing replayed at each upcoming expiry of an active
    violation and each end of a sanction in force, from one read of the ledger."""
    pack, ledger = _ledger(ctx, principal, shop_id)
    now = fold(pack, ledger, at or ctx.clock())
    return pack, now, [Moment(t, cause, subject, fold(pack, ledger, t)) for t, cause, subject in upcoming(now)[:FORECAST_MOMENTS]]


def points_series(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None, back: int = 180, ahead: int = 60) -> Series:
    """The shop's points from `back` days before `at` to `ahead` days after (the forecast, if nothing else happens)."""
    pack, ledger = _ledger(ctx, principal, shop_id)
    now = at or ctx.clock()
    changes = [e.at for e in ledger] + [e.expires_at for e in ledger if hasattr(e, "expires_at")]
    when = samples(now - timedelta(days=back), now + timedelta(days=ahead), changes + [now])
    lines = [(th.points, th.level) for th in pack.ladders.get(pack.primary, ())]
    return Series([(t, float(fold(pack, ledger, t).classes[pack.primary].points)) for t in when], lines, now)


def upcoming(st: Standing) -> list[tuple[datetime, str, str]]:
    moments = {(v.expires_at, "expiry", v.violation_id) for v in st.violations if v.status == "active"}
    moments |= {(s.ends_at, "sanction_end", s.kind) for s in st.sanctions if s.ends_at is not None}
    return sorted(moments)


def violations_of(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None) -> tuple[PolicyPack, Standing, dict[str, str]]:
    """The standing (its `violations`, newest first) and each violation's latest appeal status."""
    pack, ledger = _ledger(ctx, principal, shop_id)
    st = fold(pack, ledger, at or ctx.clock())
    st.violations.sort(key=lambda v: v.issued_at, reverse=True)
    latest: dict[str, tuple[int, str]] = {}
    outcomes = {e.appeal_id: e.outcome for e in ledger if isinstance(e, AppealDecided) and e.at <= st.at}
    for e in ledger:
        if isinstance(e, AppealFiled) and e.at <= st.at and e.number >= latest.get(e.violation_id, (0, ""))[0]:
            latest[e.violation_id] = (e.number, outcomes.get(e.appeal_id, "pending"))
    return pack, st, {vid: status for vid, (_, status) in latest.items()}


def violation_of_shop(ctx: Context, principal: Principal, shop_id: str, violation_id: str) -> dict:
    """One violation as the seller centre shows it; 404 unless it belongs to `shop_id`."""
    v = violations.get(ctx, principal, violation_id, None)
    if v["shop_id"] != shop_id:
        raise NotFound(f"no violation {violation_id!r} in shop {shop_id!r}")
    return v


def listings_of(ctx: Context, principal: Principal, shop_id: str, statuses: tuple[str, ...] = OPEN_LISTING) -> list[dict]:
    """The shop's listings in these statuses, latest first, with their latest version's findings."""
    require(principal, "product.read", shop_id)
    with ctx.db.read() as s:
        out = []
        for head in product_store.of_shop(s, shop_id):
            if head.status in statuses:
                v = product_store.version(s, head.product_id, head.version)
                out.append({"product_id": head.product_id, "version": head.version, "status": head.status, "title": v.listing.get("title", ""),
                            "findings": v.findings, "submitted_at": v.submitted_at, "policy_version": v.policy_version})
        return out


def listing_of_shop(ctx: Context, principal: Principal, shop_id: str, product_id: str) -> dict:
    """A listing's latest version with its text fields (as evidence spans index them) and the sizes
    of its images (for boxes drawn over them); 404 unless it belongs to `shop_id`."""
    p = products.get(ctx, principal, product_id)
    if p["shop_id"] != shop_id:
        raise NotFound(f"no product {product_id!r} in shop {shop_id!r}")
    return p | {"fields": listing_fields(p["listing"]), "images": image_sizes(ctx, p["listing"].get("images") or []),
                "disputes": _disputes_of(ctx, product_id)}


def _disputes_of(ctx: Context, product_id: str) -> dict[str, dict]:
    """The listing's latest same-product dispute per banned product (DY-LQ-3/4), with its outcome."""
    with ctx.db.read() as s:
        found = case_store.of_subject(s, case_store.DISPUTE, product_id)
    return {c.finding["banned_product_id"]: review_cases.case_json(c, d) for c, d in found}


def image_sizes(ctx: Context, ids: list[str]) -> dict[str, tuple[int, int]]:
    with ctx.db.read() as s:
        rows = [images.get(s, i) for i in ids]
    return {r.sha256: (r.width, r.height) for r in rows if r is not None}


def image(ctx: Context, principal: Principal, image_id: str) -> tuple[bytes, str]:
    """An image's bytes and type, to whom `images.readable` allows (`GET /v1/images/{id}`'s rule):
    a seller sees only images its own shop uploaded; anyone else's is 404, as if it did not exist."""
    require(principal, "image.read")
    with ctx.db.read() as s:
        row = images_service.readable(s, principal, image_id)
        return images.data(s, image_id), row.media_type


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # violation_issued | appeal_filed | appeal_decided | violation_revoked | sanction_started | sanction_ended | sanction_lifted
    subject: str
    detail: dict


def timeline(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None) -> tuple[PolicyPack, Standing, list[TimelineEntry]]:
    """Every ledger event of the shop, the sanctions the fold derived from them, and the standing
    replayed at `at` (console only). Events after `at` are listed too, marked by their time."""
    require(principal, "case.read")
    pack, ledger = _ledger(ctx, principal, shop_id)
    at = at or ctx.clock()
    st = fold(pack, ledger, at)
    full = fold(pack, ledger, max([at] + [e.at for e in ledger]))
    entries = [_entry(e) for e in ledger]
    for s in full.history:
        entries.append(TimelineEntry(s.starts_at, "sanction_started", s.kind, {"threshold": s.threshold, "point_class": s.point_class, "ends_at": s.ends_at}))
        if s.lifted_at is not None:
            entries.append(TimelineEntry(s.lifted_at, "sanction_lifted", s.kind, {"threshold": s.threshold, "point_class": s.point_class}))
        elif s.ends_at is not None:
            entries.append(TimelineEntry(s.ends_at, "sanction_ended", s.kind, {"threshold": s.threshold, "point_class": s.point_class}))
    entries.sort(key=lambda e: e.at)
    return pack, st, entries


def _entry(e: Event) -> TimelineEntry:
    if isinstance(e, ViolationIssued):
        return TimelineEntry(e.at, "violation_issued", e.violation_id, {"type": e.type, "severity": e.severity, "points": e.points, "point_class": e.point_class, "expires_at": e.expires_at})
    if isinstance(e, AppealFiled):
        return TimelineEntry(e.at, "appeal_filed", e.appeal_id, {"violation_id": e.violation_id, "number": e.number})
    if isinstance(e, AppealDecided):
        return TimelineEntry(e.at, "appeal_decided", e.appeal_id, {"violation_id": e.violation_id, "outcome": e.outcome, "reason": e.reason})
    if isinstance(e, ViolationRevoked):
        return TimelineEntry(e.at, "violation_revoked", e.violation_id, {"reason": e.reason})
    return TimelineEntry(e.at, type(e).__name__, "", {})


def policy_packs(ctx: Context, principal: Principal) -> list[dict]:
    require(principal, "policy.read")
    return [pack_to_api(p) for p in sorted(ctx.packs.values(), key=lambda p: p.id)]


def queue_counts(ctx: Context, principal: Principal) -> dict[str, int]:
    """How many items wait in each operator queue, by kind: appeals, detector cases, review
    reports, same-product disputes (`match_dispute`), brand qualifications, creators' content and
    open poor-quality determinations (DY-QL-3), undecided notices (DSA Art. 16)."""
    for action in ("appeal.queue", "case.read", "review_report.read", "qualification.review", "experience.determine", "notice.decide"):
        require(principal, action)
    with ctx.db.read() as s:
        return {"appeal": appeal_store.count_pending(s), "case": case_store.count_open(s, not_subject_kind=case_store.DISPUTE),
                "review_report": report_store.count_pending(s), case_store.DISPUTE: case_store.count_open(s, subject_kind=case_store.DISPUTE),
                "qualification": brand_store.count_pending(s), "content": open_items.count(s, "content"),
                "determination": poor_quality.count_open(s), "notice": notice_store.count_pending(s)}


def appeal_queue(ctx: Context, principal: Principal, shop_id: str | None, limit: int) -> list[dict]:
    """Pending appeals, oldest first, each with its violation's type and its shop's time zone."""
    rows = appeal_cases.queue(ctx, principal, shop_id, limit)
    with ctx.db.read() as s:
        wanted = select(Violation.violation_id, Violation.shop_id, Violation.type, Violation.points)  # not the evidence
        vs = {v.violation_id: v for v in s.execute(wanted.where(Violation.violation_id.in_([r["violation_id"] for r in rows])))}
        policies = shop_store.policy_ids(s, list({v.shop_id for v in vs.values()}))
    out = []
    for r in rows:
        v = vs[r["violation_id"]]
        pack = ctx.pack(policies[v.shop_id])
        vt = pack.types.get(v.type)
        out.append(r | {"shop_id": v.shop_id, "type": v.type, "type_name": {"en": vt.name.en, "zh": vt.name.zh} if vt else None,
                        "points": v.points, "timezone": pack.calendar.timezone})
    return out


def appeal_item(ctx: Context, principal: Principal, appeal_id: str) -> tuple[dict, dict, ShopView]:
    """An appeal beside its violation (with the violation's own evidence and statement) and shop."""
    require(principal, "appeal.queue")
    a = appeal_cases.get(ctx, principal, appeal_id)
    v = violations.get(ctx, principal, a["violation_id"], None)
    return a, v, shop(ctx, principal, v["shop_id"])


def case_item(ctx: Context, principal: Principal, case_id: str) -> dict:
    """A review case with the text its evidence spans index, the sizes of the images they box, and,
    for a copied image, what the image index matched it to (the reference image and its box); a
    same-product dispute comes with both products (`_dispute_item`)."""
    c = review_cases.get(ctx, principal, case_id)
    if c["subject"]["kind"] == case_store.DISPUTE:
        return _dispute_item(ctx, principal, c)
    ids = [e["image_id"] for e in c["finding"].get("evidence", []) if e.get("image_id")]
    with ctx.db.read() as s:
        fields = _subject_fields(s, c["subject"])
        matched = image_index.matches_for(ctx, s, ids) if c["detector"] == "copied_image" and ids else []
    refs = [m["reference_id"] for hit in matched for m in hit["matches"]]
    return c | {"fields": fields, "images": image_sizes(ctx, ids + refs), "matches": matched, "shop": shop(ctx, principal, c["shop_id"])}


def _dispute_item(ctx: Context, principal: Principal, c: dict) -> dict:
    """A same-product dispute (DY-LQ-3/4): the disputed listing version beside the banned product as
    it was banned, with the recorded match (what agreed, how close, which images paired) and the
    seller's reason and evidence."""
    banned_id, ban_id = c["finding"]["banned_product_id"], c["finding"]["ban_id"]
    with ctx.db.read() as s:
        mine = product_store.version(s, c["subject"]["id"], c["subject"]["version"])
        ban = next((b for b in ban_store.of_product(s, banned_id) if b.ban_id == ban_id), None)
        theirs = product_store.version(s, banned_id, ban.product_version) if ban is not None else None
    sides = {"listing": (c["subject"]["id"], mine), "banned": (banned_id, theirs)}
    out = {name: {"product_id": pid, "version": v.version if v else None, "shop_id": v.shop_id if v else None,
                  "fields": listing_fields(v.listing) if v else {}, "images": list((v.listing.get("images") or ()) if v else ())}
           for name, (pid, v) in sides.items()}
    out["banned"]["ban"] = ({"reason": ban.reason, "severity": ban.severity, "rule": ban.rule, "banned_at": ban.banned_at, "statement": ban.statement}
                            if ban is not None else None)
    ids = out["listing"]["images"] + out["banned"]["images"]
    return c | out | {"images": image_sizes(ctx, ids), "shop": shop(ctx, principal, c["shop_id"])}


def _subject_fields(session, subject: dict) -> dict[str, str]:
    if subject["kind"] == "listing":
        v = product_store.version(session, subject["id"], subject["version"]) if subject.get("version") else None
        return listing_fields(v.listing) if v is not None else {}
    if subject["kind"] == "message":
        m = messages.get(session, subject["id"])
        return {"text": m.text} if m is not None else {}
    if subject["kind"] == "shop":
        row = shop_store.get(session, subject["id"])
        return {"name": row.name} if row is not None else {}
    return {}


def case_queue(ctx: Context, principal: Principal, status: str | None, rule: str | None, shop_id: str | None, limit: int,
               subject_kind: str | None = None, not_subject_kind: str | None = None) -> list[dict]:
    """Review cases, oldest first, each with its shop's time zone."""
    rows = review_cases.search(ctx, principal, status, rule, shop_id, limit, subject_kind, not_subject_kind)
    with ctx.db.read() as s:
        policies = shop_store.policy_ids(s, list({r["shop_id"] for r in rows}))
    return [r | {"timezone": ctx.pack(policies[r["shop_id"]]).calendar.timezone} for r in rows]



# ---------------------------------------------------------------- brand qualifications (DY-BQ-1)


def qualification_queue(ctx: Context, principal: Principal, pending: bool, shop_id: str | None, limit: int) -> list[dict]:
    """Brand qualifications, oldest filed first: pending ones (to review within DY-BQ-1's 1–3
    working days), or the decided ones; each with its brand's name and its shop's time zone."""
    rows = [q for q in brand_cases.list_(ctx, principal, None, pending) if shop_id is None or q["shop_id"] == shop_id]
    rows = (rows if pending else [q for q in rows if q["status"] != "pending"])[:limit]
    with ctx.db.read() as s:
        names = {b.brand_id: b.name for b in brand_store.all_brands(s)}
        policies = shop_store.policy_ids(s, list({q["shop_id"] for q in rows}))
    return [q | {"brand_name": names.get(q["brand_id"]), "timezone": ctx.pack(policies[q["shop_id"]]).calendar.timezone} for q in rows]


def qualification_item(ctx: Context, principal: Principal, qualification_id: str) -> dict:
    """A qualification beside its brand's registry entry: what the shop filed, what the registry
    says (owner, registration, restricted, categories), the categories filed outside the brand's,
    and every review decided so far (the newest decides its status)."""
    require(principal, "qualification.review")
    now = ctx.clock()
    with ctx.db.read() as s:
        q = brand_cases.qualification_row(s, qualification_id)
        history = brand_store.reviews_of(s, [qualification_id])[qualification_id]
        brand = brand_store.get_brand(s, q.brand_id)
    view = shop(ctx, principal, q.shop_id)
    out = brand_cases.qualification_json(q, history, now, view.pack)
    outside = [c for c in (q.categories or ()) if brand.categories and not any(c.startswith(b) or b.startswith(c) for b in brand.categories)]
    return out | {"brand": brand_cases.brand_json(brand), "outside_categories": outside, "shop": view,
                  "history": [{"status": r.status, "reason": r.reason, "decided_at": r.decided_at, "decided_by": r.decided_by} for r in history]}


# ---------------------------------------------------------------- review reports (RV-1..6)


@dataclass(frozen=True)
class Refusal:
    """Why a review cannot be reported now: the service's own check (`review_reports`), its rule,
    until when (RV-4), and which of RV-2's two conditions failed (for the page's wording)."""

    rule: str | None
    detail: str
    until: datetime | None = None
    why: str = "other"  # blocked | not_negative | too_old | reported | other


def report_refusal(session, pack: PolicyPack, review: ReviewRow, at: datetime) -> Refusal | None:
    """None when the seller may report `review` at `at`; else the Refusal the service would give.
    The rules are the service's (`review_reports.check_reportable`), which writes nothing."""
    try:
        review_reports.check_reportable(session, pack, review, at)
    except Conflict as exc:
        why = {"RV-4": "blocked", "RV-3": "reported"}.get(exc.rule, "other")
        if exc.rule == "RV-2":
            why = "not_negative" if pack.review_reports and review.rating > pack.review_reports.negative_max_rating else "too_old"
        return Refusal(exc.rule, exc.detail, exc.until, why)
    return None


def shop_reviews(ctx: Context, principal: Principal, shop_id: str, limit: int = REVIEW_LIMIT) -> dict:
    """The shop's reviews (newest first), each with whether it is hidden, its reports and, when it
    cannot be reported now, why; the RV-4 block in force and the pack's reporting rules."""
    require(principal, "review.read", shop_id)
    require(principal, "review_report.read", shop_id)
    view = shop(ctx, principal, shop_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        rows = list(s.scalars(select(ReviewRow).where(ReviewRow.shop_id == shop_id, ReviewRow.posted_at <= now)
                              .order_by(ReviewRow.posted_at.desc(), ReviewRow.review_id).limit(limit)))
        block = review_reports.active_block(s, shop_id, now)
        items = [{"review": r, "hidden": _hidden(reviews.hide_of(s, r.review_id), now), "refusal": report_refusal(s, view.pack, r, now)} for r in rows]
    reports = review_reports.queue(ctx, principal, None, shop_id, limit, 0)["reports"]
    by_review: dict[str, list[dict]] = {}
    for rep in reports:
        by_review.setdefault(rep["review_id"], []).append(rep)
    for item in items:
        item["reports"] = by_review.get(item["review"].review_id, [])
    return {"shop": view, "items": items, "block": block, "rules": view.pack.review_reports, "reports": list(reversed(reports))}


def _hidden(hide, now: datetime):
    return hide if hide is not None and hide.hidden_at <= now else None


def review_of_shop(ctx: Context, principal: Principal, shop_id: str, review_id: str) -> tuple[ReviewRow, Refusal | None]:
    """One review of `shop_id` with why it cannot be reported now (None: it can); 404 elsewhere."""
    require(principal, "review.read", shop_id)
    view = shop(ctx, principal, shop_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        row = reviews.get(s, review_id)
        if row is None or row.shop_id != shop_id or row.posted_at > now:
            raise NotFound(f"no review {review_id!r} in shop {shop_id!r}")
        return row, report_refusal(s, view.pack, row, now)


def report_queue(ctx: Context, principal: Principal, status: str | None, shop_id: str | None, limit: int) -> list[dict]:
    """Review reports in `status` (None: all), oldest first, each with its shop's time zone."""
    require(principal, "review_report.decide")
    rows = review_reports.queue(ctx, principal, status, shop_id, limit, 0)["reports"]
    with ctx.db.read() as s:
        policies = shop_store.policy_ids(s, list({r["shop_id"] for r in rows}))
    return [r | {"id": r["report_id"], "timezone": ctx.pack(policies[r["shop_id"]]).calendar.timezone} for r in rows]


def report_item(ctx: Context, principal: Principal, report_id: str) -> tuple[dict, ShopView]:
    """A review report with its review, the review's signals and the reporter's evidence, and its shop."""
    require(principal, "review_report.decide")
    r = review_reports.get(ctx, principal, report_id)
    return r, shop(ctx, principal, r["shop_id"])
