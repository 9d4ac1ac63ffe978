"""The operator console's item pages (web/console.py): an appeal, a review case (a copied image with
its matches, a same-product dispute with both products), a brand qualification and a review report
beside what they are about; a shop's ledger timeline; the loaded packs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.detect.listing_subject import listing_fields
from shopwarden.core.ledger.events import AppealDecided, AppealFiled, Event, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import Standing, fold
from shopwarden.core.policy.loader import pack_to_api
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import NotFound
from shopwarden.service import appeals as appeal_cases
from shopwarden.service import brands as brand_cases
from shopwarden.service import cases as review_cases
from shopwarden.service import image_index, review_reports, violations
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.pages.shop import ShopView, image_sizes, ledger_of, shop
from shopwarden.service.review_reports import ReportView
from shopwarden.store import bans as ban_store
from shopwarden.store import brands as brand_store
from shopwarden.store import cases as case_store
from shopwarden.store import messages
from shopwarden.store import products as product_store
from shopwarden.store import shops as shop_store


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # violation_issued | appeal_filed | appeal_decided | violation_revoked | sanction_started | sanction_ended | sanction_lifted
    subject: str
    detail: dict[str, Any]


def timeline(ctx: Context, principal: Principal, shop_id: str, at: datetime | None = None) -> tuple[PolicyPack, Standing, list[TimelineEntry]]:
    """Every ledger event of the shop, the sanctions the fold derived from them, and the standing
    replayed at `at` (console only). Events after `at` are listed too, marked by their time."""
    require(principal, "case.read")
    pack, ledger = ledger_of(ctx, principal, shop_id)
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


def policy_packs(ctx: Context, principal: Principal) -> list[dict[str, Any]]:
    require(principal, "policy.read")
    return [pack_to_api(p) for p in sorted(ctx.packs.values(), key=lambda p: p.id)]


def appeal_item(ctx: Context, principal: Principal, appeal_id: str) -> tuple[dict[str, Any], dict[str, Any], ShopView]:
    """An appeal beside its violation (with the violation's own evidence and statement) and shop."""
    require(principal, "appeal.queue")
    a = appeal_cases.get(ctx, principal, appeal_id).as_json()
    v = violations.get(ctx, principal, a["violation_id"], None).as_json()
    return a, v, shop(ctx, principal, v["shop_id"])


def case_item(ctx: Context, principal: Principal, case_id: str) -> dict[str, Any]:
    """A review case with the text its evidence spans index, the sizes of the images they box, and,
    for a copied image, what the image index matched it to (the reference image and its box); a
    same-product dispute comes with both products (`_dispute_item`)."""
    c = review_cases.get(ctx, principal, case_id).as_json()
    if c["subject"]["kind"] == case_store.DISPUTE:
        return _dispute_item(ctx, principal, c)
    ids = [e["image_id"] for e in c["finding"].get("evidence", []) if e.get("image_id")]
    with ctx.db.read() as s:
        fields = _subject_fields(s, c["subject"])
        matched = image_index.matches_for(ctx, s, ids) if c["detector"] == "copied_image" and ids else []
    refs = [m["reference_id"] for hit in matched for m in hit["matches"]]
    return c | {"fields": fields, "images": image_sizes(ctx, ids + refs), "matches": matched, "shop": shop(ctx, principal, c["shop_id"])}


def _dispute_item(ctx: Context, principal: Principal, c: dict[str, Any]) -> dict[str, Any]:
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


def _subject_fields(session: Session, subject: Mapping[str, Any]) -> dict[str, str]:
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


def qualification_item(ctx: Context, principal: Principal, qualification_id: str) -> dict[str, Any]:
    """A qualification beside its brand's registry entry: what the shop filed, what the registry
    says (owner, registration, restricted, categories), the categories filed outside the brand's,
    and every review decided so far (the newest decides its status)."""
    require(principal, "qualification.review")
    now = ctx.clock()
    with ctx.db.read() as s:
        q = brand_cases.qualification_row(s, qualification_id)
        history = brand_store.reviews_of(s, [qualification_id])[qualification_id]
        brand = brand_store.get_brand(s, q.brand_id)
    if brand is None:  # a qualification names a registered brand
        raise NotFound.no("brand", q.brand_id)
    view = shop(ctx, principal, q.shop_id)
    out = brand_cases.qualification_json(q, history, now, view.pack)
    outside = [c for c in (q.categories or ()) if brand.categories and not any(c.startswith(b) or b.startswith(c) for b in brand.categories)]
    return out | {"brand": brand_cases.brand_json(brand), "outside_categories": outside, "shop": view,
                  "history": [{"status": r.status, "reason": r.reason, "decided_at": r.decided_at, "decided_by": r.decided_by} for r in history]}


def report_item(ctx: Context, principal: Principal, report_id: str) -> tuple[ReportView, ShopView]:
    """A review report with its review, the review's signals and the reporter's evidence, and its shop."""
    require(principal, "review_report.decide")
    r = review_reports.get(ctx, principal, report_id)
    return r, shop(ctx, principal, r.shop_id)
