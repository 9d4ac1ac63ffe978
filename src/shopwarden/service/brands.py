"""The brand registry and brand qualifications (DY-BR, DY-BQ-1): filed by shops, reviewed by operators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.periods import add_working_days
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import AlreadyDecided, InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.scanning import qualification_status
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.violation_rows import new_id
from shopwarden.store import brands, shops, subject_locks
from shopwarden.store.brands import BrandRow, QualificationReview, QualificationRow

REVIEW_WORKING_DAYS = 3  # DY-BQ-1: reviewed in 1–3 working days


@dataclass(frozen=True, slots=True)
class BrandInput:
    """A registry entry (DY-BR): the name, its aliases, whether the brand is restricted and registered, its
    owner, and the category prefixes where the name means this brand (empty: everywhere)."""

    name: str
    aliases: Sequence[str] = ()
    restricted: bool = False
    registered: bool = True
    owner: str | None = None
    categories: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class QualificationInput:
    """A shop's brand qualification (DY-BQ-1): the trademark it holds or is licensed, where and while it is valid."""

    brand_id: str
    trademark_no: str
    mark: str
    valid_from: datetime
    categories: Sequence[str] = ()
    valid_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class QualificationReviewInput:
    """An operator's review: approved or rejected (final), or an approval revoked (once)."""

    status: str
    reason: str
    decided_by: str | None = None


@dataclass(frozen=True, slots=True)
class Brand(Result):
    brand_id: str
    name: str
    aliases: Sequence[str]
    restricted: bool
    registered: bool
    owner: str | None
    categories: Sequence[str]


@dataclass(frozen=True, slots=True)
class Qualification(Result):
    """A qualification as of an instant: its status from its reviews, the last reason, and the review's due date (DY-BQ-1)."""

    id: str
    shop_id: str
    brand_id: str
    trademark_no: str
    mark: str
    categories: Sequence[str]
    valid_from: datetime
    valid_to: datetime | None
    filed_at: datetime
    status: str
    reason: str | None
    reviewed_at: datetime | None
    review_due: datetime


def brand_view(b: BrandRow) -> Brand:
    return Brand(b.brand_id, b.name, b.aliases, b.restricted, b.registered, b.owner, b.categories)


def brand_json(b: BrandRow) -> dict[str, Any]:
    """The brand's JSON (the console's qualification page reads it as a mapping)."""
    return brand_view(b).as_json()


def put_brand(ctx: Context, principal: Principal, brand_id: str, body: BrandInput) -> tuple[Brand, bool]:
    """Create or replace a registry entry (True: created)."""
    require(principal, "brand.write")
    fields = {"name": body.name, "aliases": list(body.aliases), "restricted": body.restricted, "registered": body.registered,
              "owner": body.owner, "categories": list(body.categories)}
    with ctx.db.transaction() as s:
        subject_locks.hold(s, f"put:brand:{brand_id}")  # two first PUTs at once: the second updates (200), not a lost insert (409)
        created = brands.put_brand(s, {"brand_id": brand_id, **fields, "updated_at": ctx.clock()})
        stored = brands.get_brand(s, brand_id)
        assert stored is not None  # just written, in this transaction
        return brand_view(stored), created


def list_brands(ctx: Context, principal: Principal) -> list[Brand]:
    require(principal, "brand.read")
    with ctx.db.read() as s:
        return [brand_view(b) for b in brands.all_brands(s)]


def qualification_view(q: QualificationRow, reviews: Sequence[QualificationReview], at: datetime, pack: PolicyPack) -> Qualification:
    last = reviews[-1] if reviews else None
    return Qualification(
        q.qualification_id, q.shop_id, q.brand_id, q.trademark_no, q.mark, q.categories, q.valid_from, q.valid_to, q.filed_at,
        qualification_status(q, reviews, at), last.reason if last else None, last.decided_at if last else None, _review_due(pack, q.filed_at),
    )


def qualification_json(q: QualificationRow, reviews: Sequence[QualificationReview], at: datetime, pack: PolicyPack) -> dict[str, Any]:
    """The qualification's JSON (the console's qualification page reads it as a mapping)."""
    return qualification_view(q, reviews, at, pack).as_json()


def _review_due(pack: PolicyPack, filed_at: datetime) -> datetime:
    """DY-BQ-1: reviewed within 1–3 working days of filing, on the shop's pack calendar."""
    cal = pack.calendar
    return add_working_days(filed_at, REVIEW_WORKING_DAYS, cal.timezone, cal.weekend_numbers, frozenset(cal.holidays), frozenset(cal.workdays))


def file(ctx: Context, principal: Principal, shop_id: str, body: QualificationInput) -> Qualification:
    require(principal, "qualification.file", shop_id)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        shop = shops.get(s, shop_id)
        if shop is None:
            raise NotFound.no("shop", shop_id)
        if brands.get_brand(s, body.brand_id) is None:
            raise InvalidInput.one("brand_id", f"unknown brand {body.brand_id!r}; the registry is GET /v1/brands")
        if body.valid_to is not None and body.valid_to <= body.valid_from:
            raise InvalidInput.one("valid_to", "must be after valid_from")
        row = {"qualification_id": new_id("q"), "shop_id": shop_id, "brand_id": body.brand_id, "trademark_no": body.trademark_no, "mark": body.mark,
               "categories": list(body.categories), "valid_from": body.valid_from, "valid_to": body.valid_to, "filed_at": now, "filed_by": principal.key_id}
        brands.add_qualification(s, row)
        return qualification_view(QualificationRow(**row), [], now, ctx.pack(shop.policy_id))


def list_(ctx: Context, principal: Principal, shop_id: str | None, pending_only: bool) -> list[Qualification]:
    if shop_id is None:
        require(principal, "qualification.review")
    else:
        require(principal, "shop.read", shop_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        rows = brands.qualifications(s, shop_id, pending_only)
        reviews = brands.reviews_of(s, [r.qualification_id for r in rows])
        return [qualification_view(r, reviews[r.qualification_id], now, pack_of(ctx, s, r.shop_id)) for r in rows]


def qualification_row(session: Session, qualification_id: str) -> QualificationRow:
    q = brands.get_qualification(session, qualification_id)
    if q is None:
        raise NotFound.no("brand qualification", qualification_id)
    return q


def _decided(qualification_id: str, how: str) -> AlreadyDecided:
    """DY-BQ-1: a qualification's first review is its decision, and final (the console's claims treat
    it so too); only an approval can be followed, once, by a revocation."""
    return AlreadyDecided(f"brand qualification {qualification_id} was {how}; a decision is final", rule="DY-BQ-1")


def review(ctx: Context, principal: Principal, qualification_id: str, body: QualificationReviewInput) -> Qualification:
    require(principal, "qualification.review")
    now = ctx.clock()
    with ctx.db.transaction() as s:
        q = qualification_row(s, qualification_id)
        done = brands.reviews_of(s, [qualification_id])[qualification_id]  # one read: what was decided, and the next review's number
        if done and not (done[-1].status == "approved" and body.status == "revoked"):
            raise _decided(qualification_id, f"already {done[-1].status} at {done[-1].decided_at.isoformat()}")
        if not brands.add_review(s, {"review_id": new_id("qr"), "qualification_id": qualification_id, "number": len(done) + 1, "status": body.status,
                                     "reason": body.reason, "decided_at": now, "decided_by": body.decided_by or principal.key_id}):
            raise _decided(qualification_id, "decided by a concurrent request")
        s.flush()
        return qualification_view(q, brands.reviews_of(s, [qualification_id])[qualification_id], now, pack_of(ctx, s, q.shop_id))
