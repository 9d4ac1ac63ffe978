"""After-sales requests and complaints in (DY-QL-1): one transaction each, recounting their order.

Decisions: an after-sale or complaint names a known order (else 422 on `order_id`, as a review
does) and is dated at or after it (else 422 on `filed_at`); the same id with the same content is
200 with what was stored, with other content 409; both are append-only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from shopwarden.errors import Conflict, InvalidInput
from shopwarden.service.auth import Principal, require
from shopwarden.service.context import Context
from shopwarden.service.experience import recount
from shopwarden.service.results import Result
from shopwarden.service.shop_packs import pack_of
from shopwarden.service.times import event_time
from shopwarden.store import experience as store
from shopwarden.store import subject_locks
from shopwarden.store.experience import AfterSaleRow, ComplaintRow
from shopwarden.store.reviews import OrderRow


@dataclass(frozen=True, slots=True)
class AfterSaleInput:
    after_sale_id: str
    order_id: str
    kind: str
    reason: str
    filed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ComplaintInput:
    complaint_id: str
    order_id: str
    kind: str
    filed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AfterSale(Result):
    after_sale_id: str
    order_id: str
    shop_id: str
    product_id: str
    kind: str
    reason: str
    filed_at: datetime


@dataclass(frozen=True, slots=True)
class Complaint(Result):
    complaint_id: str
    order_id: str
    shop_id: str
    product_id: str
    kind: str
    filed_at: datetime


def after_sale_view(row: AfterSaleRow) -> AfterSale:
    return AfterSale(row.after_sale_id, row.order_id, row.shop_id, row.product_id, row.kind, row.reason, row.filed_at)


def complaint_view(row: ComplaintRow) -> Complaint:
    return Complaint(row.complaint_id, row.order_id, row.shop_id, row.product_id, row.kind, row.filed_at)


def post_after_sale(ctx: Context, principal: Principal, body: AfterSaleInput) -> tuple[AfterSale, int]:
    """Record an after-sales request (201); the same again 200; the same id with other content 409."""
    require(principal, "after_sale.write")
    filed_at = event_time(ctx, principal, body.filed_at, "filed_at")
    with ctx.db.transaction() as s:
        existing = _stored(s, store.get_after_sale, "after_sale", body.after_sale_id)
        if existing is not None:
            _same(existing, {"order_id": body.order_id, "kind": body.kind, "reason": body.reason}, body.filed_at, f"after-sale {body.after_sale_id}")
            return after_sale_view(existing), 200
        order = _order_for(s, body.order_id, filed_at)
        before = store.facts(s, order)
        row = AfterSaleRow(after_sale_id=body.after_sale_id, order_id=order.order_id, shop_id=order.shop_id, product_id=order.product_id,
                           kind=body.kind, reason=body.reason, filed_at=filed_at, created_at=ctx.clock(), created_by=principal.key_id)
        store.add(s, row)
        recount(s, pack_of(ctx, s, order.shop_id), order, before, ctx.clock())
        return after_sale_view(row), 201


def post_complaint(ctx: Context, principal: Principal, body: ComplaintInput) -> tuple[Complaint, int]:
    """Record a complaint (201); the same again 200; the same id with other content 409."""
    require(principal, "complaint.write")
    filed_at = event_time(ctx, principal, body.filed_at, "filed_at")
    with ctx.db.transaction() as s:
        existing = _stored(s, store.get_complaint, "complaint", body.complaint_id)
        if existing is not None:
            _same(existing, {"order_id": body.order_id, "kind": body.kind}, body.filed_at, f"complaint {body.complaint_id}")
            return complaint_view(existing), 200
        order = _order_for(s, body.order_id, filed_at)
        before = store.facts(s, order)
        row = ComplaintRow(complaint_id=body.complaint_id, order_id=order.order_id, shop_id=order.shop_id, product_id=order.product_id,
                           kind=body.kind, filed_at=filed_at, created_at=ctx.clock(), created_by=principal.key_id)
        store.add(s, row)
        recount(s, pack_of(ctx, s, order.shop_id), order, before, ctx.clock())
        return complaint_view(row), 201


def _stored(session: Session, get: Callable[[Session, str], Any], kind: str, ident: str) -> Any:
    """The row stored under `ident`, if any. For a first post, posts of one id take turns and look again: a retry
    sent at the same moment as the first finds it stored (200), instead of losing the race on the key (409)."""
    row = get(session, ident)
    if row is None:
        subject_locks.hold(session, f"{kind}:{ident}")
        row = get(session, ident)
    return row


def _order_for(session: Session, order_id: str, filed_at: datetime) -> OrderRow:
    order = store.lock_order(session, order_id)
    if order is None:
        raise InvalidInput.one("order_id", f"unknown order {order_id!r}; send it first with POST /v1/orders")
    if filed_at < order.ordered_at:
        raise InvalidInput.one("filed_at", f"before the order was placed ({order.ordered_at.isoformat()})")
    return order


def _same(row: AfterSaleRow | ComplaintRow, fields: Mapping[str, Any], filed_at: datetime | None, what: str) -> None:
    changed = [f for f, v in fields.items() if getattr(row, f) != v]
    if filed_at is not None and filed_at != row.filed_at:
        changed.append("filed_at")
    if changed:
        raise Conflict(f"{what} was recorded with other {', '.join(changed)}; it does not change", rule=None)
