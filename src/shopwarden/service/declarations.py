"""Contact declarations (DY-DV exception): a shop files its after-sales contact with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result
from shopwarden.service.violation_rows import new_id
from shopwarden.store import declarations, shops
from shopwarden.store.declarations import ContactDeclaration


@dataclass(frozen=True, slots=True)
class DeclarationInput:
    """An after-sales contact the shop declares (a phone, a WeChat id, ...) and why it is shown."""

    kind: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class Declaration(Result):
    id: str
    shop_id: str
    kind: str
    value: str
    reason: str
    filed_at: datetime


def _view(d: ContactDeclaration) -> Declaration:
    return Declaration(d.declaration_id, d.shop_id, d.kind, d.value, d.reason, d.filed_at)


def file(ctx: Context, principal: Principal, shop_id: str, body: DeclarationInput) -> Declaration:
    require(principal, "declaration.write", shop_id)
    with ctx.db.transaction() as s:
        if shops.get(s, shop_id) is None:
            raise NotFound.no("shop", shop_id)
        out = Declaration(new_id("d"), shop_id, body.kind, body.value.strip(), body.reason, ctx.clock())
        declarations.add(s, {"declaration_id": out.id, "shop_id": shop_id, "kind": out.kind, "value": out.value, "reason": out.reason,
                             "filed_at": out.filed_at, "filed_by": principal.key_id})
        return out


def list_(ctx: Context, principal: Principal, shop_id: str) -> list[Declaration]:
    require(principal, "shop.read", shop_id)
    with ctx.db.read() as s:
        return [_view(d) for d in declarations.of_shop(s, shop_id)]
