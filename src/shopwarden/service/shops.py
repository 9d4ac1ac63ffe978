"""Use cases for shops: create or update (idempotent) and read."""

from __future__ import annotations

from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.store import shops

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
    require(principal, "shop.write", shop_id)
    ctx.check_policy("policy", policy)
    with ctx.db.transaction() as s:
        row, created = shops.upsert(s, shop_id, name, kind, policy, ctx.clock())
        return shop_json(row), created


def get_shop(ctx: Context, principal: Principal, shop_id: str) -> dict:
    require(principal, "shop.read", shop_id)
    with ctx.db.read() as s:
        row = shops.get(s, shop_id)
        if row is None:
            raise NotFound(f"no shop {shop_id!r}")
        return shop_json(row)
