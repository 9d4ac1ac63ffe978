"""Listings: `PUT /v1/products/{id}` stores a version, scans it and answers published / pending_review /
rejected; the findings' consequences and any rectification follow in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from shopwarden.errors import Forbidden, NotFound
from shopwarden.service import analysis, bans, notices, rectification, shadows
from shopwarden.service.auth import Principal, require
from shopwarden.service.consequences import Outcome, Target, apply
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.scanning import scan_for_shop
from shopwarden.store import outbox, products
from shopwarden.store.products import STATUS


@dataclass(frozen=True, slots=True)
class ListingDecision(Result):
    """A stored listing version and what its scan decided: published, pending_review or rejected;
    the findings (open data: each detector's evidence) in `lang`, the rectification tasks it closed,
    the analysis still `pending`, and what the findings caused (`outcome`: violations, cases, tasks)."""

    product_id: str
    shop_id: str
    version: int
    status: str
    decision: str
    findings: Sequence[Mapping[str, Any]]
    policy: str
    policy_version: str
    rectification_closed: Sequence[str]
    pending: Sequence[str]
    images_pending: Sequence[str]
    outcome: Outcome

    def as_json(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id, "shop_id": self.shop_id, "version": self.version, "status": self.status,
            "decision": self.decision, "findings": list(self.findings), "policy": self.policy, "policy_version": self.policy_version,
            "rectification_closed": list(self.rectification_closed), "pending": list(self.pending), "images_pending": list(self.images_pending),
        } | self.outcome.as_json()


@dataclass(frozen=True, slots=True)
class Listing(Result):
    """A listing's latest version as stored: the listing document (open data: the platform's fields) and its findings."""

    product_id: str
    shop_id: str
    version: int
    status: str
    decision: str
    findings: Sequence[Mapping[str, Any]]
    listing: Mapping[str, Any]
    policy_version: str
    submitted_at: datetime


def put(ctx: Context, principal: Principal, product_id: str, body: dict[str, Any], lang: str = "en", wait: float | None = None) -> ListingDecision:
    """Store and scan a listing version. Its images (QR, OCR, copied-image matching) are heavy:
    `wait` None reads them now within the pack's `inline_image_pixels` (the service's own callers);
    0 leaves them to the analysis workers (service/analysis.py: the answer is `pending_review` and
    says what is `pending`); N > 0 reads them for at most N seconds before answering, else as 0.
    `body`: the listing document (`shop_id` and the platform's fields, which the detectors read)."""
    require(principal, "product.write", body["shop_id"])
    out = _store(ctx, principal.key_id, product_id, body, lang, wait)
    assert out is not None  # only a rescan expects a version
    return out


def rescan(ctx: Context, job: analysis.ListingJob) -> ListingDecision | None:
    """A deferred listing's analysis (service/analysis.py): the version that follows `job.version`,
    scanned in full; None when a newer version came in meanwhile (it was scanned itself)."""
    return _store(ctx, job.by, job.product_id, job.body, "en", analysis.NOW, expect=job.version)


@analysis.handles(analysis.LISTING)
def _listing_work(ctx: Context, payload: dict[str, Any]) -> ListingDecision | None:
    """The analysis' listing work: `rescan`, looked up when the work runs (so it can be replaced)."""
    return rescan(ctx, analysis.ListingJob.of(payload))


def _store(ctx: Context, by: str, product_id: str, body: dict[str, Any], lang: str, wait: float | None, expect: int | None = None) -> ListingDecision | None:
    at = ctx.clock()
    with ctx.db.transaction() as s:
        head = products.get(s, product_id)
        if expect is not None and (head is None or head.version != expect):
            return None
        if head is not None and head.shop_id != body["shop_id"]:
            raise Forbidden(f"product {product_id!r} belongs to another shop")
        notices.hold(s, ctx, product_id, body["shop_id"], body, at)  # DSA Art. 16: not back while a notice's measure stands
        _, pack, result = scan_for_shop(ctx, s, "listing", body, at, defer=True, wait=wait)
        shop_id: str = body["shop_id"]  # the shop the scan found by this id
        version = 1 if head is None else head.version + 1
        listing = orjson.loads(orjson.dumps({k: v for k, v in body.items() if k != "shop_id"}, option=orjson.OPT_UTC_Z))
        closed = rectification.on_resubmit(s, product_id, version, result, at) if head is not None else []
        open_rules = {t.rule for t in rectification.open_tasks(s, product_id, at)}
        target = Target(shop_id, "listing", product_id, version, at, by)
        outcome = apply(s, pack, target, result, open_rules)
        shadows.record(s, pack, target, result)  # kept beside the live findings, never acted on (issue 17)
        hits = bans.gate(s, product_id, shop_id, listing)  # DY-LQ-2..4: the same product as a banned one is refused
        decision = "block" if hits else result.decision
        findings = result.findings_json("en") + [h.finding("en") for h in hits]
        products.add_version(s, {
            "product_id": product_id, "version": version, "shop_id": shop_id, "listing": listing,
            "decision": decision, "status": STATUS[decision], "findings": findings,
            "policy_version": pack.version, "submitted_at": at, "submitted_by": by,
        })
        bans.record_gate(s, hits, product_id, version, shop_id, at, by)
        pending = list(analysis.PENDING) if result.images_pending else []
        outbox.add(s, "listing.decided", shop_id, {"product_id": product_id, "shop_id": shop_id, "version": version, "status": STATUS[decision], "decision": decision, "findings": findings, "policy_version": pack.version, "submitted_at": at, "pending": pending})  # 0020
        if pending:
            analysis.request(s, analysis.ListingJob(product_id, version, orjson.loads(orjson.dumps(body, option=orjson.OPT_UTC_Z)), by), shop_id)
    if pending:
        analysis.notify(ctx)
    return ListingDecision(product_id, shop_id, version, STATUS[decision], decision, result.findings_json(lang) + [h.finding(lang) for h in hits],
                           pack.id, pack.version, closed, pending, list(result.images_pending), outcome)


def get(ctx: Context, principal: Principal, product_id: str, lang: str = "en") -> Listing:
    with ctx.db.read() as s:
        head = products.get(s, product_id)
        if head is None:
            raise NotFound(f"no product {product_id!r}")
        require(principal, "product.read", head.shop_id)
        v = products.version(s, product_id, head.version)
    assert v is not None  # the head names a stored version
    return Listing(product_id, head.shop_id, head.version, head.status, v.decision, v.findings, v.listing, v.policy_version, v.submitted_at)
