"""Use cases for shops: create or update (idempotent) and read."""

from __future__ import annotations

from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import shops, subject_locks

KINDS = ("enterprise", "individual", "personal")


def shop_json(row) -> dict:
    return {
        "shop_id": row.shop_id,
        "name": row.name,
        "kind": row.kind,
        "policy": row.policy_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def put_shop(ctx: Context, principal: Principal, shop_id: str, name: str, kind: str, policy: str) -> tuple[dict, bool]:
    """Create or update a shop; a new or changed name is scanned for others' trademarks (DY-IP)."""
    require(principal, "shop.write", shop_id)
    pack = ctx.check_policy("policy", policy)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        subject_locks.hold(s, f"put:shop:{shop_id}")  # two first PUTs at once: the second updates (200), not a lost insert (409)
        before = shops.get(s, shop_id)
        old_name = before.name if before is not None else None
        row, created = shops.upsert(s, shop_id, name, kind, policy, now)
        out = shop_json(row)
        if name != old_name:
            out |= _scan_name(ctx, s, row, pack, principal, now)
        return out, created


def _scan_name(ctx: Context, session, row, pack, principal: Principal, now) -> dict:
    from shopwarden.core.detect import Subject
    from shopwarden.service.consequences import Target, apply
    from shopwarden.service.scanning import detect_context, run

    session.flush()
    result = run(pack, Subject.shop(row.name, shop_id=row.shop_id), detect_context(ctx, session, row, pack, now))
    outcome = apply(session, pack, Target(row.shop_id, "shop", row.shop_id, None, now, principal.key_id), result, set())
    return {"name_findings": result.findings_json(), "cases": outcome.cases}


def get_shop(ctx: Context, principal: Principal, shop_id: str) -> dict:
    require(principal, "shop.read", shop_id)
    with ctx.db.read() as s:
        row = shops.get(s, shop_id)
        if row is None:
            raise NotFound.no("shop", shop_id)
        return shop_json(row)
