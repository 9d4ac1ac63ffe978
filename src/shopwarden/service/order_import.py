"""The bulk importer's orders, after-sales and complaints (DY-QL-1): checked line by line as the API
checks them, inserted a batch at a time, and counted as the one-by-one path counts them — each
touched order's contributions after the batch minus before it (`core.quality.counters.change`),
written by `store.experience.count` in the batch's transaction.

Lines: `{"record": "order", "order_id", "shop_id", "product_id", "buyer_id", "ordered_at", ["status"
(default "paid"), "paid_at", "shipped_at", "delivered_at"]}`, `{"record": "after_sale", "after_sale_id",
"order_id", "kind", "reason", "filed_at"}`, `{"record": "complaint", "complaint_id", "order_id",
"kind", "filed_at"}`. An order comes before its after-sales and complaints (in the file, or stored).

Decisions: the importer loads what happened, so it neither refuses an order over a DY-QL-4 order
limit nor judges products after their sales (DY-LQ-1) as `POST /v1/orders` does — run the nightly
sweeps after a large import; a stored order with the same content is skipped, with other content
(a status or a time too) it is a conflict: changes of a stored order go through the API; reviews are
not imported (their signals need the scanners: `POST /v1/reviews`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from shopwarden.core import instants
from shopwarden.core.quality import counters
from shopwarden.core.quality.industry import industry_of
from shopwarden.errors import InvalidInput
from shopwarden.service.context import Context
from shopwarden.service.experience import ORDER_TIMES, market_of
from shopwarden.store import experience as store
from shopwarden.store import shops as shop_store
from shopwarden.store.experience import AfterSaleRow, ComplaintRow
from shopwarden.store.reviews import OrderRow

RECORDS = ("order", "after_sale", "complaint")
STATUSES = ("created", "paid", "shipped", "delivered", "completed", "cancelled", "refunded")
AFTER_SALE_KINDS = ("return", "refund", "exchange")
REASONS = ("quality", "not_as_described", "damaged", "no_reason", "other")
ORDER_FIELDS = ("shop_id", "product_id", "buyer_id", "ordered_at", "status", *ORDER_TIMES)
AFTER_SALE_FIELDS = ("after_sale_id", "order_id", "kind", "reason", "filed_at")
COMPLAINT_FIELDS = ("complaint_id", "order_id", "kind", "filed_at")
MAX_ID, MAX_KIND = 64, 64
SKEW = timedelta(minutes=5)  # as service.times: a clock a little ahead is not "the future"
WHO = "import"


@dataclass
class OrderLines:
    """One batch's order-like lines, checked for what needs no database, waiting for `write`."""

    orders: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    after_sales: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    complaints: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)


@dataclass
class Written:
    orders: int = 0
    after_sales: int = 0
    complaints: int = 0
    skipped: int = 0
    conflicts: list[tuple[int, str, str, tuple[str, ...]]] = field(default_factory=list)  # (line, record, id, fields)
    invalid: list[tuple[int, InvalidInput]] = field(default_factory=list)


def _id(rec: dict[str, Any], name: str) -> str:
    value = rec.get(name)
    if type(value) is not str or not 0 < len(value) <= MAX_ID:
        raise InvalidInput.one(name, f"is required (a non-empty string of at most {MAX_ID} characters)")
    return value


def _one_of(rec: dict[str, Any], name: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = rec.get(name, default)
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput.one(name, f"must be one of {', '.join(allowed)}")
    return value


def _time(rec: dict[str, Any], name: str, now: datetime, required: bool = True) -> datetime | None:
    value = rec.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidInput.one(name, "must be an ISO 8601 time with a zone")
    try:
        t = instants.parse(value)
    except ValueError as exc:
        raise InvalidInput.one(name, str(exc)) from None
    if t > now + SKEW:
        raise InvalidInput.one(name, f"is in the future ({t.isoformat()}); events are recorded when they happen")
    return t


def parse_order(rec: dict[str, Any], now: datetime) -> dict[str, Any]:
    ordered_at = _time(rec, "ordered_at", now)
    assert ordered_at is not None  # required
    row: dict[str, Any] = {"order_id": _id(rec, "order_id"), "shop_id": _id(rec, "shop_id"), "product_id": _id(rec, "product_id"),
                           "buyer_id": _id(rec, "buyer_id"), "status": _one_of(rec, "status", STATUSES, "paid"), "ordered_at": ordered_at}
    previous, previous_name = ordered_at, "ordered_at"
    for f in ORDER_TIMES:  # the chain service.experience.order_times checks
        t = row[f] = _time(rec, f, now, required=False)
        if t is None:
            continue
        if t < previous:
            raise InvalidInput.one(f, f"before {previous_name} ({previous.isoformat()}); times run ordered ≤ paid ≤ shipped ≤ delivered")
        previous, previous_name = t, f
    return row


def parse_after_sale(rec: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {"after_sale_id": _id(rec, "after_sale_id"), "order_id": _id(rec, "order_id"), "kind": _one_of(rec, "kind", AFTER_SALE_KINDS),
            "reason": _one_of(rec, "reason", REASONS), "filed_at": _time(rec, "filed_at", now)}


def parse_complaint(rec: dict[str, Any], now: datetime) -> dict[str, Any]:
    kind = rec.get("kind")
    if type(kind) is not str or not 0 < len(kind) <= MAX_KIND:
        raise InvalidInput.one("kind", f"is required (a non-empty string of at most {MAX_KIND} characters)")
    return {"complaint_id": _id(rec, "complaint_id"), "order_id": _id(rec, "order_id"), "kind": kind, "filed_at": _time(rec, "filed_at", now)}


def _stored(session: Session, key: InstrumentedAttribute[str], ids: list[str], columns: Sequence[InstrumentedAttribute[Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        for r in session.execute(select(*columns).where(key.in_(ids[i:i + 500]))).mappings():
            out[r[key.key]] = dict(r)
    return out


def write(ctx: Context, session: Session, lines: OrderLines, shops: dict[str, tuple[str, str, str]], now: datetime) -> Written:
    """Check what needs the database (shops, products, orders, ids already stored), insert what is new
    and count it. `shops`: id -> (name, kind, policy_id) of the shops known so far."""
    w = Written()
    o, a, c = OrderRow, AfterSaleRow, ComplaintRow
    order_ids = sorted({*lines.orders, *(r["order_id"] for _, r in lines.after_sales.values()), *(r["order_id"] for _, r in lines.complaints.values())})
    known = _stored(session, o.order_id, order_ids, [o.order_id, *(getattr(o, f) for f in ORDER_FIELDS)])
    shops = shops | shop_store.contents(session, sorted({k["shop_id"] for k in known.values()} - set(shops)))
    products = store.product_categories(session, [r["product_id"] for _, r in lines.orders.values()] + [k["product_id"] for k in known.values()])
    new_orders: dict[str, dict[str, Any]] = {}
    for oid, (lineno, row) in lines.orders.items():
        old = known.get(oid)
        if old is not None:
            if diff := tuple(f for f in ORDER_FIELDS if old[f] != row[f]):
                w.conflicts.append((lineno, "order", oid, diff))
            else:
                w.skipped += 1
            continue
        if row["shop_id"] not in shops:
            w.invalid.append((lineno, InvalidInput.one("shop_id", f"unknown shop {row['shop_id']!r}; put a shop record before its orders")))
        elif products.get(row["product_id"], ("",))[0] != row["shop_id"]:
            w.invalid.append((lineno, InvalidInput.one("product_id", f"shop {row['shop_id']} has no product {row['product_id']!r}; orders are for the shop's own listings")))
        else:
            new_orders[oid] = row
    orders = {**known, **new_orders}
    fresh_after = _feedback(session, lines.after_sales, a, a.after_sale_id, "after_sale", AFTER_SALE_FIELDS[1:], orders, w)
    fresh_complaints = _feedback(session, lines.complaints, c, c.complaint_id, "complaint", COMPLAINT_FIELDS[1:], orders, w)
    before = _before(session, orders, new_orders, fresh_after, fresh_complaints)  # read before the batch's rows go in
    store.insert_new(session, o, ("order_id", *ORDER_FIELDS), [(oid, *(r[f] for f in ORDER_FIELDS)) for oid, r in new_orders.items()], now, WHO)
    for model, fields, rows in ((a, AFTER_SALE_FIELDS, fresh_after), (c, COMPLAINT_FIELDS, fresh_complaints)):
        store.insert_new(session, model, (*fields, "shop_id", "product_id"),
                         [(*(r[f] for f in fields), orders[r["order_id"]]["shop_id"], orders[r["order_id"]]["product_id"]) for r in rows], now, WHO)
    w.orders, w.after_sales, w.complaints = len(new_orders), len(fresh_after), len(fresh_complaints)
    _count(ctx, session, orders, before, fresh_after, fresh_complaints, shops, products, now)
    return w


def _before(session: Session, orders: dict[str, dict[str, Any]], new_orders: dict[str, dict[str, Any]], after: list[dict[str, Any]], complaints: list[dict[str, Any]]) -> dict[str, Any]:
    """The DY-QL-1 facts of the stored orders that get feedback in this batch, as stored; a new order: None."""
    touched = sorted({*new_orders, *(r["order_id"] for r in after), *(r["order_id"] for r in complaints)})
    stored = [OrderRow(**{"order_id": i, **{f: orders[i][f] for f in ORDER_FIELDS}}) for i in touched if i not in new_orders]
    return {i: None for i in touched} | store.facts_many(session, stored)


def _feedback(session: Session, lines: dict[str, tuple[int, dict[str, Any]]], model: type[AfterSaleRow] | type[ComplaintRow],
              key: InstrumentedAttribute[str], record: str, fields: tuple[str, ...], orders: dict[str, dict[str, Any]],
              w: Written) -> list[dict[str, Any]]:
    """The new after-sales (or complaints) of the batch: known orders, not before them, ids not stored with other content."""
    stored = _stored(session, key, sorted(lines), [key, *(getattr(model, f) for f in fields)])
    fresh: list[dict[str, Any]] = []
    for rid, (lineno, row) in lines.items():
        if (old := stored.get(rid)) is not None:
            if diff := tuple(f for f in fields if old[f] != row[f]):
                w.conflicts.append((lineno, record, rid, diff))
            else:
                w.skipped += 1
        elif (order := orders.get(row["order_id"])) is None:
            w.invalid.append((lineno, InvalidInput.one("order_id", f"unknown order {row['order_id']!r}; put the order before its {record.replace('_', '-')}s")))
        elif row["filed_at"] < order["ordered_at"]:
            w.invalid.append((lineno, InvalidInput.one("filed_at", f"before the order was placed ({order['ordered_at'].isoformat()})")))
        else:
            fresh.append(row)
    return fresh


def _count(ctx: Context, session: Session, orders: dict[str, dict[str, Any]], before: dict[str, Any], after: list[dict[str, Any]], complaints: list[dict[str, Any]],
           shops: dict[str, tuple[str, str, str]], products: dict[str, tuple[str, str]], now: datetime) -> None:
    """Every touched order's change of counts, as `service.experience.recount` counts one."""
    added_after, added_complaints = defaultdict(list), defaultdict(list)
    for r in after:
        added_after[r["order_id"]].append(counters.AfterSale(r["filed_at"], r["reason"]))
    for r in complaints:
        added_complaints[r["order_id"]].append(r["filed_at"])
    changes: list[store.Change] = []
    policies: dict[str, Any] = {}
    industries: dict[str, str] = {}
    for oid in sorted(before):
        row = orders[oid]
        if (shop := shops.get(row["shop_id"])) is None:
            continue
        if (policy := policies.get(shop[2])) is None:  # looked up once per policy
            pack = ctx.pack(shop[2])
            rules = pack.experience
            policy = policies[shop[2]] = (rules, frozenset(rules.quality_reasons), market_of(pack, rules)) if rules is not None else ()
        if not policy:
            continue
        rules, reasons, market = policy
        was = before[oid]
        base = was or counters.OrderFacts(row["ordered_at"], row["status"], row["paid_at"], row["shipped_at"])
        more_after, more_complaints = added_after.get(oid), added_complaints.get(oid)
        after_facts = base if not (more_after or more_complaints) else replace(
            base, after_sales=tuple(sorted((*base.after_sales, *(more_after or ())))), complaints=tuple(sorted((*base.complaints, *(more_complaints or ())))))
        change = counters.change(was, after_facts, rules.dispatch_hours, rules.negative_max_rating, reasons)
        if (industry := industries.get(row["product_id"])) is None:
            industry = industries[row["product_id"]] = industry_of(products.get(row["product_id"], ("", ""))[1])
        changes.append(store.Change(oid, row["shop_id"], row["product_id"], industry, change, market))
    store.count(session, changes, now)
