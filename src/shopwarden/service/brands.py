"""The brand registry and brand qualifications (DY-BR, DY-BQ-1): filed by shops, reviewed by operators."""

from __future__ import annotations

from shopwarden.core.periods import add_working_days
from shopwarden.errors import AlreadyDecided, InvalidInput, NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.scanning import qualification_status
from shopwarden.service.violations import new_id
from shopwarden.store import brands, shops, subject_locks

REVIEW_WORKING_DAYS = 3  # DY-BQ-1: reviewed in 1–3 working days


def brand_json(b) -> dict:
    return {"brand_id": b.brand_id, "name": b.name, "aliases": b.aliases, "restricted": b.restricted, "registered": b.registered, "owner": b.owner, "categories": b.categories}


def put_brand(ctx: Context, principal: Principal, brand_id: str, body: dict) -> tuple[dict, bool]:
    require(principal, "brand.write")
    with ctx.db.transaction() as s:
        subject_locks.hold(s, f"put:brand:{brand_id}")  # two first PUTs at once: the second updates (200), not a lost insert (409)
        created = brands.put_brand(s, {"brand_id": brand_id, **body, "updated_at": ctx.clock()})
        return brand_json(brands.get_brand(s, brand_id)), created


def list_brands(ctx: Context, principal: Principal) -> list[dict]:
    require(principal, "brand.read")
    with ctx.db.read() as s:
        return [brand_json(b) for b in brands.all_brands(s)]


def qualification_json(q, reviews, at, pack) -> dict:
    last = reviews[-1] if reviews else None
    return {
        "id": q.qualification_id, "shop_id": q.shop_id, "brand_id": q.brand_id, "trademark_no": q.trademark_no, "mark": q.mark,
        "categories": q.categories, "valid_from": q.valid_from, "valid_to": q.valid_to, "filed_at": q.filed_at,
        "status": qualification_status(q, reviews, at), "reason": last.reason if last else None,
        "reviewed_at": last.decided_at if last else None, "review_due": _review_due(pack, q.filed_at),
    }


def _review_due(pack, filed_at):
    """DY-BQ-1: reviewed within 1–3 working days of filing, on the shop's pack calendar."""
    cal = pack.calendar
    return add_working_days(filed_at, REVIEW_WORKING_DAYS, cal.timezone, cal.weekend_numbers, frozenset(cal.holidays), frozenset(cal.workdays))


def _pack_of(ctx: Context, session, shop_id: str):
    return ctx.pack(shops.get(session, shop_id).policy_id)


def file(ctx: Context, principal: Principal, shop_id: str, body: dict) -> dict:
    require(principal, "qualification.file", shop_id)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        shop = shops.get(s, shop_id)
        if shop is None:
            raise NotFound.no("shop", shop_id)
        if brands.get_brand(s, body["brand_id"]) is None:
            raise InvalidInput.one("brand_id", f"unknown brand {body['brand_id']!r}; the registry is GET /v1/brands")
        if body.get("valid_to") is not None and body["valid_to"] <= body["valid_from"]:
            raise InvalidInput.one("valid_to", "must be after valid_from")
        row = {"qualification_id": new_id("q"), "shop_id": shop_id, **body, "filed_at": now, "filed_by": principal.key_id}
        brands.add_qualification(s, row)
        return qualification_json(brands.QualificationRow(**row), [], now, ctx.pack(shop.policy_id))


def list_(ctx: Context, principal: Principal, shop_id: str | None, pending_only: bool) -> list[dict]:
    if shop_id is None:
        require(principal, "qualification.review")
    else:
        require(principal, "shop.read", shop_id)
    now = ctx.clock()
    with ctx.db.read() as s:
        rows = brands.qualifications(s, shop_id, pending_only)
        reviews = brands.reviews_of(s, [r.qualification_id for r in rows])
        return [qualification_json(r, reviews[r.qualification_id], now, _pack_of(ctx, s, r.shop_id)) for r in rows]


def qualification_row(session, qualification_id: str):
    q = brands.get_qualification(session, qualification_id)
    if q is None:
        raise NotFound.no("brand qualification", qualification_id)
    return q


def _decided(qualification_id: str, how: str) -> AlreadyDecided:
    """DY-BQ-1: a qualification's first review is its decision, and final (the console's claims treat
    it so too); only an approval can be followed, once, by a revocation."""
    return AlreadyDecided(f"brand qualification {qualification_id} was {how}; a decision is final", rule="DY-BQ-1")


def review(ctx: Context, principal: Principal, qualification_id: str, body: dict) -> dict:
    require(principal, "qualification.review")
    now = ctx.clock()
    with ctx.db.transaction() as s:
        q = qualification_row(s, qualification_id)
        done = brands.reviews_of(s, [qualification_id])[qualification_id]  # one read: what was decided, and the next review's number
        if done and not (done[-1].status == "approved" and body["status"] == "revoked"):
            raise _decided(qualification_id, f"already {done[-1].status} at {done[-1].decided_at.isoformat()}")
        if not brands.add_review(s, {"review_id": new_id("qr"), "qualification_id": qualification_id, "number": len(done) + 1, "status": body["status"],
                                     "reason": body["reason"], "decided_at": now, "decided_by": body.get("decided_by") or principal.key_id}):
            raise _decided(qualification_id, "decided by a concurrent request")
        s.flush()
        return qualification_json(q, brands.reviews_of(s, [qualification_id])[qualification_id], now, _pack_of(ctx, s, q.shop_id))
