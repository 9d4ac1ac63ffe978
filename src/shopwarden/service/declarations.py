"""Contact declarations (DY-DV exception): a shop files its after-sales contact with a reason."""

from __future__ import annotations

from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.violations import new_id
from shopwarden.store import declarations, shops


def _json(d) -> dict:
    return {"id": d.declaration_id, "shop_id": d.shop_id, "kind": d.kind, "value": d.value, "reason": d.reason, "filed_at": d.filed_at}


def file(ctx: Context, principal: Principal, shop_id: str, body: dict) -> dict:
    require(principal, "declaration.write", shop_id)
    with ctx.db.transaction() as s:
        if shops.get(s, shop_id) is None:
            raise NotFound.no("shop", shop_id)
        row = {"declaration_id": new_id("d"), "shop_id": shop_id, "kind": body["kind"], "value": body["value"].strip(),
               "reason": body["reason"], "filed_at": ctx.clock(), "filed_by": principal.key_id}
        declarations.add(s, row)
        return _json(declarations.ContactDeclaration(**row))


def list_(ctx: Context, principal: Principal, shop_id: str) -> list[dict]:
    require(principal, "shop.read", shop_id)
    with ctx.db.read() as s:
        return [_json(d) for d in declarations.of_shop(s, shop_id)]
