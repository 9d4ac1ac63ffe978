"""The shop a stored row names, and the pack it is judged by: for the use cases that read a shop
through a row that refers to it (a case, an order, a violation), where a missing shop is a broken
database, not a caller's mistake."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shopwarden.core.policy.schema import PolicyPack
from shopwarden.service.context import Context
from shopwarden.store import shops
from shopwarden.store.shops import Shop


def known_shop(session: Session, shop_id: str) -> Shop:
    """The shop `shop_id`, which a stored row names (its foreign key keeps it there)."""
    shop = shops.get(session, shop_id)
    if shop is None:
        raise LookupError(f"shop {shop_id!r} is named by a stored row but does not exist")
    return shop


def pack_of(ctx: Context, session: Session, shop_id: str) -> PolicyPack:
    """The pack in force now for the known shop `shop_id` (`Context.pack`)."""
    return ctx.pack(known_shop(session, shop_id).policy_id)
