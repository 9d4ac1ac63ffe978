"""Use cases for shops: create or update (idempotent) and read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import NotFound
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.results import Result, omit_none
from shopwarden.store import shops, subject_locks
from shopwarden.store.shops import Shop

KINDS = ("enterprise", "individual", "personal")


@dataclass(frozen=True, slots=True)
class ShopView(Result):
    """A shop and its pack. After a new or changed name: what the name scan found (DY-IP) and the
    review cases it opened (a name is never fixed by a task, so every finding goes to an operator)."""

    shop_id: str
    name: str
    kind: str
    policy: str
    created_at: datetime
    updated_at: datetime
    name_findings: Sequence[Mapping[str, Any]] | None = omit_none()
    cases: Sequence[str] | None = omit_none()


def shop_view(row: Shop) -> ShopView:
    return ShopView(row.shop_id, row.name, row.kind, row.policy_id, row.created_at, row.updated_at)


def put_shop(ctx: Context, principal: Principal, shop_id: str, name: str, kind: str, policy: str) -> tuple[ShopView, bool]:
    """Create or update a shop (True: created); a new or changed name is scanned for others' trademarks (DY-IP)."""
    require(principal, "shop.write", shop_id)
    pack = ctx.check_policy("policy", policy)
    now = ctx.clock()
    with ctx.db.transaction() as s:
        subject_locks.hold(s, f"put:shop:{shop_id}")  # two first PUTs at once: the second updates (200), not a lost insert (409)
        before = shops.get(s, shop_id)
        old_name = before.name if before is not None else None
        row, created = shops.upsert(s, shop_id, name, kind, policy, now)
        out = shop_view(row)
        if name != old_name:
            findings, cases = _scan_name(ctx, s, row, pack, principal, now)
            out = replace(out, name_findings=findings, cases=cases)
        return out, created


def _scan_name(ctx: Context, session: Session, row: Shop, pack: PolicyPack, principal: Principal, now: datetime) -> tuple[list[dict[str, Any]], list[str]]:
    from shopwarden.core.detect import Subject
    from shopwarden.service.consequences import Target, apply
    from shopwarden.service.scanning import detect_context, run

    session.flush()
    result = run(pack, Subject.shop(row.name, shop_id=row.shop_id), detect_context(ctx, session, row, pack, now))
    outcome = apply(session, pack, Target(row.shop_id, "shop", row.shop_id, None, now, principal.key_id), result, set())
    return result.findings_json(), list(outcome.cases)


def get_shop(ctx: Context, principal: Principal, shop_id: str) -> ShopView:
    require(principal, "shop.read", shop_id)
    with ctx.db.read() as s:
        row = shops.get(s, shop_id)
        if row is None:
            raise NotFound.no("shop", shop_id)
        return shop_view(row)
